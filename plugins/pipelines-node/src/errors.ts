import { CustomErrorBase } from '@backstage/errors';

/**
 * Why a workspace could not be prepared.
 *
 * - `invalid_request`: the request was refused before anything was done
 *   (a clone URL with credentials in it, a malformed commit id or ref, ...).
 * - `checkout_failed`: git could not fetch or check out the commit (unknown
 *   repository or commit, authentication failed, network error, ...).
 * - `timed_out`: the checkout took longer than the executor allows.
 * - `cancelled`: the request's signal was aborted.
 * - `executor_error`: the executor itself failed (disk full, git missing,
 *   ...).
 *
 * @public
 */
export type PipelineWorkspaceErrorReason =
  | 'invalid_request'
  | 'checkout_failed'
  | 'timed_out'
  | 'cancelled'
  | 'executor_error';

/**
 * A workspace could not be prepared. The message is fit to show with the run
 * (credentials are never in it).
 *
 * @public
 */
export class PipelineWorkspaceError extends CustomErrorBase {
  name = 'PipelineWorkspaceError' as const;

  constructor(
    readonly reason: PipelineWorkspaceErrorReason,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/**
 * Tells a {@link PipelineWorkspaceError} by its name, so that it is also
 * recognised when it comes from another copy of this package.
 *
 * @public
 */
export function isPipelineWorkspaceError(
  error: unknown,
): error is PipelineWorkspaceError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'PipelineWorkspaceError' &&
    typeof (error as { reason?: unknown }).reason === 'string'
  );
}
