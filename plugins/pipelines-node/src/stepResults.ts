import { PipelineWorkspaceError } from './errors';
import {
  PipelineLogSink,
  PipelineStepEndReason,
  PipelineStepOutputProblem,
  PipelineStepResult,
} from './executor';

/**
 * A duration as people write it in config: `2h`, `10m`, `30s` or
 * `1500ms` (the largest unit that divides it).
 *
 * @public
 */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * How a step's process (or pod) ended, in the terms every executor shares.
 * What only one executor knows (a process that could not be spawned, a Job
 * the cluster failed) it describes itself.
 *
 * @public
 */
export type PipelineStepEnd =
  | 'exited'
  | 'timed_out'
  | 'cancelled'
  | 'output_limit_exceeded'
  | 'interrupted'
  | 'sink_failed';

/**
 * The result reason and message of a step that ran, for every executor the
 * same words: `timed_out` names the timeout, `cancelled` says whether the
 * workspace's release stopped it, `sink_failed` becomes `executor_error`
 * with the sink's error. An `exited` step has no message.
 *
 * @public
 */
export function describeStepEnd(
  end: PipelineStepEnd,
  limits: {
    timeoutMs: number;
    maxOutputBytes: number;
    /** Whether the step was stopped because its workspace was released. */
    released: boolean;
    /** For `sink_failed`: why the log could not be stored. */
    error?: string;
  },
): { reason: PipelineStepEndReason; message?: string } {
  switch (end) {
    case 'exited':
      return { reason: 'exited' };
    case 'timed_out':
      return {
        reason: 'timed_out',
        message: `The step ran longer than its timeout of ${formatDuration(
          limits.timeoutMs,
        )} and was stopped`,
      };
    case 'cancelled':
      return {
        reason: 'cancelled',
        message: limits.released
          ? 'The step was stopped because its workspace was released'
          : 'The step was cancelled',
      };
    case 'output_limit_exceeded':
      return {
        reason: 'output_limit_exceeded',
        message: `The step wrote more than ${limits.maxOutputBytes} bytes of output and was stopped`,
      };
    case 'interrupted':
      return {
        reason: 'interrupted',
        message: 'The step was stopped because the backend is shutting down',
      };
    case 'sink_failed':
    default:
      return {
        reason: 'executor_error',
        message: `The step was stopped because its log could not be stored: ${limits.error}`,
      };
  }
}

/**
 * The error of a checkout that was stopped: its timeout passed
 * (`timed_out`), its signal was aborted (`cancelled`) or the backend is
 * shutting down (`executor_error`).
 *
 * @public
 */
export function checkoutStoppedError(
  end: 'timed_out' | 'cancelled' | 'interrupted',
  timeoutMs: number,
): PipelineWorkspaceError {
  switch (end) {
    case 'timed_out':
      return new PipelineWorkspaceError(
        'timed_out',
        `The checkout took longer than ${formatDuration(timeoutMs)}`,
      );
    case 'cancelled':
      return new PipelineWorkspaceError(
        'cancelled',
        'The checkout was cancelled',
      );
    case 'interrupted':
    default:
      return new PipelineWorkspaceError(
        'executor_error',
        'The checkout was stopped because the backend is shutting down',
      );
  }
}

/**
 * The result of a step that never ran: refused, cancelled before it
 * started, its workspace gone, the executor failing. No exit code, no
 * outputs.
 *
 * @public
 */
export function stepResultWithoutRun(
  reason: PipelineStepEndReason,
  message: string,
  startedAt: Date,
): PipelineStepResult {
  return {
    reason,
    exitCode: null,
    message,
    outputs: {},
    outputProblems: [],
    outputBytes: 0,
    startedAt,
    finishedAt: new Date(),
  };
}

/**
 * An output problem as a line of the step's log, e.g.
 * `Outputs file line 3: ...`.
 *
 * @public
 */
export function describeOutputProblem(
  problem: PipelineStepOutputProblem,
): string {
  const where =
    problem.line > 0 ? `Outputs file line ${problem.line}` : 'Outputs file';
  return `${where}: ${problem.message}`;
}

/**
 * Writes to a log sink, if there is one: stamps each piece of text and
 * drops empty ones.
 *
 * @public
 */
export type PipelineLogWriter = (
  stream: 'stdout' | 'stderr' | 'system',
  text: string,
) => Promise<void>;

/**
 * A {@link PipelineLogWriter} for a request's sink (which may be absent).
 *
 * @public
 */
export function pipelineLogWriter(
  sink: PipelineLogSink | undefined,
): PipelineLogWriter {
  return async (stream, text) => {
    if (sink && text !== '') {
      await sink({ stream, text, timestamp: new Date() });
    }
  };
}
