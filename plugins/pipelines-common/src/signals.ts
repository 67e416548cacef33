/**
 * The signal channel the Pipelines backend announces run changes on, so open
 * pages refresh without polling.
 *
 * @public
 */
export const PIPELINES_SIGNAL_CHANNEL = 'pipelines:runs';

/**
 * A change announced on {@link PIPELINES_SIGNAL_CHANNEL}: a run was queued,
 * started or finished, or one of its steps started or finished.
 *
 * @public
 */
export type PipelinesRunSignal = {
  runId: string;
  /** Entity ref of the component the run builds. */
  component: string;
  /** The run's status after the change. */
  status: string;
  /** The step that changed, for step changes. */
  step?: string;
};
