import { RequestValidationContext } from '@backstage/plugin-events-node';

/**
 * Answers a webhook request 401 with a body in Backstage's error shape, so
 * that the sender's delivery log says which header to fix. The message names
 * the header and never carries what was sent or what was expected.
 */
export function rejectUnauthenticated(
  context: RequestValidationContext,
  message: string,
): void {
  context.reject({
    status: 401,
    payload: {
      error: { name: 'AuthenticationError', message },
      response: { statusCode: 401 },
    },
  });
}

/**
 * The one value of a header, or what is wrong with it. Node joins most
 * repeated headers with a comma, but keeps an array for some; a header sent
 * twice is not a signature.
 */
export function singleHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): { value: string } | { problem: 'missing' | 'repeated' } {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) {
    return value.length > 1
      ? { problem: 'repeated' }
      : singleHeader({ [name.toLowerCase()]: value[0] }, name);
  }
  if (value === undefined || value === '') return { problem: 'missing' };
  return { value };
}
