import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

// The catalog's own rules for names and namespaces.
const validators = makeValidator();

/**
 * The full entity ref of a component given as `payments-api`,
 * `default/payments-api` or `component:default/payments-api`. A name or
 * namespace the catalog would not accept is refused here, before the
 * catalog is asked: the catalog answers it with its own error and stack.
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
  if (!validators.isValidNamespace(ref.namespace)) {
    throw new InputError(
      `component '${value}' has namespace '${ref.namespace}', which is not a catalog namespace: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  if (!validators.isValidEntityName(ref.name)) {
    throw new InputError(
      `component '${value}' has name '${ref.name}', which is not a catalog entity name: at most 63 letters, digits and '-', '_', '.', starting and ending with a letter or digit`,
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
