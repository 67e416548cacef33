import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { InputError, ResponseError } from '@backstage/errors';
import { Router } from 'express';
import { AddressInfo } from 'node:net';
import { hideInternalErrors } from './hideInternalErrors';

async function start() {
  const logger = mockServices.logger.mock();
  // What a client call to another plugin throws when that plugin says 404.
  const upstream = await ResponseError.fromResponse(
    new Response('{}', { status: 404, statusText: 'Not Found' }),
  );
  const plugin = createBackendPlugin({
    pluginId: 'failing',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const routes = Router();
          routes.get('/driver', () => {
            const error = new Error(
              'select * from `runs` limit 20 offset 1e19 - datatype mismatch',
            );
            error.name = 'SqliteError';
            throw error;
          });
          routes.get('/input', () => {
            throw new InputError('request/query/limit must be integer');
          });
          routes.get('/upstream', () => {
            throw upstream;
          });
          httpRouter.use(Router().use(routes, hideInternalErrors(logger)));
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [plugin, mockServices.rootConfig.factory({ data: {} })],
  });
  const { port } = server.address() as AddressInfo;
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/failing${path}`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    return { status: res.status, body: await res.json() };
  };
  return { get, logger };
}

describe('hideInternalErrors', () => {
  it('answers an error without a status with a log id, and logs it', async () => {
    const { get, logger } = await start();
    const res = await get('/driver');
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      name: 'Error',
      message: expect.stringMatching(
        /^An internal error occurred logId=[0-9a-f]{20}$/,
      ),
    });
    expect(JSON.stringify(res.body)).not.toContain('select');
    const logId = res.body.error.message.split('logId=')[1];
    expect(logger.error).toHaveBeenCalledWith(
      `Internal error logId=${logId}, left out of the response`,
      expect.objectContaining({ name: 'SqliteError' }),
    );
  });

  it("passes Backstage's errors and errors with a status on as they are", async () => {
    const { get } = await start();
    const input = await get('/input');
    expect(input.status).toBe(400);
    expect(input.body.error.message).toBe(
      'request/query/limit must be integer',
    );
    const upstream = await get('/upstream');
    expect(upstream.status).toBe(404);
    expect(upstream.body.error.name).toBe('ResponseError');
  });
});
