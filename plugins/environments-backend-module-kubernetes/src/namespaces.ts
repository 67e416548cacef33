import { InputError } from '@backstage/errors';

/** The placeholders a namespace pattern may use. */
export const NAMESPACE_PLACEHOLDERS = ['environment', 'component', 'namespace'];

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The Kubernetes namespace a component goes to in an environment: the
 * environment's `namespacePattern` with `{environment}` (the environment's
 * name), `{component}` (the component entity's name) and `{namespace}` (the
 * entity's catalog namespace) filled in. The result must be a DNS-1123 label,
 * as Kubernetes requires of namespace names.
 *
 * @throws InputError naming the pattern and what is wrong with it
 */
export function resolveNamespace(
  pattern: string,
  values: { environment: string; component: string; namespace: string },
): string {
  const unknown = [...pattern.matchAll(/\{([^}]*)\}/g)]
    .map(m => m[1])
    .filter(name => !NAMESPACE_PLACEHOLDERS.includes(name));
  if (unknown.length) {
    throw new InputError(
      `Namespace pattern '${pattern}' of environment '${
        values.environment
      }' uses unknown placeholder {${
        unknown[0]
      }}; the placeholders are ${NAMESPACE_PLACEHOLDERS.map(p => `{${p}}`).join(
        ', ',
      )}`,
    );
  }
  const namespace = pattern.replace(
    /\{(environment|component|namespace)\}/g,
    (_, name: keyof typeof values) => values[name],
  );
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw new InputError(
      `Namespace pattern '${pattern}' of environment '${values.environment}' gives '${namespace}', which is not a valid Kubernetes namespace name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return namespace;
}
