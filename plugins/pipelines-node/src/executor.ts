/**
 * Where a run's source code comes from. The executor checks the commit out
 * into the run's workspace.
 *
 * @public
 */
export type PipelineRepository = {
  /**
   * The URL to clone: `https://`, `http://`, `ssh://`, `git://`, `file://`
   * or scp-like `user@host:path`. It must not carry credentials (they would
   * end up in the checkout's git config, visible to every step): pass them in
   * `credentials`.
   */
  cloneUrl: string;
  /**
   * The full commit id (40 or 64 hex digits) to check out. When absent, the
   * commit `ref` points to at preparation time is used; one of the two is
   * required.
   */
  commit?: string;
  /**
   * The ref the commit belongs to, e.g. `refs/heads/main`, `main`,
   * `refs/tags/v1.2.0` or `refs/pull/7/head`. Used to find the commit when
   * the server does not serve single commits, and exported to steps.
   */
  ref?: string;
  /**
   * HTTP(S) credentials for the clone, e.g. an installation token as the
   * password. Executors hand them to git only for the clone: they are not
   * stored in the workspace, not exported to steps and never logged.
   */
  credentials?: { username: string; password: string };
};

/**
 * One piece of a step's (or a workspace preparation's) output, stamped with
 * the time the executor received it.
 *
 * @public
 */
export type PipelineLogChunk = {
  /**
   * `stdout` and `stderr` are the process's own streams; `system` lines come
   * from the executor (what it does, why it stopped a step), one line per
   * chunk, ending in a newline.
   */
  stream: 'stdout' | 'stderr' | 'system';
  /**
   * The text, decoded as UTF-8 (a multi-byte character split between reads
   * is never torn apart). Chunks are not aligned to lines.
   */
  text: string;
  /** When the executor received it. */
  timestamp: Date;
};

/**
 * Receives log chunks in the order they were produced. When it returns a
 * promise, the executor waits for it before it passes the next chunk (and
 * stops reading the process's output meanwhile, which slows a process that
 * writes faster than the sink stores); a step's result is only returned
 * after every chunk was accepted. A sink that throws or rejects ends the step
 * with `executor_error`.
 *
 * @public
 */
export type PipelineLogSink = (chunk: PipelineLogChunk) => void | Promise<void>;

/**
 * What the engine asks for when a run starts: a workspace with the
 * repository checked out.
 *
 * @public
 */
export type PrepareWorkspaceRequest = {
  /** The run's id; executors use it to name and label what they create. */
  runId: string;
  /** The catalog entity ref of the component the run builds, if known. */
  component?: string;
  /** What to check out; without it the workspace starts empty. */
  repository?: PipelineRepository;
  /** Receives the checkout's progress and errors. */
  log?: PipelineLogSink;
  /** Aborting it stops the preparation (and removes what was created). */
  signal?: AbortSignal;
};

/**
 * A prepared workspace. It is plain data, so the engine can store it with the
 * run and release it after a restart.
 *
 * @public
 */
export type PipelineWorkspace = {
  /** Unique among the executor's workspaces. */
  id: string;
  /** The id of the executor that prepared it. */
  executor: string;
  /** The run it was prepared for. */
  runId: string;
  /** The component ref from the request. */
  component?: string;
  /** What was checked out, with the commit resolved to its full id. */
  repository?: {
    cloneUrl: string;
    commit: string;
    ref?: string;
  };
};

/**
 * One step to run in a workspace.
 *
 * @public
 */
export type PipelineStepRequest = {
  /** The workspace from {@link PipelineExecutor.prepareWorkspace}. */
  workspace: PipelineWorkspace;
  /**
   * The step's id within the run, e.g. `build.test`; exported to the step as
   * `PIPELINE_STEP_ID`.
   */
  stepId: string;
  /** 1 for the first attempt, 2 for the first retry, ... Default 1. */
  attempt?: number;
  /**
   * A string is a script for the POSIX shell, run as `sh -e -c <command>`
   * (so a multi-line script stops at its first failing command); an array is
   * a program and its arguments, run without a shell (the program is looked
   * up on `PATH`).
   */
  command: string | string[];
  /**
   * Variables for the step, added to the executor's minimal environment.
   * Names are `[A-Za-z_][A-Za-z0-9_]*`; `HOME`, `TMPDIR`, `CI` and `PIPELINE_*`
   * are the executor's and are refused here.
   */
  env?: Record<string, string>;
  /**
   * The directory to run in, relative to the checkout (`.` when absent).
   * Absolute paths and paths leading out of the checkout (`..`, symbolic
   * links) are refused.
   */
  workingDirectory?: string;
  /** How long the step may run; the executor's default when absent. */
  timeoutMs?: number;
  /**
   * How many bytes of stdout and stderr together the step may write before
   * it is stopped. The executor's own limit caps it.
   */
  maxOutputBytes?: number;
  /**
   * The container image for executors that run steps in containers. Executors
   * that run steps on their own host (`local`) ignore it and say so in the
   * log.
   */
  image?: string;
  /** Receives the step's output. */
  log: PipelineLogSink;
  /** Aborting it cancels the step: its processes are stopped. */
  signal?: AbortSignal;
};

