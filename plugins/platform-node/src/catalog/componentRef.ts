import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/**
 * The full entity ref of a component given as `payments-api`,
 * `default/payments-api` or `component:default/payments-api`.
 *
 * @public
 */
export function componentRefOf(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
  } catch (error) {
    throw new InputError(
      `component '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `component must refer to a Component, got '${value}' of kind ${ref.kind}`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * The Component described by a catalog-info file in a scaffolder task's
 * workspace: the entity a template renders and registers in earlier steps.
 * Scaffolder actions that act on "the component this template made" default
 * to it.
 *
 * @public
 */
export async function componentRefFromWorkspace(
  workspacePath: string,
  catalogInfoPath: string,
): Promise<string> {
  const file = resolveSafeChildPath(workspacePath, catalogInfoPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `component is not set and the workspace has no ${catalogInfoPath} to take it from`,
    );
  }
  const components = parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(entity => entity?.kind === 'Component' && entity.metadata?.name);
  if (components.length !== 1) {
    throw new InputError(
      `component is not set and ${catalogInfoPath} in the workspace holds ${components.length} Components; set component to choose one`,
    );
  }
  const [{ metadata }] = components;
  return stringifyEntityRef({
    kind: 'component',
    namespace: metadata.namespace ?? DEFAULT_NAMESPACE,
    name: metadata.name,
  });
}
