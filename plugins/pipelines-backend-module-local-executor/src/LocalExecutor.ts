import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  checkPrepareWorkspaceRequest,
  checkStepRequest,
  checkStepStart,
  describeOutputProblem,
  describeStepEnd,
  parseStepOutputs,
  PipelineExecutor,
  pipelineLogWriter,
  PipelineStepEndReason,
  PipelineStepOutputProblem,
  PipelineStepRequest,
  PipelineStepResult,
  PipelineWorkspace,
  PipelineWorkspaceError,
  PrepareWorkspaceRequest,
  shutdownWorkspaceError,
  stepEnvironment,
  stepResultWithoutRun,
} from '@internal/plugin-pipelines-node';
import { lstat, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkout } from './checkout';
import { LocalExecutorSettings, readLocalExecutorSettings } from './config';
import { PROCESS_TAG_VARIABLE, terminateProcessTree } from './processTree';
import { ProcessEnd, runProcess } from './runProcess';
import {
  isWorkspaceId,
  newWorkspaceId,
  WorkspaceDirectories,
  WorkspacePaths,
} from './workspaceDirectories';
import { resolveWorkingDirectory } from './workingDirectory';

/** The most of a step's outputs file that is read. */
const MAX_OUTPUTS_FILE_BYTES = 1024 * 1024;

/** A workspace this executor prepared and has not released yet. */
type LiveWorkspace = {
  paths: WorkspacePaths;
  /** Aborted on release: the steps still running are stopped. */
  released: AbortController;
  steps: number;
  running: Set<Promise<unknown>>;
};

/**
 * The local executor, `local`: each run gets a workspace folder on the
 * backend's host with the commit checked out by git, and each step runs as
 * a child process group in it, with a minimal environment (never the
 * backend's own), a timeout, an output limit and cancellation; nothing a
 * step starts outlives it.
 *
 * It keeps the backend's secrets out of the steps' environment, but it is
 * not a sandbox: steps run as the backend's user and can read what it can.
 * That is why it is off unless `pipelines.executors.local.enabled` is true.
 *
 * @public
 */
export class LocalExecutor implements PipelineExecutor {
  readonly id = 'local';
  private readonly directories: WorkspaceDirectories;
  private readonly workspaces = new Map<string, LiveWorkspace>();
  private readonly preparing = new Set<Promise<unknown>>();
  /** Aborted when the backend shuts down. */
  private readonly shutdown = new AbortController();

  /** The folder the workspaces are created in. */
  get workspaceRoot(): string {
    return this.options.workspaceRoot;
  }

  /** Creates the executor from `pipelines.executors.local`. */
  static fromConfig(config: Config, options: { logger: LoggerService }) {
    return new LocalExecutor({
      ...readLocalExecutorSettings(config),
      logger: options.logger,
    });
  }

  constructor(
    private readonly options: LocalExecutorSettings & { logger: LoggerService },
  ) {
    this.directories = new WorkspaceDirectories(options.workspaceRoot);
  }

  /**
   * Prepares the executor for work: removes the workspaces (and stops the
   * processes) a backend left behind when it stopped without releasing
   * them, and checks that git can be run.
   */
  async start(): Promise<void> {
    const { logger } = this.options;
    const stale = await this.directories.findStale();
    for (const id of stale) {
      await terminateProcessTree({
        tagMatches: tag => tag.startsWith(`${id}/`),
        graceMs: this.options.killGracePeriodMs,
      });
      await this.directories.remove(id);
    }
    if (stale.length > 0) {
      logger.info(
        `Removed ${stale.length} workspace(s) left behind under ${this.options.workspaceRoot}`,
      );
    }
    const git = await runProcess({
      file: 'git',
      args: ['--version'],
      cwd: '/',
      env: { PATH: this.options.path },
      tag: 'git-version',
      subject: 'git --version',
      timeoutMs: 10_000,
      graceMs: 1000,
      maxOutputBytes: 1024,
      output: () => {},
    });
    if (git.end !== 'exited' || git.exitCode !== 0) {
      logger.warn(
        `git could not be run with PATH=${this.options.path}; checkouts will fail until it can`,
      );
    }
  }

