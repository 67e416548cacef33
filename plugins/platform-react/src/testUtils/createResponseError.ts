import { ResponseError } from '@backstage/errors';

/**
 * A `ResponseError` as the platform's clients throw it when the backend
 * refuses: built by `ResponseError.fromResponse` from a Backstage error body,
 * so its message is only the status line and the backend's message is its
 * cause.
 *
 * @public
 */
export async function createResponseError(options: {
  status: number;
  statusText: string;
  /** The backend error's name, e.g. `ConflictError`. */
  name: string;
  message: string;
  request?: { method: string; url: string };
}): Promise<ResponseError> {
  const { status, statusText, name, message, request } = options;
  const response = new Response(
    JSON.stringify({
      error: { name, message },
      request: request ?? { method: 'GET', url: '/' },
      response: { statusCode: status },
    }),
    {
      status,
      statusText,
      headers: { 'content-type': 'application/json' },
    },
  );
  return ResponseError.fromResponse(response);
}
