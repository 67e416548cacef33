import { ResponseError } from '@backstage/errors';

/**
 * What to show for a failed request: the backend's own message (which names
 * the field or the gate at fault) rather than the HTTP status line, which is
 * all a `ResponseError`'s own message says.
 *
 * @public
 */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError || error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) return cause.message;
  }
  return error.message;
}