  /**
   * Stops every step and checkout still running (their results say
   * `interrupted`) and removes every workspace not released yet.
   */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled(this.preparing);
    await Promise.allSettled(
      [...this.workspaces.values()].flatMap(w => [...w.running]),
    );
    for (const id of [...this.workspaces.keys()]) {
      await this.release(id);
    }
  }

  async prepareWorkspace(
    request: PrepareWorkspaceRequest,
  ): Promise<PipelineWorkspace> {
    const task = this.prepare(request);
    this.preparing.add(task);
    try {
      return await task;
    } finally {
      this.preparing.delete(task);
    }
  }

  private async prepare(
    request: PrepareWorkspaceRequest,
  ): Promise<PipelineWorkspace> {
    const refused = checkPrepareWorkspaceRequest(request, {
      shuttingDown: this.shutdown.signal.aborted,
    });
    if (refused) {
      throw refused;
    }

    const id = newWorkspaceId(request.runId);
    let paths: WorkspacePaths;
    try {
      paths = await this.directories.create(id);
    } catch (error) {
      await this.directories.remove(id).catch(() => {});
      throw new PipelineWorkspaceError(
        'executor_error',
        `Could not create the workspace under ${this.options.workspaceRoot}`,
        error,
      );
    }

    try {
      const workspace: PipelineWorkspace = {
        id,
        executor: this.id,
        runId: request.runId,
        ...(request.component ? { component: request.component } : {}),
      };
      if (request.repository) {
        const log = pipelineLogWriter(request.log);
        const commit = await checkout(request.repository, {
          directory: paths.checkout,
          env: {
            ...this.baseEnvironment(paths),
            GIT_TERMINAL_PROMPT: '0',
            // Without a terminal, ssh must not wait for a host key answer.
            GIT_SSH_COMMAND:
              this.passed().GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
            [PROCESS_TAG_VARIABLE]: `${id}/checkout`,
          },
          tag: `${id}/checkout`,
          timeoutMs: this.options.checkoutTimeoutMs,
          graceMs: this.options.killGracePeriodMs,
          log: (stream, text) => log(stream, text),
          signal: request.signal,
          interrupt: this.shutdown.signal,
        });
        workspace.repository = {
          cloneUrl: request.repository.cloneUrl,
          commit,
          ...(request.repository.ref ? { ref: request.repository.ref } : {}),
        };
      }
      if (this.shutdown.signal.aborted) {
        // stop() began while git ran and will not see this workspace.
        throw shutdownWorkspaceError();
      }
      this.workspaces.set(id, {
        paths,
        released: new AbortController(),
        steps: 0,
        running: new Set(),
      });
      return workspace;
    } catch (error) {
      await this.directories
        .remove(id)
        .catch(e =>
          this.options.logger.warn(`Could not remove workspace ${id}: ${e}`),
        );
      if (error instanceof PipelineWorkspaceError) {
        throw error;
      }
      throw new PipelineWorkspaceError(
        'executor_error',
        'The workspace could not be prepared',
        error,
      );
    }
  }

  async runStep(request: PipelineStepRequest): Promise<PipelineStepResult> {
    const startedAt = new Date();
    const ended = (reason: PipelineStepEndReason, message: string) =>
      stepResultWithoutRun(reason, message, startedAt);

    const workspace = this.workspaces.get(request.workspace?.id);
    if (request.workspace?.executor !== this.id || !workspace) {
      return ended(
        'executor_error',
        `Workspace '${request.workspace?.id}' is not one this backend's local executor holds: it was released, or prepared before a restart or by another backend`,
      );
    }
    const notStarted = checkStepStart(request, {
      shuttingDown: this.shutdown.signal.aborted,
    });
    if (notStarted) {
      return ended(notStarted.reason, notStarted.message);
    }

    const task = this.run(request, workspace, startedAt).catch(error =>
      ended(
        'executor_error',
        `The local executor failed: ${
          error instanceof Error ? error.message : String(error)
        }`,
      ),
    );
    workspace.running.add(task);
    try {
      return await task;
    } finally {
      workspace.running.delete(task);
    }
  }

  private async run(
    request: PipelineStepRequest,
    workspace: LiveWorkspace,
    startedAt: Date,
  ): Promise<PipelineStepResult> {
    const log = pipelineLogWriter(request.log);
    const rejected = async (message: string): Promise<PipelineStepResult> => {
      await log('system', `${message}\n`);
      return stepResultWithoutRun('rejected', message, startedAt);
    };

    const problem = checkStepRequest(request);
    if (problem) {
      return rejected(problem);
    }
    const cwd = await resolveWorkingDirectory(
      workspace.paths.checkout,
      request.workingDirectory,
    );
    if ('problem' in cwd) {
      return rejected(cwd.problem);
    }
    if (request.image) {
      await log(
        'system',
        `The local executor runs steps on the backend's host; the image ${request.image} is not used\n`,
      );
    }

    const number = ++workspace.steps;
    const stepDir = join(
      workspace.paths.steps,
      `${number}-${request.stepId
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .slice(0, 60)}`,
    );
    await mkdir(stepDir);
    const outputFile = join(stepDir, 'output');
    await writeFile(outputFile, '');

    const tag = `${request.workspace.id}/${number}`;
    const env: Record<string, string> = {
      ...stepEnvironment({
        base: this.baseEnvironment(workspace.paths),
        env: request.env,
        homePath: workspace.paths.home,
        tmpPath: workspace.paths.tmp,
        workspace: request.workspace,
        stepId: request.stepId,
        attempt: request.attempt ?? 1,
        checkoutPath: workspace.paths.checkout,
        outputPath: outputFile,
      }),
      [PROCESS_TAG_VARIABLE]: tag,
    };
    const [file, ...args] =
      typeof request.command === 'string'
        ? ['/bin/sh', '-e', '-c', request.command]
        : request.command;
    const maxOutputBytes = Math.min(
      request.maxOutputBytes ?? Infinity,
      this.options.maxOutputBytes,
    );
    const timeoutMs = request.timeoutMs ?? this.options.stepTimeoutMs;

    const signals = [workspace.released.signal];
    if (request.signal) {
      signals.push(request.signal);
    }
    const outcome = await runProcess({
      file,
      args,
      cwd: cwd.path,
      env,
      tag,
      subject: 'The step',
      timeoutMs,
      graceMs: this.options.killGracePeriodMs,
      maxOutputBytes,
      output: log,
      signal: AbortSignal.any(signals),
      interrupt: this.shutdown.signal,
    });

    const { outputs, problems } = await readOutputs(outputFile);
    for (const p of problems) {
      await log('system', `${describeOutputProblem(p)}\n`).catch(() => {});
    }
    const { reason, message } = describeEnd(outcome, {
      timeoutMs,
      maxOutputBytes,
      released: workspace.released.signal.aborted,
    });
    return {
      reason,
      exitCode: outcome.exitCode,
      ...(outcome.signal ? { signal: outcome.signal } : {}),
      ...(message ? { message } : {}),
      outputs,
      outputProblems: problems,
      outputBytes: outcome.outputBytes,
      startedAt,
      finishedAt: new Date(),
    };
  }

  async releaseWorkspace(workspace: PipelineWorkspace): Promise<void> {
    if (workspace.executor !== this.id || !isWorkspaceId(workspace.id)) {
      return; // not a folder of ours: nothing to remove
    }
    const live = this.workspaces.get(workspace.id);
    if (live) {
      live.released.abort();
      await Promise.allSettled(live.running);
    } else if (!(await this.directories.isStale(workspace.id))) {
      // Gone already, or held by another running backend sharing the root.
      return;
    }
    await this.release(workspace.id);
  }

  private async release(id: string): Promise<void> {
    await terminateProcessTree({
      tagMatches: tag => tag.startsWith(`${id}/`),
      graceMs: this.options.killGracePeriodMs,
    });
    await this.directories.remove(id);
    this.workspaces.delete(id);
  }

  /** The variables git and every step get, before the step's own. */
  private baseEnvironment(paths: WorkspacePaths): Record<string, string> {
    return {
      ...this.passed(),
      PATH: this.options.path,
      LANG: process.env.LANG || 'C.UTF-8',
      HOME: paths.home,
      TMPDIR: paths.tmp,
    };
  }

  /** The backend variables `passEnvironment` lets through. */
  private passed(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.options.passEnvironment) {
      const value = process.env[name];
      if (value !== undefined) {
        env[name] = value;
      }
    }
    return env;
  }
}

