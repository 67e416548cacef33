import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  checkoutStoppedError,
  checkPrepareWorkspaceRequest,
  checkStepRequest,
  checkStepStart,
  describeOutputProblem,
  describeStepEnd,
  parseStepOutputs,
  PipelineExecutor,
  PipelineLogWriter,
  pipelineLogWriter,
  PipelineStepEndReason,
  PipelineStepRequest,
  PipelineStepResult,
  PipelineWorkspace,
  PipelineWorkspaceError,
  PrepareWorkspaceRequest,
  resolveStepWorkingDirectory,
  shutdownWorkspaceError,
  stepEnvironment,
  stepResultWithoutRun,
} from '@internal/plugin-pipelines-node';
import {
  KubernetesExecutorSettings,
  readKubernetesExecutorSettings,
} from './config';
import { ClusterClient, deleteJob, JobOutcome, runJob } from './jobRun';
import {
  describeKubernetesError,
  kubernetesStatusCodeOf,
} from '@internal/platform-node';
import {
  claimManifest,
  cloneJobManifest,
  credentialsManifest,
  OUTPUT_FILE,
  isWorkspaceId,
  newWorkspaceId,
  WorkspaceRef,
  workspaceNames,
  workspaceSelector,
  stepJobManifest,
} from './manifests';

/** What Kubernetes keeps of a termination message. */
const MAX_TERMINATION_MESSAGE_BYTES = 4096;

/**
 * The Kubernetes executor, `kubernetes`: each run gets a
 * PersistentVolumeClaim that a clone Job checks the commit out into, and
 * each step runs as a Job whose pod mounts it, in the image the step names
 * (or the configured default). The pod's log is the step's log; the step's
 * outputs file reaches the executor as the container's termination message.
 * Timeouts, the output limit and cancellation delete the step's Job.
 *
 * @public
 */
export class KubernetesExecutor implements PipelineExecutor {
  readonly id = 'kubernetes';
  private client?: Promise<ClusterClient>;
  /** The steps running per workspace, stopped when the workspace is released. */
  private readonly running = new Map<string, Set<AbortController>>();
  /** Aborted when the backend shuts down. */
  private readonly shutdown = new AbortController();
  private readonly active = new Set<Promise<unknown>>();

  /** Creates the executor from `pipelines.executors.kubernetes`. */
  static fromConfig(config: Config, options: { logger: LoggerService }) {
    return new KubernetesExecutor({
      ...readKubernetesExecutorSettings(config),
      logger: options.logger,
    });
  }

  constructor(
    private readonly options: KubernetesExecutorSettings & {
      logger: LoggerService;
    },
  ) {}

  /** The namespace the executor works in. */
  get namespace(): string {
    return this.options.namespace;
  }

