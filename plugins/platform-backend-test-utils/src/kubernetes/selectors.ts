import { badRequest } from './status';
import { KubeObject } from './types';

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits at commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

const KEY = String.raw`([A-Za-z0-9][-A-Za-z0-9_./]*)`;
const VALUE = String.raw`([-A-Za-z0-9_.]*)`;
const EQUALITY = new RegExp(String.raw`^${KEY}\s*(==|=|!=)\s*${VALUE}$`);
const SET = new RegExp(String.raw`^${KEY}\s+(in|notin)\s*\(([^)]*)\)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*${KEY}$`);

function parseRequirement(text: string): Requirement {
  let m = EQUALITY.exec(text);
  if (m) {
    const [, key, op, value] = m;
    return op === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  m = SET.exec(text);
  if (m) {
    const [, key, op, list] = m;
    const values = list
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
    return op === 'in'
      ? labels => key in labels && values.includes(labels[key])
      : labels => !(key in labels) || !values.includes(labels[key]);
  }
  m = EXISTS.exec(text);
  if (m) {
    const [, not, key] = m;
    return not ? labels => !(key in labels) : labels => key in labels;
  }
  throw badRequest(
    `unable to parse requirement: <nil>: Invalid value: "${text}": not a valid label selector requirement`,
  );
}

/**
 * A label selector as the API takes it in `?labelSelector=`: equality
 * (`a=b`, `a==b`, `a!=b`), sets (`a in (x,y)`, `a notin (x)`) and existence
 * (`a`, `!a`).
 */
export function parseLabelSelector(
  selector: string | null,
): (object: KubeObject) => boolean {
  if (!selector) return () => true;
  const requirements = splitRequirements(selector).map(parseRequirement);
  return object => {
    const labels = object.metadata.labels ?? {};
    return requirements.every(r => r(labels));
  };
}

const FIELD_GETTERS: Record<string, (o: KubeObject) => unknown> = {
  'metadata.name': o => o.metadata.name,
  'metadata.namespace': o => o.metadata.namespace ?? '',
};
const POD_FIELD_GETTERS: Record<string, (o: KubeObject) => unknown> = {
  'spec.nodeName': o => (o.spec as { nodeName?: string })?.nodeName ?? '',
  'status.phase': o => (o.status as { phase?: string })?.phase ?? '',
};

/** A field selector: `metadata.name` and `metadata.namespace` (and two pod fields), `=`, `==`, `!=`. */
export function parseFieldSelector(
  selector: string | null,
  kind: string,
): (object: KubeObject) => boolean {
  if (!selector) return () => true;
  const getters = {
    ...FIELD_GETTERS,
    ...(kind === 'Pod' ? POD_FIELD_GETTERS : {}),
  };
  const requirements = splitRequirements(selector).map(text => {
    const m = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!m) {
      throw badRequest(`invalid selector: '${selector}'`);
    }
    const [, field, op, value] = m;
    const get = getters[field];
    if (!get) {
      throw badRequest(
        `"${field}" is not a known field selector: only ${Object.keys(getters)
          .map(k => `"${k}"`)
          .join(', ')}`,
      );
    }
    return (o: KubeObject) => (get(o) === value) === (op !== '!=');
  });
  return object => requirements.every(r => r(object));
}
