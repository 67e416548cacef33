import { stringifyError } from '@backstage/errors';

/** The parts of the client's `ApiException` this module reads. */
type ApiExceptionLike = { code: number; body?: unknown };

function isApiException(error: unknown): error is ApiExceptionLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ApiExceptionLike).code === 'number' &&
    'body' in error
  );
}

/** The HTTP status of a failed API call, if the API server answered. */
export function statusCodeOf(error: unknown): number | undefined {
  return isApiException(error) ? error.code : undefined;
}

/**
 * What went wrong in a call to the API server, in words: the message of the
 * `Status` it answered with, or the connection error. The client's own
 * message is not used: it dumps the response headers.
 */
export function describeKubernetesError(error: unknown): string {
  if (!isApiException(error)) return stringifyError(error);
  let status: { message?: string; reason?: string } | undefined;
  if (typeof error.body === 'object' && error.body !== null) {
    status = error.body as typeof status;
  } else if (typeof error.body === 'string') {
    try {
      status = JSON.parse(error.body);
    } catch {
      status = undefined;
    }
  }
  if (status?.message) {
    return `${status.message} (HTTP ${error.code}${
      status.reason ? ` ${status.reason}` : ''
    })`;
  }
  if (error.code === 401) {
    return 'the API server refused the service account token (HTTP 401 Unauthorized)';
  }
  return `the API server answered HTTP ${error.code}`;
}
