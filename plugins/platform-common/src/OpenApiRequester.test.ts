import { ResponseError } from '@backstage/errors';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OpenApiRequester } from './OpenApiRequester';

type Received = {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
};

/** A real HTTP server that records each request and answers as told. */
async function startServer(
  answer: (request: Received) => { status: number; body?: unknown },
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const request = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
      };
      received.push(request);
      const { status, body: out } = answer(request);
      res.writeHead(
        status,
        out === undefined ? {} : { 'Content-Type': 'application/json' },
      );
      res.end(out === undefined ? undefined : JSON.stringify(out));
    });
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const requester = new OpenApiRequester({
    pluginId: 'things',
    discoveryApi: {
      getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    },
  });
  return { server, received, requester };
}

describe('OpenApiRequester', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise(done => server?.close(done));
    server = undefined;
  });

  it('sends the operation to the plugin base URL with its path, query, body and token', async () => {
    const started = await startServer(() => ({
      status: 201,
      body: { id: 7 },
    }));
    server = started.server;
    const response = await started.requester.request<{ id: number }>(
      'POST',
      '/things/{name}/parts/{part}',
      {
        path: { name: 'a b/c', part: 3 },
        query: {
          component: 'component:default/x',
          tag: ['one', 'two'],
          unset: undefined,
        },
        body: { reason: 'because' },
      },
      { token: 't-1' },
    );
    expect(response.status).toBe(201);
    await expect(response.json()).resolves.toEqual({ id: 7 });
    const [request] = started.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(
      '/api/things/things/a%20b%2Fc/parts/3?component=component%3Adefault%2Fx&tag=one&tag=two',
    );
    expect(request.headers.authorization).toBe('Bearer t-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ reason: 'because' });
  });

  it('sends neither a body nor a content type nor a token when there is none', async () => {
    const started = await startServer(() => ({ status: 204 }));
    server = started.server;
    const response = await started.requester.request<void>(
      'DELETE',
      '/things/{name}',
      { path: { name: 'x' }, query: {} },
    );
    expect(response.status).toBe(204);
    const [request] = started.received;
    expect(request.url).toBe('/api/things/things/x');
    expect(request.headers).not.toHaveProperty('content-type');
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body).toBe('');
  });

  it('throws a ResponseError with the backend error for a response outside 2xx', async () => {
    const started = await startServer(() => ({
      status: 409,
      body: {
        error: { name: 'ConflictError', message: 'It is locked' },
        request: { method: 'POST', url: '/things' },
        response: { statusCode: 409 },
      },
    }));
    server = started.server;
    const error = await started.requester
      .request('POST', '/things', { body: {} })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe('It is locked');
  });

  it('refuses a path parameter without a value before sending anything', async () => {
    const started = await startServer(() => ({ status: 200, body: {} }));
    server = started.server;
    await expect(
      started.requester.request('GET', '/things/{name}', { path: {} }),
    ).rejects.toThrow("No value for path parameter 'name' of /things/{name}");
    expect(started.received).toEqual([]);
  });
});
