import { Config } from '@backstage/config';

/** A setting that must be present, and where its value comes from. @public */
export interface RequiredConfigEntry {
  key: string;
  from: string;
}

/**
 * Lists the settings named in `platform.requiredConfig` that have no value.
 *
 * @public
 */
export function findMissingConfig(config: Config): RequiredConfigEntry[] {
  const required =
    config.getOptionalConfigArray('platform.requiredConfig') ?? [];
  const root = config.getOptional() ?? {};
  return required
    .map(entry => ({
      key: entry.getString('key'),
      from: entry.getString('from'),
    }))
    .filter(({ key }) => isEmpty(valueAt(root, key)));
}

/**
 * Reads a dotted path that may step into arrays (`backend.auth.keys.0.secret`),
 * which Config's own getters reject.
 */
function valueAt(root: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    if (node === null || typeof node !== 'object') return undefined;
    return (node as Record<string, unknown>)[part];
  }, root);
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Throws an error that names every missing required setting and its source.
 *
 * @public
 */
export function assertRequiredConfig(config: Config): void {
  const missing = findMissingConfig(config);
  if (missing.length > 0) {
    const list = missing.map(m => `${m.key} (from ${m.from})`).join(', ');
    throw new Error(
      `Refusing to start: required configuration is missing: ${list}`,
    );
  }
}
