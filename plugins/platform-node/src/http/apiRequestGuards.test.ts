import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import express, { Router } from 'express';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { apiRequestGuards } from './apiRequestGuards';

const spec = {
  paths: {
    '/items': {
      get: {
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100 },
          },
        ],
      },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
    '/items/current': { get: {} },
    '/items/{id}': {
      parameters: [{ $ref: '#/components/parameters/id' }],
      get: {},
      delete: {},
    },
  },
  components: {
    parameters: {
      id: {
        name: 'id',
        in: 'path',
        required: true,
        schema: { $ref: '#/components/schemas/Id' },
      },
    },
    schemas: { Id: { type: 'integer', minimum: 1 } },
  },
};

/** A backend whose test plugin answers every request the guards let through. */
async function start() {
  const reached: Array<{ method: string; path: string; body: unknown }> = [];
  const routes = Router();
  routes.use((req: express.Request, res: express.Response) => {
    reached.push({ method: req.method, path: req.path, body: req.body });
    res.json({ ok: true });
  });
  const plugin = createBackendPlugin({
    pluginId: 'guarded',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use(
            Router().use(apiRequestGuards(spec, { bodyLimit: '1kb' }), routes),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [plugin, mockServices.rootConfig.factory({ data: {} })],
  });
  const { port } = server.address() as AddressInfo;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}/api/guarded${path}`, {
      ...init,
      headers: {
        authorization: mockCredentials.user.header(),
        ...(init.headers as Record<string, string>),
      },
    });
  return { call, reached };
}

describe('apiRequestGuards', () => {
  it('answers a method the path does not have 405 with Allow, in the error shape', async () => {
    const { call, reached } = await start();
    const put = await call('/items', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(await put.json()).toEqual({
      error: {
        name: 'MethodNotAllowedError',
        message: 'PUT is not allowed on /items; it allows GET, POST',
      },
      request: { method: 'PUT', url: '/items' },
      response: { statusCode: 405 },
    });
    // HEAD is not GET here: the spec has no HEAD operation to validate it by.
    const head = await call('/items/7', { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET, DELETE');
    expect(reached).toEqual([]);
  });

  it('answers OPTIONS 204 with Allow, and leaves paths the spec lacks to the router', async () => {
    const { call, reached } = await start();
    const options = await call('/items', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST');
    // Both /items/current and /items/{id} match; the literal one is meant,
    // so `current` is not judged as an id.
    const current = await call('/items/current');
    expect(current.status).toBe(200);
    const elsewhere = await call('/other', { method: 'PUT' });
    expect(elsewhere.status).toBe(200);
    expect(reached.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /items/current',
      'PUT /other',
    ]);
  });

  it('refuses a number parameter that is not written as one, naming it', async () => {
    const { call, reached } = await start();
    for (const query of [
      'limit=1e309',
      'limit=Infinity',
      'limit=-Infinity',
      `limit=${'9'.repeat(400)}`,
      // Number() reads all of these as numbers; none is written as one.
      'limit=%201',
      'limit=%2B1',
      'limit=0x10',
      'limit=1e3',
      'limit=%20',
      'limit=%EF%BB%BF',
      'limit=',
      'limit=5&limit=x',
    ]) {
      const res = await call(`/items?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect((await res.json()).error).toEqual({
        name: 'InputError',
        message: 'request/query/limit must be integer',
      });
    }
    for (const id of ['Infinity', '%2B1', '1.0']) {
      const path = await call(`/items/${id}`);
      expect({ id, status: path.status }).toEqual({ id, status: 400 });
      expect((await path.json()).error.message).toBe(
        'request/params/id must be integer',
      );
    }
    expect(reached).toEqual([]);
    // Integers written as such are the validator's to judge, in range or not.
    expect((await call('/items?limit=5')).status).toBe(200);
    expect((await call('/items?limit=-7&limit=500')).status).toBe(200);
    expect((await call('/items/12')).status).toBe(200);
    expect(reached).toHaveLength(3);
  });

  it('answers a body that is not JSON 415 and one over the limit 413', async () => {
    const { call, reached } = await start();
    const text = await call('/items', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    expect((await text.json()).error).toEqual({
      name: 'UnsupportedMediaTypeError',
      message:
        "Content-Type 'text/plain' is not supported: send the request body as application/json",
    });
    const untyped = await call('/items', {
      method: 'POST',
      body: new TextEncoder().encode('{}'),
    });
    expect(untyped.status).toBe(415);
    expect((await untyped.json()).error.message).toBe(
      'Content-Type is missing: send the request body as application/json',
    );
    const large = await call('/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2000) }),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toEqual({
      error: {
        name: 'PayloadTooLargeError',
        message: 'request body is larger than 1kb, the most this API accepts',
      },
      request: { method: 'POST', url: '/items' },
      response: { statusCode: 413 },
    });
    const brotli = await call('/items', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'br',
      },
      body: '{}',
    });
    expect(brotli.status).toBe(415);
    expect((await brotli.json()).error.message).toMatch(
      /^Content-Encoding is not supported/,
    );
    expect(reached).toEqual([]);
  });

  it('answers a body that is not JSON 400 and parses one that is', async () => {
    const { call, reached } = await start();
    const json = { 'content-type': 'application/json' };
    const broken = await call('/items', {
      method: 'POST',
      headers: json,
      body: '{"a":',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.message).toMatch(
      /^request body is not valid JSON: /,
    );
    expect(reached).toEqual([]);

    const ok = await call('/items', {
      method: 'POST',
      headers: json,
      body: '{"a":1}',
    });
    expect(ok.status).toBe(200);
    const zipped = await call('/items', {
      method: 'POST',
      headers: { ...json, 'content-encoding': 'gzip' },
      body: gzipSync('{"b":2}'),
    });
    expect(zipped.status).toBe(200);
    // No body (fetch sends Content-Length: 0) is the validator's to judge,
    // whatever the type says or when it says none.
    const empty = await call('/items', { method: 'POST', headers: json });
    expect(empty.status).toBe(200);
    const untyped = await call('/items', { method: 'POST' });
    expect(untyped.status).toBe(200);
    expect(reached.map(r => r.body)).toEqual([{ a: 1 }, { b: 2 }, {}, {}]);

    // An operation that takes no body, and a path the spec lacks: whatever
    // is sent is left unread, as the spec says nothing of it.
    const ignored = await call('/items/7', {
      method: 'DELETE',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2000),
    });
    expect(ignored.status).toBe(200);
    const elsewhere = await call('/other', {
      method: 'POST',
      headers: json,
      body: '{"a":',
    });
    expect(elsewhere.status).toBe(200);
    expect(reached.slice(4).map(r => r.body)).toEqual([undefined, undefined]);
  });
});
