/**
 * Deep equality of JSON values, keys with undefined values counting as
 * absent. Unlike `util.isDeepStrictEqual` it ignores prototypes, which
 * differ between objects from different realms (Jest's VM context and
 * Node's own structuredClone).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]))
    );
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set(
    [...Object.keys(left), ...Object.keys(right)].filter(
      k => left[k] !== undefined || right[k] !== undefined,
    ),
  );
  return [...keys].every(k => jsonEqual(left[k], right[k]));
}
