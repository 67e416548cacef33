/*
 * Values the backend has shown in its responses, so that generated requests
 * name environments, deployments and runs that exist and reach the
 * handlers, rather than ending in a 404 at the first lookup.
 */
import { declaredResponse, Operation, Parameter, Schema } from './openapiSpecs';
import { matches, parameterValueValid } from './specValidation';

interface Entry {
  value: unknown;
  /** Seen in the response to a request that changed something. */
  created: boolean;
}

/** How many values a bucket keeps; the newest win. */
const BUCKET_SIZE = 30;

const isPrimitive = (value: unknown) =>
  typeof value === 'string' ||
  typeof value === 'number' ||
  typeof value === 'boolean';

function propertySchema(
  schema: Schema | undefined,
  key: string,
): Schema | undefined {
  if (!schema) return undefined;
  if (schema.properties?.[key]) return schema.properties[key];
  for (const branch of [
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
  ]) {
    const found = propertySchema(branch, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * Buckets of values, by where they were seen: `ref:<Schema>` (at a place
 * whose schema is that component schema), `prop:<name>` (a property of that
 * name anywhere) and `path:<collection>:<name>` (a property of the
 * resources a collection path lists or returns, e.g. the ids under
 * `/deployments`).
 */
export class KnownValues {
  readonly #buckets = new Map<string, Map<string, Entry>>();

  add(key: string, value: unknown, created: boolean) {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new Map();
      this.#buckets.set(key, bucket);
    }
    const id = JSON.stringify(value);
    const entry = bucket.get(id);
    bucket.delete(id);
    bucket.set(id, { value, created: created || entry?.created === true });
    if (bucket.size > BUCKET_SIZE) {
      bucket.delete(bucket.keys().next().value!);
    }
  }

  /** Takes the values out of a successful response to `op`. */
  harvest(op: Operation, status: number, body: unknown) {
    if (status < 200 || status > 299 || body === undefined) return;
    const created = op.method !== 'GET';
    const walk = (
      value: unknown,
      schema: Schema | undefined,
      depth: number,
    ) => {
      if (depth > 8 || value === null || value === undefined) return;
      const ref = schema?.['x-fuzz-ref'];
      if (ref && isPrimitive(value)) this.add(`ref:${ref}`, value, created);
      if (Array.isArray(value)) {
        for (const item of value.slice(0, 50)) {
          walk(item, schema?.items, depth + 1);
        }
      } else if (typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (isPrimitive(child)) this.add(`prop:${key}`, child, created);
          walk(child, propertySchema(schema, key), depth + 1);
        }
      }
    };
    walk(body, declaredResponse(op, status)?.schema, 0);

    // A collection (`/deployments`) lists its resources under `items`; an
    // item path (`/deployments/{id}`) returns one.
    const collection = op.path.replace(/\/\{[^}]+\}$/, '');
    const items =
      body && typeof body === 'object' && Array.isArray((body as any).items)
        ? ((body as any).items as unknown[])
        : [body];
    for (const item of items.slice(0, 50)) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
      for (const [key, value] of Object.entries(item)) {
        if (isPrimitive(value)) {
          this.add(`path:${collection}:${key}`, value, created);
        }
      }
    }
  }

  #values(keys: string[], createdOnly: boolean): unknown[] {
    const values = new Map<string, unknown>();
    for (const key of keys) {
      for (const [id, entry] of this.#buckets.get(key) ?? []) {
        if (!createdOnly || entry.created) values.set(id, entry.value);
      }
    }
    return [...values.values()];
  }

  /**
   * Values for a path parameter: the ids and names of the collection it
   * stands in (`/deployments` for `/deployments/{id}`). With `createdOnly`,
   * only what the pass itself created: requests that change or delete a
   * resource leave the portal's own (dev, staging, production) alone, so
   * that the requests after them still have them.
   */
  forPathParameter(
    op: Operation,
    param: Parameter,
    createdOnly: boolean,
  ): string[] {
    const collection = op.path.slice(0, op.path.indexOf(`/{${param.name}}`));
    const keys = [
      `path:${collection}:${param.name}`,
      `path:${collection}:id`,
      `path:${collection}:name`,
      `prop:${param.name}`,
    ];
    if (param.schema['x-fuzz-ref']) {
      keys.push(`ref:${param.schema['x-fuzz-ref']}`);
    }
    return this.#values(keys, createdOnly)
      .map(value => String(value))
      .filter(text => parameterValueValid(param, text));
  }

  /** Values for a query parameter or a body property of this name and schema. */
  forField(name: string | undefined, schema: Schema): unknown[] {
    const keys: string[] = [];
    if (schema['x-fuzz-ref']) keys.push(`ref:${schema['x-fuzz-ref']}`);
    if (name) keys.push(`prop:${name}`);
    return this.#values(keys, false).filter(value => matches(schema, value));
  }
}
