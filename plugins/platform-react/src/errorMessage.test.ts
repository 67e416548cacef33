import { createResponseError } from './testUtils';
import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it("shows the backend's message rather than the status line", async () => {
    const error = await createResponseError({
      status: 409,
      statusText: 'Conflict',
      name: 'ConflictError',
      message:
        'A deployment of component:default/payments-api to staging is already in progress',
      request: { method: 'POST', url: '/promotions/1/approve' },
    });
    expect(error.message).toBe('Request failed with 409 Conflict');
    expect(errorMessage(error)).toBe(
      'A deployment of component:default/payments-api to staging is already in progress',
    );
  });

  it('keeps the message of any other error', () => {
    expect(errorMessage(new Error('offline'))).toBe('offline');
  });
});