  /** Stops every step and checkout still running; their results say `interrupted`. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled(this.active);
  }

  private track<T>(task: Promise<T>): Promise<T> {
    this.active.add(task);
    return task.finally(() => this.active.delete(task));
  }

  private kube(): Promise<ClusterClient> {
    this.client ??= (async () => {
      // The client is an ES module: loaded on first use.
      const k8s = await import('@kubernetes/client-node');
      const kubeConfig = new k8s.KubeConfig();
      const cluster = this.options.cluster;
      if (cluster.inCluster) {
        kubeConfig.loadFromCluster();
      } else {
        kubeConfig.loadFromOptions({
          clusters: [
            {
              name: 'pipelines',
              server: cluster.url,
              caData: cluster.caData,
              skipTLSVerify: cluster.skipTLSVerify ?? false,
            },
          ],
          users: [{ name: 'launchpad-pipelines', token: cluster.token }],
          contexts: [
            {
              name: 'pipelines',
              cluster: 'pipelines',
              user: 'launchpad-pipelines',
            },
          ],
          currentContext: 'pipelines',
        });
      }
      return {
        kubeConfig,
        core: kubeConfig.makeApiClient(k8s.CoreV1Api),
        batch: kubeConfig.makeApiClient(k8s.BatchV1Api),
      };
    })();
    return this.client;
  }

  prepareWorkspace(
    request: PrepareWorkspaceRequest,
  ): Promise<PipelineWorkspace> {
    return this.track(this.prepare(request));
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

    const { namespace } = this.options;
    const { runId, repository } = request;
    const ref: WorkspaceRef = { id: newWorkspaceId(runId), runId };
    const names = workspaceNames(ref.id);
    const log = pipelineLogWriter(request.log);
    const secret = repository?.credentials?.password;
    const redact = (text: string) =>
      secret ? text.split(secret).join('***') : text;
    const client = await this.kube();
    let credentialsCreated = false;
    try {
      await client.core
        .createNamespacedPersistentVolumeClaim({
          namespace,
          body: claimManifest(ref, this.options),
        })
        .catch(e => {
          throw new PipelineWorkspaceError(
            kubernetesStatusCodeOf(e) === 409
              ? 'invalid_request'
              : 'executor_error',
            kubernetesStatusCodeOf(e) === 409
              ? `Workspace claim ${names.claim} exists already in namespace ${namespace}`
              : `The workspace claim could not be created: ${describeKubernetesError(
                  e,
                )}`,
          );
        });
      await log(
        'system',
        `Created workspace claim ${names.claim} (${this.options.workspaceSize}) in namespace ${namespace}\n`,
      );
      const workspace: PipelineWorkspace = {
        id: ref.id,
        executor: this.id,
        runId,
        ...(request.component ? { component: request.component } : {}),
      };
      if (!repository) {
        // The clone Job lays the workspace's folders out, with nothing to
        // fetch.
        await this.cloneJob(client, ref, request, undefined, log, redact);
        return workspace;
      }
      if (repository.credentials) {
        await client.core
          .createNamespacedSecret({
            namespace,
            body: credentialsManifest(ref, repository.credentials),
          })
          .catch(e => {
            throw new PipelineWorkspaceError(
              'executor_error',
              `The clone credentials could not be stored: ${describeKubernetesError(
                e,
              )}`,
            );
          });
        credentialsCreated = true;
      }
      const commit = await this.cloneJob(
        client,
        ref,
        request,
        repository,
        log,
        redact,
      );
      workspace.repository = {
        cloneUrl: repository.cloneUrl,
        commit,
        ...(repository.ref ? { ref: repository.ref } : {}),
      };
      if (this.shutdown.signal.aborted) {
        throw shutdownWorkspaceError();
      }
      return workspace;
    } catch (error) {
      await this.removeWorkspace(ref.id).catch(e =>
        this.options.logger.warn(
          `Could not remove workspace ${
            ref.id
          } of run ${runId}: ${describeKubernetesError(e)}`,
        ),
      );
      if (error instanceof PipelineWorkspaceError) throw error;
      throw new PipelineWorkspaceError(
        'executor_error',
        `The workspace could not be prepared: ${describeKubernetesError(
          error,
        )}`,
      );
    } finally {
      if (credentialsCreated) {
        // Short-lived: only the clone needed them.
        await client.core
          .deleteNamespacedSecret({ namespace, name: names.credentials })
          .catch(e => {
            if (kubernetesStatusCodeOf(e) !== 404) {
              this.options.logger.warn(
                `Could not delete the clone credentials ${
                  names.credentials
                }: ${describeKubernetesError(e)}`,
              );
            }
          });
      }
    }
  }

  /** Runs the clone Job; returns the commit checked out. */
  private async cloneJob(
    client: ClusterClient,
    workspace: WorkspaceRef,
    request: PrepareWorkspaceRequest,
    repository: PrepareWorkspaceRequest['repository'],
    log: PipelineLogWriter,
    redact: (text: string) => string,
  ): Promise<string> {
    const timeoutMs = this.options.checkoutTimeoutMs;
    let tail = '';
    const job = cloneJobManifest({
      workspace,
      settings: this.options,
      repository,
      withCredentials: !!repository?.credentials,
    });
    const outcome = await runJob({
      client,
      namespace: this.options.namespace,
      job,
      container: 'clone',
      timeoutMs,
      maxOutputBytes: 1024 * 1024,
      pollIntervalMs: this.options.pollIntervalMs,
      output: async text => {
        const clean = redact(text);
        tail = (tail + clean).slice(-4000);
        await log('stdout', clean);
      },
      system: line => log('system', `${redact(line)}\n`),
      signal: request.signal,
      interrupt: this.shutdown.signal,
    });
    if (outcome.end === 'exited' && outcome.exitCode === 0) {
      if (!repository) return '';
      const commit = /^commit=([0-9a-f]{40,64})$/m.exec(
        outcome.terminationMessage ?? '',
      )?.[1];
      if (!commit) {
        throw new PipelineWorkspaceError(
          'executor_error',
          'The clone Job ended without saying which commit it checked out',
        );
      }
      return commit;
    }
    throw cloneError(outcome, timeoutMs, redact(tail));
  }