/** The local ends first; the rest in the words every executor uses. */
function describeEnd(
  outcome: {
    end: ProcessEnd;
    exitCode: number | null;
    signal?: string;
    error?: Error;
  },
  limits: { timeoutMs: number; maxOutputBytes: number; released: boolean },
): { reason: PipelineStepEndReason; message?: string } {
  if (outcome.end === 'exited' && outcome.exitCode === null) {
    return {
      reason: 'exited',
      message: `The step's process was ended by ${outcome.signal}`,
    };
  }
  if (outcome.end === 'spawn_failed') {
    return {
      reason: 'executor_error',
      message: `The step could not be started: ${outcome.error?.message}`,
    };
  }
  return describeStepEnd(outcome.end, {
    ...limits,
    error: outcome.error?.message,
  });
}

/**
 * Reads what the step wrote to its outputs file. Only a regular file is
 * read (a step could leave a FIFO that would block reading), and at most
 * {@link MAX_OUTPUTS_FILE_BYTES} of it.
 */
async function readOutputs(file: string): Promise<{
  outputs: Record<string, string>;
  problems: PipelineStepOutputProblem[];
}> {
  const info = await lstat(file).catch(() => undefined);
  if (!info) {
    return { outputs: {}, problems: [] };
  }
  if (!info.isFile()) {
    return {
      outputs: {},
      problems: [
        { line: 0, message: 'The outputs file is not a regular file' },
      ],
    };
  }
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(info.size, MAX_OUTPUTS_FILE_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const parsed = parseStepOutputs(
      buffer.subarray(0, bytesRead).toString('utf8'),
    );
    if (info.size > MAX_OUTPUTS_FILE_BYTES) {
      parsed.problems.push({
        line: 0,
        message: `The outputs file is larger than ${MAX_OUTPUTS_FILE_BYTES} bytes; only its start was read`,
      });
    }
    return parsed;
  } finally {
    await handle.close();
  }
}
