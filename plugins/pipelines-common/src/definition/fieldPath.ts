/** A path into the pipeline data: keys and array indexes. */
export type DataPath = Array<string | number>;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `stages[0].steps[1].timeout`; keys that are not plain names are quoted. */
export function formatPath(path: DataPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else if (PLAIN_KEY.test(segment)) {
      text += text ? `.${segment}` : segment;
    } else {
      text += `[${JSON.stringify(segment)}]`;
    }
  }
  return text;
}

/** The data path of an ajv `instancePath` (a JSON pointer). */
export function pointerToPath(pointer: string, data: unknown): DataPath {
  const path: DataPath = [];
  let current = data as any;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment =
      Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(segment);
    current = current?.[segment];
  }
  return path;
}
