import { jsonEqual } from './jsonEqual';

/**
 * Field paths as server-side apply tracks ownership: a path is a list of
 * segments, `f:<field>` for a map entry and `k:<json>` for the item of a list
 * whose items are identified by key fields (containers by name, ...). A path
 * ends at a value that is owned whole: a scalar, an atomic list, an empty
 * map; a path ending in `k:` stands for the list item itself.
 *
 * Paths are kept as strings, segments joined by a newline (which JSON-encoded
 * keys never contain unescaped).
 */
export type FieldPath = string;

const SEPARATOR = '\n';

type Json = unknown;
type JsonMap = Record<string, Json>;

export function isMap(value: Json): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The key fields of list items, by the name of the list's field, as the
 * Kubernetes OpenAPI schema's `x-kubernetes-list-map-keys` has them for the
 * kinds the fake server knows. Other lists are atomic: owned and replaced
 * whole.
 */
const LIST_MAP_KEYS: Record<string, (item: JsonMap) => string[]> = {
  containers: () => ['name'],
  initContainers: () => ['name'],
  ephemeralContainers: () => ['name'],
  env: () => ['name'],
  volumes: () => ['name'],
  imagePullSecrets: () => ['name'],
  volumeMounts: () => ['mountPath'],
  conditions: () => ['type'],
  ownerReferences: () => ['uid'],
  // Container ports are keyed by containerPort, a Service's by port.
  ports: item => ('containerPort' in item ? ['containerPort'] : ['port']),
};

/** The key fields of a list's items, or undefined for an atomic list. */
export function listKeys(
  field: string | undefined,
  items: Json[],
): string[] | undefined {
  const keysOf = field ? LIST_MAP_KEYS[field] : undefined;
  if (!keysOf || !items.every(isMap)) return undefined;
  const keys = items.length ? keysOf(items[0] as JsonMap) : undefined;
  if (!keys || !items.every(i => keys.every(k => k in (i as JsonMap)))) {
    return undefined;
  }
  return keys;
}

function itemSegment(item: JsonMap, keys: string[]): string {
  const key: JsonMap = {};
  for (const k of keys) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

function collect(
  value: Json,
  segments: string[],
  field: string | undefined,
  out: Set<FieldPath>,
) {
  if (isMap(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) {
      collect(v, [...segments, `f:${k}`], k, out);
    }
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const keys = listKeys(field, value);
    if (keys) {
      for (const item of value as JsonMap[]) {
        const itemPath = [...segments, itemSegment(item, keys)];
        out.add(itemPath.join(SEPARATOR));
        for (const [k, v] of Object.entries(item)) {
          collect(v, [...itemPath, `f:${k}`], k, out);
        }
      }
      return;
    }
  }
  out.add(segments.join(SEPARATOR));
}

/** Fields of an object that nobody owns: identity, bookkeeping and (for the main resource) status. */
const UNTRACKED_METADATA = new Set([
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
  'selfLink',
]);

/** The set of leaf paths an object (or an applied configuration) sets. */
export function fieldSet(object: JsonMap): Set<FieldPath> {
  const out = new Set<FieldPath>();
  for (const [k, v] of Object.entries(object)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (!UNTRACKED_METADATA.has(mk)) {
          collect(mv, ['f:metadata', `f:${mk}`], mk, out);
        }
      }
      continue;
    }
    collect(v, [`f:${k}`], k, out);
  }
  return out;
}

export function segmentsOf(path: FieldPath): string[] {
  return path.split(SEPARATOR);
}

function matchesKey(item: Json, keyJson: string): boolean {
  if (!isMap(item)) return false;
  const key = JSON.parse(keyJson) as JsonMap;
  return Object.entries(key).every(([k, v]) => jsonEqual(item[k], v));
}

/** The value a path points at, if it exists. */
export function valueAt(
  object: Json,
  path: FieldPath,
): { found: boolean; value?: Json } {
  let current: Json = object;
  for (const segment of segmentsOf(path)) {
    if (segment.startsWith('f:')) {
      if (!isMap(current) || !(segment.slice(2) in current)) {
        return { found: false };
      }
      current = current[segment.slice(2)];
    } else {
      if (!Array.isArray(current)) return { found: false };
      const item = current.find(i => matchesKey(i, segment.slice(2)));
      if (item === undefined) return { found: false };
      current = item;
    }
  }
  return { found: true, value: current };
}

/**
 * Removes what a path points at from the object (a field, or a list item
 * for an item path), then drops maps the removal left empty.
 */
export function removeAt(object: JsonMap, path: FieldPath) {
  const segments = segmentsOf(path);
  const parents: Array<{ container: Json; segment: string }> = [];
  let current: Json = object;
  for (const segment of segments) {
    parents.push({ container: current, segment });
    const next = valueAt(current, segment);
    if (!next.found) return;
    current = next.value;
  }
  for (let i = parents.length - 1; i >= 0; i--) {
    const { container, segment } = parents[i];
    if (segment.startsWith('f:') && isMap(container)) {
      delete container[segment.slice(2)];
    } else if (Array.isArray(container)) {
      const index = container.findIndex(item =>
        matchesKey(item, segment.slice(2)),
      );
      if (index >= 0) container.splice(index, 1);
    }
    // Keep going up only while the removal left the parent empty.
    const isEmpty = isMap(container)
      ? Object.keys(container).length === 0
      : Array.isArray(container) && container.length === 0;
    if (!isEmpty || i === 0) break;
  }
}

/** `.spec.template.spec.containers[name="app"].image`, as conflicts name a field. */
export function describePath(path: FieldPath): string {
  return segmentsOf(path)
    .map(segment => {
      if (segment.startsWith('f:')) return `.${segment.slice(2)}`;
      const key = JSON.parse(segment.slice(2)) as JsonMap;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** Renders paths as the nested `fieldsV1` of a managedFields entry. */
export function toFieldsV1(paths: Iterable<FieldPath>): JsonMap {
  const root: JsonMap = {};
  for (const path of paths) {
    const segments = segmentsOf(path);
    let node = root;
    for (const segment of segments) {
      node[segment] ??= {};
      node = node[segment] as JsonMap;
    }
    if (segments[segments.length - 1].startsWith('k:')) {
      node['.'] = {};
    }
  }
  return root;
}

/** Whether `path` lies under (or is) `prefix`. */
export function isUnder(path: FieldPath, prefix: FieldPath): boolean {
  return path === prefix || path.startsWith(prefix + SEPARATOR);
}

/** The item path a path lies in, for paths inside keyed list items. */
export function enclosingItems(path: FieldPath): FieldPath[] {
  const segments = segmentsOf(path);
  const items: FieldPath[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i].startsWith('k:')) {
      items.push(segments.slice(0, i + 1).join(SEPARATOR));
    }
  }
  return items;
}
