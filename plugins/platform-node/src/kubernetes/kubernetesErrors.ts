import { stringifyError } from '@backstage/errors';

/**
 * The parts of `@kubernetes/client-node`'s `ApiException` read here (by
 * shape: this package does not depend on the client).
 */
type ApiExceptionLike = { code: number; body?: unknown };

function isApiException(error: unknown): error is ApiExceptionLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ApiExceptionLike).code === 'number' &&
    'body' in error
  );
}

/** The `Status` object a failed API call answered with, if it did. */
function statusOf(
  error: ApiExceptionLike,
): { message?: string; reason?: string } | undefined {
  const body = error.body;
  if (typeof body === 'object' && body !== null) return body;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The HTTP status of a failed Kubernetes API call, if the API server
 * answered.
 *
 * @public
 */
export function kubernetesStatusCodeOf(error: unknown): number | undefined {
  return isApiException(error) ? error.code : undefined;
}

/**
 * What went wrong in a call to the API server, in words: the message of the
 * `Status` it answered with, or the connection error. The client's own
 * message is not used: it dumps the response headers.
 *
 * @public
 */
export function describeKubernetesError(error: unknown): string {
  if (!isApiException(error)) return stringifyError(error);
  const status = statusOf(error);
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
