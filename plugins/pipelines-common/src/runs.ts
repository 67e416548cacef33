import * as Models from './schema/openapi/generated/models';

/**
 * Where a run is (the spec's `RunStatus`): `queued` in the database until an
 * executor slot takes it, `running`, then one of the final states, which
 * never change.
 *
 * @public
 */
export type RunStatus = Models.RunStatus;

/** The states a run never leaves. @public */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * Where a stage or a step is (the spec's `StepRunStatus`). `skipped`: its
 * `when` did not match the run, or something it needs failed or was skipped.
 *
 * @public
 */
export type StepStatus = Models.StepRunStatus;

/**
 * Something a stage of a run produced, as the engine records it: the
 * spec's `Artifact` without `attempt`, which the API adds (the attempt of
 * the run that produced it). An image stage produces an `image`: the reference it
 * pushed (`registry/repository:tag`, the first tag), every tag, and the
 * digest the registry gave it (`sha256:` and 64 hex digits).
 *
 * @public
 */
export type Artifact = Omit<Models.Artifact, 'attempt'>;
