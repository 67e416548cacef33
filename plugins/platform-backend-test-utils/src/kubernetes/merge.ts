import { jsonEqual } from './jsonEqual';
import { isMap, listKeys } from './fieldPaths';

type Json = unknown;
type JsonMap = Record<string, Json>;

function sameItem(a: Json, b: Json, keys: string[]) {
  return isMap(a) && isMap(b) && keys.every(k => jsonEqual(a[k], b[k]));
}

/**
 * Merges an applied configuration into the live object the way server-side
 * apply does: maps field by field, keyed lists item by item (applied items
 * in their order, then the live items the configuration does not mention),
 * everything else replaced.
 */
export function mergeApplied(live: Json, applied: Json, field?: string): Json {
  if (isMap(live) && isMap(applied)) {
    const result: JsonMap = { ...live };
    for (const [k, v] of Object.entries(applied)) {
      result[k] = mergeApplied(live[k], v, k);
    }
    return result;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const keys = listKeys(field, applied);
    if (keys && listKeys(field, live)) {
      const merged = applied.map(item => {
        const existing = live.find(l => sameItem(l, item, keys));
        return existing === undefined ? item : mergeApplied(existing, item);
      });
      const untouched = live.filter(
        l => !applied.some(a => sameItem(l, a, keys)),
      );
      return structuredClone([...merged, ...untouched]);
    }
  }
  return structuredClone(applied);
}

/** RFC 7386 JSON merge patch: maps merged, `null` removes, anything else replaced. */
export function jsonMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete result[k];
    } else {
      result[k] = jsonMergePatch(result[k], v);
    }
  }
  return result;
}

/**
 * A strategic merge patch without directives: like a JSON merge patch, but
 * lists with key fields (containers, env, ports, ...) are merged by key
 * instead of replaced.
 */
export function strategicMergePatch(
  target: Json,
  patch: Json,
  field?: string,
): Json {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const keys = listKeys(field, patch);
    if (keys && listKeys(field, target)) {
      const result = structuredClone(target) as Json[];
      for (const item of patch) {
        const index = result.findIndex(t => sameItem(t, item, keys));
        if (index >= 0) {
          result[index] = strategicMergePatch(result[index], item);
        } else {
          result.push(structuredClone(item));
        }
      }
      return result;
    }
  }
  if (!isMap(patch)) return structuredClone(patch);
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete result[k];
    } else {
      result[k] = strategicMergePatch(result[k], v, k);
    }
  }
  return result;
}