  runStep(request: PipelineStepRequest): Promise<PipelineStepResult> {
    const startedAt = new Date();
    return this.track(
      this.step(request, startedAt).catch(error =>
        stepResultWithoutRun(
          'executor_error',
          `The Kubernetes executor failed: ${describeKubernetesError(error)}`,
          startedAt,
        ),
      ),
    );
  }

  private async step(
    request: PipelineStepRequest,
    startedAt: Date,
  ): Promise<PipelineStepResult> {
    const log = pipelineLogWriter(request.log);
    const ended = async (
      reason: PipelineStepEndReason,
      message: string,
    ): Promise<PipelineStepResult> => {
      if (reason === 'rejected') {
        await log('system', `${message}\n`);
      }
      return stepResultWithoutRun(reason, message, startedAt);
    };
    const { workspace } = request;
    if (
      workspace?.executor !== this.id ||
      !isWorkspaceId(workspace.id) ||
      typeof workspace.runId !== 'string'
    ) {
      return ended(
        'executor_error',
        `Workspace '${workspace?.id}' was not prepared by the Kubernetes executor`,
      );
    }
    const notStarted = checkStepStart(request, {
      shuttingDown: this.shutdown.signal.aborted,
    });
    if (notStarted) {
      return ended(notStarted.reason, notStarted.message);
    }
    const checkout = `${this.options.workspacePath}/src`;
    const problem =
      checkStepRequest(request) ??
      (request.image !== undefined &&
      (typeof request.image !== 'string' || !/^[^\s]+$/.test(request.image))
        ? `'${request.image}' is not an image reference`
        : undefined);
    if (problem) {
      return ended('rejected', problem);
    }
    const cwd = resolveStepWorkingDirectory(checkout, request.workingDirectory);
    if ('problem' in cwd) {
      return ended('rejected', cwd.problem);
    }

    const client = await this.kube();
    const names = workspaceNames(workspace.id);
    const claim = await client.core
      .readNamespacedPersistentVolumeClaim({
        namespace: this.options.namespace,
        name: names.claim,
      })
      .catch(e => {
        if (kubernetesStatusCodeOf(e) === 404) return undefined;
        throw e;
      });
    if (!claim) {
      return ended(
        'executor_error',
        `Workspace ${workspace.id} of run ${workspace.runId} (its claim) is gone: it was released`,
      );
    }

    const timeoutMs = request.timeoutMs ?? this.options.stepTimeoutMs;
    const maxOutputBytes = Math.min(
      request.maxOutputBytes ?? Infinity,
      this.options.maxOutputBytes,
    );
    const attempt = request.attempt ?? 1;
    const image = request.image ?? this.options.defaultImage;
    const env = stepEnvironment({
      env: request.env,
      homePath: `${this.options.workspacePath}/home`,
      tmpPath: `${this.options.workspacePath}/tmp`,
      workspace,
      stepId: request.stepId,
      attempt,
      checkoutPath: checkout,
      outputPath: OUTPUT_FILE,
    });
    const jobName = names.stepJob(request.stepId);
    await log(
      'system',
      `Running in image ${image} as Job ${jobName} in namespace ${this.options.namespace}\n`,
    );

    const released = new AbortController();
    let running = this.running.get(workspace.id);
    if (!running) {
      running = new Set();
      this.running.set(workspace.id, running);
    }
    running.add(released);
    let outcome: JobOutcome;
    try {
      outcome = await runJob({
        client,
        namespace: this.options.namespace,
        job: stepJobManifest({
          name: jobName,
          workspace: { id: workspace.id, runId: workspace.runId },
          stepId: request.stepId,
          attempt,
          settings: this.options,
          image,
          command: request.command,
          env,
          workingDirectory: cwd.path,
          timeoutMs,
        }),
        container: 'step',
        timeoutMs,
        maxOutputBytes,
        pollIntervalMs: this.options.pollIntervalMs,
        output: text => log('stdout', text),
        system: line => log('system', `${line}\n`),
        signal: request.signal
          ? AbortSignal.any([request.signal, released.signal])
          : released.signal,
        interrupt: this.shutdown.signal,
      });
    } finally {
      running.delete(released);
      if (running.size === 0) this.running.delete(workspace.id);
    }

    const { outputs, problems } = readOutputs(outcome.terminationMessage);
    for (const p of problems) {
      await log('system', `${describeOutputProblem(p)}\n`).catch(() => {});
    }
    const { reason, message } = describeEnd(outcome, {
      timeoutMs,
      maxOutputBytes,
      released: released.signal.aborted,
    });
    if (message && reason !== 'exited') {
      await log('system', `${message}\n`).catch(() => {});
    }
    return {
      reason,
      exitCode: outcome.end === 'exited' ? outcome.exitCode : null,
      ...(message ? { message } : {}),
      outputs,
      outputProblems: problems,
      outputBytes: outcome.outputBytes,
      startedAt,
      finishedAt: new Date(),
    };
  }

