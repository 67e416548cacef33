import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { attemptError, backendError, onBehalfOf } from './onBehalfOf';

async function forbidden() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'Not allowed to deploy' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

describe('onBehalfOf', () => {
  it('calls with a token on behalf of the caller, for the target plugin', async () => {
    const auth = mockServices.auth();
    const { call } = onBehalfOf(auth, 'pipelines');
    const user = mockCredentials.user('user:default/priya');
    const token = await call(user, async t => t.token);
    expect(token).toBe(
      mockCredentials.service.token({
        onBehalfOf: user,
        targetPluginId: 'pipelines',
      }),
    );
  });

  it("throws the called backend's own error, not the response's status line", async () => {
    const { call } = onBehalfOf(mockServices.auth(), 'environments');
    const refused = await forbidden();
    await expect(
      call(mockCredentials.user(), async () => {
        throw refused;
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed to deploy',
    });
  });

  it('keeps other errors as they are, and can say what was attempted', async () => {
    const plain = new Error('socket hang up');
    expect(backendError(plain)).toBe(plain);
    expect(attemptError(plain, 'Could not deploy')).toBe(plain);
    const described = attemptError(await forbidden(), 'Could not deploy');
    expect(described.message).toBe('Could not deploy: Not allowed to deploy');
    expect(described.name).toBe('NotAllowedError');
  });
});
