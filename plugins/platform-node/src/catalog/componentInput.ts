import { z } from 'zod/v3';
import { componentRefFromWorkspace, componentRefOf } from './componentRef';

const DEFAULT_CATALOG_INFO_PATH = 'catalog-info.yaml';

/**
 * The `component` and `catalogInfoPath` inputs of a scaffolder action that
 * acts on a component: spread into its `schema.input`, and resolve them with
 * {@link componentRefFromInput}.
 *
 * @public
 */
export const componentInputSchema = {
  component: (zImpl: typeof z) =>
    zImpl
      .string()
      .optional()
      .describe(
        "Entity ref of the component, e.g. component:default/payments-api or payments-api. By default the Component in the workspace's catalog-info file: the entity the template creates",
      ),
  catalogInfoPath: (zImpl: typeof z) =>
    zImpl
      .string()
      .optional()
      .describe(
        `Where to find that catalog-info file in the workspace when component is not set; ${DEFAULT_CATALOG_INFO_PATH} by default`,
      ),
};

/**
 * The full entity ref of the component a scaffolder action's
 * {@link componentInputSchema} inputs name: `component` when set, else the
 * Component in the workspace's catalog-info file.
 *
 * @public
 */
export async function componentRefFromInput(
  input: { component?: string; catalogInfoPath?: string },
  workspacePath: string,
): Promise<string> {
  return input.component
    ? componentRefOf(input.component)
    : componentRefFromWorkspace(
        workspacePath,
        input.catalogInfoPath ?? DEFAULT_CATALOG_INFO_PATH,
      );
}