  async releaseWorkspace(workspace: PipelineWorkspace): Promise<void> {
    if (workspace?.executor !== this.id || !isWorkspaceId(workspace.id)) {
      return;
    }
    for (const step of this.running.get(workspace.id) ?? []) step.abort();
    await this.removeWorkspace(workspace.id);
  }

  /** Deletes a workspace's Jobs (and their pods), Secrets and claim; gone already is fine. */
  private async removeWorkspace(workspaceId: string): Promise<void> {
    const client = await this.kube();
    const { namespace } = this.options;
    const labelSelector = workspaceSelector(workspaceId);
    const jobs = await client.batch.listNamespacedJob({
      namespace,
      labelSelector,
    });
    for (const job of jobs.items) {
      await deleteJob(client, namespace, job.metadata!.name!);
    }
    const secrets = await client.core.listNamespacedSecret({
      namespace,
      labelSelector,
    });
    for (const secret of secrets.items) {
      await ignoreNotFound(
        client.core.deleteNamespacedSecret({
          namespace,
          name: secret.metadata!.name!,
        }),
      );
    }
    await ignoreNotFound(
      client.core.deleteNamespacedPersistentVolumeClaim({
        namespace,
        name: workspaceNames(workspaceId).claim,
      }),
    );
  }
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (e) {
    if (kubernetesStatusCodeOf(e) !== 404) throw e;
  }
}

function readOutputs(message: string | undefined) {
  const parsed = parseStepOutputs(message ?? '');
  if (Buffer.byteLength(message ?? '') >= MAX_TERMINATION_MESSAGE_BYTES) {
    parsed.problems.push({
      line: 0,
      message: `The outputs file may be longer than the ${MAX_TERMINATION_MESSAGE_BYTES} bytes Kubernetes keeps of a termination message; only its start was read`,
    });
  }
  return parsed;
}

/** A Job the cluster failed is the executor's own end; the rest are shared. */
function describeEnd(
  outcome: JobOutcome,
  limits: { timeoutMs: number; maxOutputBytes: number; released: boolean },
): { reason: PipelineStepEndReason; message?: string } {
  if (outcome.end === 'failed') {
    return { reason: 'executor_error', message: outcome.error };
  }
  return describeStepEnd(outcome.end, { ...limits, error: outcome.error });
}

function cloneError(
  outcome: JobOutcome,
  timeoutMs: number,
  tail: string,
): PipelineWorkspaceError {
  switch (outcome.end) {
    case 'exited': {
      const lines = tail.trim().split('\n').filter(Boolean).slice(-5);
      return new PipelineWorkspaceError(
        'checkout_failed',
        `The checkout failed (exit code ${outcome.exitCode}): ${
          lines.join('\n') || '(no output)'
        }`,
      );
    }
    case 'timed_out':
    case 'cancelled':
    case 'interrupted':
      return checkoutStoppedError(outcome.end, timeoutMs);
    default:
      return new PipelineWorkspaceError(
        'executor_error',
        `The checkout failed: ${outcome.error}`,
      );
  }
}