/**
 * Why a step ended.
 *
 * - `exited`: the step's process exited by itself; `exitCode` says how.
 * - `timed_out`: it ran longer than its timeout and was stopped.
 * - `cancelled`: the request's signal was aborted and it was stopped (or it
 *   was cancelled before it started).
 * - `output_limit_exceeded`: it wrote more than its output limit and was
 *   stopped; the output up to the limit was logged.
 * - `rejected`: the executor refused to start it, e.g. a working directory
 *   outside the checkout or a reserved variable name; `message` says why.
 * - `interrupted`: the executor stopped it because the backend is shutting
 *   down; running it again later is reasonable.
 * - `executor_error`: the executor failed (could not start the process, lost
 *   its workspace, the log sink failed, ...); `message` says why.
 *
 * @public
 */
export type PipelineStepEndReason =
  | 'exited'
  | 'timed_out'
  | 'cancelled'
  | 'output_limit_exceeded'
  | 'rejected'
  | 'interrupted'
  | 'executor_error';

/**
 * A line of a step's outputs file that could not be read.
 *
 * @public
 */
export type PipelineStepOutputProblem = {
  /** 1-based line number in the outputs file. */
  line: number;
  message: string;
};

/**
 * How a step ended.
 *
 * @public
 */
export type PipelineStepResult = {
  reason: PipelineStepEndReason;
  /**
   * The process's exit code; `null` when it was ended by a signal or never
   * started.
   */
  exitCode: number | null;
  /** The signal that ended the process, e.g. `SIGTERM`, if one did. */
  signal?: string;
  /** Why it ended, in words, for every reason other than a plain exit. */
  message?: string;
  /**
   * What the step wrote to its outputs file (`$PIPELINE_OUTPUT`), also
   * when it failed. Later lines win over earlier ones with the same key.
   */
  outputs: Record<string, string>;
  /** Lines of the outputs file that were not understood (and skipped). */
  outputProblems: PipelineStepOutputProblem[];
  /** Bytes of stdout and stderr the step wrote (up to the limit). */
  outputBytes: number;
  startedAt: Date;
  finishedAt: Date;
};

/**
 * Runs a pipeline's steps somewhere: on the backend's host (`local`), as
 * Kubernetes Jobs, ... The engine drives it:
 *
 * 1. {@link PipelineExecutor.prepareWorkspace} once per run;
 * 2. {@link PipelineExecutor.runStep} for each step, possibly several at
 *    once in one workspace (steps of a DAG that do not need each other);
 *    what one step leaves in the checkout, the next one sees;
 * 3. {@link PipelineExecutor.releaseWorkspace} when the run has ended.
 *
 * A step's processes end with the step: anything it started in the
 * background is stopped when its main process ends, on every executor (a
 * Kubernetes Job per step could not keep them), so a service a step needs
 * must be started within that step.
 *
 * @public
 */
export interface PipelineExecutor {
  /** The executor's id, e.g. `local` or `kubernetes`. */
  readonly id: string;
  /**
   * Creates a workspace and checks the repository out into it. Rejects with
   * a {@link PipelineWorkspaceError} saying why when it cannot; nothing is
   * left behind then.
   */
  prepareWorkspace(
    request: PrepareWorkspaceRequest,
  ): Promise<PipelineWorkspace>;
  /**
   * Runs one step to its end and resolves with how it ended. It does not
   * reject: whatever happens to the step, including executor failures, is in
   * the result's `reason` and `message`.
   */
  runStep(request: PipelineStepRequest): Promise<PipelineStepResult>;
  /**
   * Removes the workspace and whatever still runs in it. Idempotent: a
   * workspace that is already gone (released before, or cleaned up after a
   * restart) is fine.
   */
  releaseWorkspace(workspace: PipelineWorkspace): Promise<void>;
}

/**
 * A step ended well: its process exited by itself with code 0.
 *
 * @public
 */
export function isSuccessfulStep(result: PipelineStepResult): boolean {
  return result.reason === 'exited' && result.exitCode === 0;
}
