/** Well under SQLite's limit of bound parameters in one statement. */
const CHUNK = 400;

/** The values in parts small enough for one `whereIn` each. */
export function inChunks<T>(values: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    out.push(values.slice(i, i + CHUNK));
  }
  return out;
}
