/**
 * Where a run is: `queued` in the database until an executor slot takes it,
 * `running`, then one of the final states, which never change.
 *
 * @public
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** The states a run never leaves. @public */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * Where a stage or a step is. `skipped`: its `when` did not match the run,
 * or something it needs failed or was skipped.
 *
 * @public
 */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/**
 * Something a run produced. An image stage produces an `image`: the
 * reference it pushed and the digest the registry gave it.
 *
 * @public
 */
export interface Artifact {
  type: 'image';
  /** The stage that produced it. */
  stage: string;
  /** `registry/repository:tag`, the first tag pushed. */
  image: string;
  /** Every tag pushed. */
  tags: string[];
  /** `sha256:` and 64 hex digits. */
  digest: string;
  createdAt: string;
}
