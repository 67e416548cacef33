import {
  Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  LineCounter,
  Node as YamlNode,
} from 'yaml';
import { DataPath } from './fieldPath';

/** Where a field is in the file: 1-based line and column. */
export interface Location {
  line: number;
  column: number;
}

/**
 * Finds fields in a parsed YAML document. A missing field is placed at the
 * nearest enclosing field that exists, so that every error gets a line.
 */
export interface Locator {
  /** Where the value at the path is. */
  value(path: DataPath): Location | undefined;
  /** Where the key of the value at the path is (for unknown fields). */
  key(path: DataPath): Location | undefined;
  /** The source text of a scalar that YAML read as a number or boolean. */
  scalarSource(path: DataPath): string | undefined;
}

export function createYamlLocator(
  doc: Document,
  lineCounter: LineCounter,
): Locator {
  const at = (node: unknown): Location | undefined => {
    const range = isNode(node) ? node.range : undefined;
    if (!range) return undefined;
    const { line, col } = lineCounter.linePos(range[0]);
    return { line, column: col };
  };
  const nearest = (path: DataPath): Location | undefined => {
    for (let length = path.length; length >= 0; length--) {
      const location = at(doc.getIn(path.slice(0, length), true));
      if (location) return location;
    }
    return at(doc.contents);
  };
  return {
    value: nearest,
    key(path) {
      if (path.length === 0) return nearest(path);
      const parent = doc.getIn(path.slice(0, -1), true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find(
          item => isPair(item) && isScalar(item.key) && item.key.value === last,
        );
        const location = pair && at(pair.key as YamlNode);
        if (location) return location;
      }
      return nearest(path);
    },
    scalarSource(path) {
      const node = doc.getIn(path, true);
      if (!isScalar(node) || typeof node.value === 'string') return undefined;
      return node.srcToken && 'source' in node.srcToken
        ? node.srcToken.source
        : undefined;
    },
  };
}

/** A locator for data that did not come from a file (the built-in defaults). */
export const noLocator: Locator = {
  value: () => undefined,
  key: () => undefined,
  scalarSource: () => undefined,
};
