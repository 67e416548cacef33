import { ResponseError } from '@backstage/errors';
import { RecordedAnswer, startRecordingHttpServer } from './testUtils';
import { OpenApiRequester } from './OpenApiRequester';

describe('OpenApiRequester', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function requesterAnswering(answer: RecordedAnswer) {
    const server = await startRecordingHttpServer(() => answer);
    close = server.close;
    const requester = new OpenApiRequester({
      pluginId: 'things',
      discoveryApi: server.discoveryApi,
    });
    return { requester, requests: server.requests };
  }

  it('sends the operation to the plugin base URL with its path, query, body and token', async () => {
    const { requester, requests } = await requesterAnswering({
      status: 201,
      body: { id: 7 },
    });
    const response = await requester.request<{ id: number }>(
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
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(
      '/api/things/things/a%20b%2Fc/parts/3?component=component%3Adefault%2Fx&tag=one&tag=two',
    );
    expect(request.headers.authorization).toBe('Bearer t-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ reason: 'because' });
  });

  it('sends neither a body nor a content type nor a token when there is none', async () => {
    const { requester, requests } = await requesterAnswering({ status: 204 });
    const response = await requester.request<void>('DELETE', '/things/{name}', {
      path: { name: 'x' },
      query: {},
    });
    expect(response.status).toBe(204);
    const [request] = requests;
    expect(request.url).toBe('/api/things/things/x');
    expect(request.headers).not.toHaveProperty('content-type');
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body).toBe('');
  });

  it('throws a ResponseError with the backend error for a response outside 2xx', async () => {
    const { requester } = await requesterAnswering({
      status: 409,
      body: {
        error: { name: 'ConflictError', message: 'It is locked' },
        request: { method: 'POST', url: '/things' },
        response: { statusCode: 409 },
      },
    });
    const error = await requester
      .request('POST', '/things', { body: {} })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe('It is locked');
  });

  it('refuses a path parameter without a value before sending anything', async () => {
    const { requester, requests } = await requesterAnswering({
      status: 200,
      body: {},
    });
    await expect(
      requester.request('GET', '/things/{name}', { path: {} }),
    ).rejects.toThrow("No value for path parameter 'name' of /things/{name}");
    expect(requests).toEqual([]);
  });
});
