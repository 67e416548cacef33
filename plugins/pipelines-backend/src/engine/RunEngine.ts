import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import {
  PipelineCDEvent,
  PipelineDefinition,
  PIPELINES_TOPIC,
} from '@internal/plugin-pipelines-common';
import {
  ImageRegistryConfig,
  PipelineExecutor,
} from '@internal/plugin-pipelines-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { NewRun, RunRecord } from '../store/RunQueueStore';
import { RunStore } from '../store/RunStore';
import {
  artifactEvent,
  pipelineRunEvent,
  pipelineRunFinishedEvent,
  taskRunEvent,
} from './cdevents';
import { CloneUrlRewrite, rewriteCloneUrl } from './cloneUrlRewrites';
import { ScheduleStore } from '../store/ScheduleStore';
import { DeploymentHandOff } from './environmentsHandOff';
import { executeRun, INTERRUPTED_REASON } from './executeRun';
import { WorkspaceRelease } from './workspaceRelease';

export { INTERRUPTED_REASON };

/** How the engine works; see `pipelines.engine` in config.d.ts. */
export type RunEngineSettings = {
  /** How many runs this engine executes at once. */
  concurrency: number;
  /** How many runs of one component run at once, across replicas. */
  perComponentLimit: number;
  /** How long a claim holds without renewal. */
  leaseMs: number;
  /** How often a holder renews its leases and looks for cancels. */
  heartbeatMs: number;
  /** How often the queue is polled for runs and expired leases. */
  pollIntervalMs: number;
  /** The most log chunks kept per step run. */
  maxLogChunks: number;
  /** Cancel queued and running runs of a branch when a newer push comes. */
  cancelSuperseded: boolean;
  /** How long a deploy stage waits for each deployment to end. */
  deployTimeoutMs: number;
  /** Clone URL rewrites (`pipelines.git.rewrites`). */
  cloneUrlRewrites: CloneUrlRewrite[];
};

/** The defaults of {@link RunEngineSettings}. */
export const DEFAULT_ENGINE_SETTINGS: RunEngineSettings = {
  concurrency: 4,
  perComponentLimit: 2,
  leaseMs: 60_000,
  heartbeatMs: 10_000,
  pollIntervalMs: 2_000,
  maxLogChunks: 20_000,
  cancelSuperseded: true,
  deployTimeoutMs: 30 * 60_000,
  cloneUrlRewrites: [],
};

/** What the engine asks the catalog about a component. */
export type ComponentFacts = {
  type?: string;
  defaultBranch?: string;
};

/**
 * A push supersedes the older push runs of its branch; new commits on a
 * pull request supersede the older runs of that pull request. Manual runs
 * and tags are never superseded.
 */
function supersedes(newer: RunRecord, older: RunRecord): boolean {
  const a = newer.trigger;
  const b = older.trigger;
  if (a.type === 'push' && b.type === 'push') return a.branch === b.branch;
  if (a.type === 'pull_request' && b.type === 'pull_request') {
    return a.number === b.number && a.action !== 'closed';
  }
  return false;
}

type Active = {
  run: RunRecord;
  controller: AbortController;
  abortReason?: string;
  /** Aborted because this backend shuts down, not by a cancel. */
  shutdown?: boolean;
  done: Promise<void>;
};

/**
 * The run engine of one backend replica: queues runs, claims queued runs
 * (exclusively across replicas, through the store), executes them with the
 * configured executor, keeps their leases, cancels them, and fails runs
 * whose holder died.
 */
export class RunEngine {
  /** This engine's identity in `claimed_by`. */
  readonly owner: string;
  private readonly active = new Map<string, Active>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = true;
  private readonly workspaces: WorkspaceRelease;
  /** Whether the workspaces of runs no engine runs were released since start. */
  private swept = false;

  constructor(
    private readonly options: {
      store: RunStore;
      executor: PipelineExecutor;
      /**
       * Every installed executor by id, for releasing the workspaces of
       * interrupted runs that another executor prepared (before a change of
       * `pipelines.engine.executor`).
       */
      executors?: ReadonlyMap<string, PipelineExecutor>;
      logger: LoggerService;
      settings: RunEngineSettings;
      events?: EventsService;
      componentFacts?: (componentRef: string) => Promise<ComponentFacts>;
      /** Where image stages push (`pipelines.images.registry`). */
      imageRegistry?: ImageRegistryConfig;
      /** The Environments plugin's deployments, for deploy stages. */
      deployments?: DeploymentHandOff;
      /** Kept in step with the default branch's `triggers.schedule`. */
      schedules?: ScheduleStore;
      owner?: string;
    },
  ) {
    this.owner =
      options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.workspaces = new WorkspaceRelease({
      store: options.store,
      executor: id =>
        options.executors?.get(id) ??
        (options.executor.id === id ? options.executor : undefined),
      logger: options.logger,
    });
  }

  /** Starts polling the queue. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const { pollIntervalMs, heartbeatMs } = this.options.settings;
    this.timer = setInterval(() => this.poll(), pollIntervalMs);
    this.heartbeat = setInterval(() => {
      this.renewLeases().catch(error =>
        this.options.logger.error(`Could not renew run leases: ${error}`),
      );
    }, heartbeatMs);
    this.poll();
  }

  /**
   * Stops taking runs and stops the running ones: their steps are stopped,
   * their workspaces released, and they end as failed with `reason` (a
   * shutdown is not a person's cancel).
   */
  async stop(reason = INTERRUPTED_REASON): Promise<void> {
    this.halt();
    for (const active of this.active.values()) {
      active.abortReason = reason;
      active.shutdown = true;
      active.controller.abort();
    }
    await Promise.allSettled([...this.active.values()].map(a => a.done));
    await this.ticking;
  }

  /**
   * Stops polling and renewing leases without touching the runs it holds,
   * as a replica that dies would: for tests of restart recovery.
   */
  halt(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
  }

  /**
   * Queues a run. A push cancels the older runs of the same branch when
   * cancel-superseded is on.
   */
  async enqueue(newRun: NewRun): Promise<RunRecord> {
    const { store, settings } = this.options;
    const { run, created } = await store.enqueue(newRun);
    if (!created) return run;
    this.publish(pipelineRunEvent('queued', run));
    if (settings.cancelSuperseded) {
      for (const older of await store.listSuperseded(run)) {
        if (supersedes(run, older)) {
          await this.cancel(older.id, `superseded by run ${run.id}`);
        }
      }
    }
    this.poll();
    return run;
  }

  /**
   * Cancels a run: a queued one at once, a running one by stopping its step
   * (here, or on the replica that holds it, at its next heartbeat).
   */
  async cancel(id: string, reason: string): Promise<RunRecord> {
    const { store } = this.options;
    const before = await store.get(id);
    const after = await store.requestCancel(id, reason);
    if (before.status === 'queued' && after.status === 'cancelled') {
      this.publish(pipelineRunFinishedEvent(after, 'cancelled', reason));
    }
    const active = this.active.get(id);
    if (active && !active.controller.signal.aborted) {
      active.abortReason = reason;
      active.controller.abort();
    }
    return after;
  }

  /** Queues a finished run again, all of it or only what did not succeed. */
  async rerun(id: string, failedOnly: boolean): Promise<RunRecord> {
    const run = await this.options.store.rerun(id, failedOnly);
    if (!run) {
      throw new ConflictError(`run '${id}' has not finished; cancel it first`);
    }
    this.publish(pipelineRunEvent('queued', run));
    this.poll();
    return run;
  }

  /** Resolves when the engine has no run in hand and no poll under way. */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.ticking) {
      await Promise.allSettled([
        ...[...this.active.values()].map(a => a.done),
        this.ticking,
      ]);
    }
  }

  private poll(): void {
    if (this.stopped || this.ticking) return;
    this.ticking = this.tick()
      .catch(error =>
        this.options.logger.error(`Pipeline run queue poll failed: ${error}`),
      )
      .finally(() => {
        this.ticking = undefined;
      });
  }

  private async tick(): Promise<void> {
    const { store, settings } = this.options;
    const interrupted = await store.failExpired(INTERRUPTED_REASON);
    for (const id of interrupted) {
      this.options.logger.warn(`Run ${id} failed: ${INTERRUPTED_REASON}`);
      const run = await store.get(id);
      this.publish(pipelineRunFinishedEvent(run, 'failed', INTERRUPTED_REASON));
    }
    // The engines that held them are gone and will not release them.
    await this.workspaces.releaseOf(interrupted);
    if (!this.swept) {
      // Also those of runs that ended before their engine could release
      // or forget their workspace (a crash, a failed release).
      this.swept = true;
      await this.workspaces.releaseUnheld();
    }
    while (!this.stopped && this.active.size < settings.concurrency) {
      const run = await store.claimNext({
        owner: this.owner,
        leaseMs: settings.leaseMs,
        perComponentLimit: settings.perComponentLimit,
      });
      if (!run) return;
      this.begin(run);
    }
  }

  private begin(run: RunRecord): void {
    const controller = new AbortController();
    const active: Active = { run, controller, done: Promise.resolve() };
    this.active.set(run.id, active);
    active.done = this.execute(active).finally(() => {
      this.active.delete(run.id);
      this.poll();
    });
  }

  private async execute(active: Active): Promise<void> {
    const { store, logger, settings } = this.options;
    const { run, controller } = active;
    this.publish(pipelineRunEvent('started', run));
    let outcome;
    try {
      // Left by an attempt before this one whose release did not happen.
      await this.workspaces.releaseOf([run.id]);
      const facts = this.options.componentFacts
        ? await this.options.componentFacts(run.component)
        : {};
      const defaultBranch =
        run.defaultBranch ??
        facts.defaultBranch ??
        (await store.lastKnownDefaultBranch(run.component));
      outcome = await executeRun(run, {
        store,
        executor: this.options.executor,
        logger,
        maxLogChunks: settings.maxLogChunks,
        signal: controller.signal,
        abortReason: () => active.abortReason ?? 'cancelled',
        abort: reason => {
          active.abortReason = reason;
          controller.abort();
        },
        componentType: facts.type,
        defaultBranch,
        onDefinition: definition =>
          this.syncSchedules(run, definition, defaultBranch),
        onStep: (event, step, finished) =>
          this.publish(taskRunEvent(event, run, step, finished)),
        imageRegistry: this.options.imageRegistry,
        deployments: this.options.deployments,
        deployTimeoutMs: settings.deployTimeoutMs,
        cloneUrlFor: url => rewriteCloneUrl(url, settings.cloneUrlRewrites),
        onArtifact: (artifact, repository) => {
          this.publish(artifactEvent('packaged', run, artifact, repository));
          this.publish(artifactEvent('published', run, artifact, repository));
        },
      });
    } catch (error) {
      logger.error(`Run ${run.id} failed in the engine: ${error}`);
      outcome = {
        status: 'failed' as const,
        reason: `The engine failed: ${(error as Error).message}`,
      };
    }
    if (this.stopped && !controller.signal.aborted) {
      // Halted: leave the run as a dead replica would.
      return;
    }
    if (active.shutdown) {
      outcome = { status: 'failed' as const, reason: active.abortReason };
    }
    const finished = await store.finish(
      run.id,
      this.owner,
      outcome.status,
      outcome.reason,
    );
    if (finished) {
      this.publish(
        pipelineRunFinishedEvent(run, outcome.status, outcome.reason),
      );
    } else {
      logger.warn(
        `Run ${run.id} ended (${outcome.status}) after this engine lost its lease; its outcome is not recorded`,
      );
    }
  }

  private async renewLeases(): Promise<void> {
    const { store, settings } = this.options;
    for (const active of [...this.active.values()]) {
      if (active.controller.signal.aborted) continue;
      const held = await store.renewLease(
        active.run.id,
        this.owner,
        settings.leaseMs,
      );
      const current = await store.find(active.run.id);
      if (!held) {
        active.abortReason = 'the engine lost its claim on the run';
        active.controller.abort();
      } else if (current?.cancelReason) {
        active.abortReason = current.cancelReason;
        active.controller.abort();
      }
    }
  }

  /**
   * Keeps the component's scheduled triggers in step with what its default
   * branch declares; other branches' pipeline files schedule nothing. A
   * failure is logged: it must not fail the run.
   */
  private async syncSchedules(
    run: RunRecord,
    definition: PipelineDefinition,
    defaultBranch: string | undefined,
  ): Promise<void> {
    const { schedules, logger } = this.options;
    if (
      !schedules ||
      !defaultBranch ||
      run.branch !== defaultBranch ||
      !run.cloneUrl
    ) {
      return;
    }
    try {
      await schedules.replaceForComponent(
        run.component,
        definition.triggers.schedule,
        { repository: run.repository, cloneUrl: run.cloneUrl, defaultBranch },
      );
    } catch (error) {
      logger.warn(
        `Could not update the schedules of ${run.component} from run ${run.id}: ${error}`,
      );
    }
  }

  private publish(event: PipelineCDEvent): void {
    const { events, logger } = this.options;
    if (!events) return;
    events
      .publish({ topic: PIPELINES_TOPIC, eventPayload: event })
      .catch(error =>
        logger.warn(`Could not publish ${event.context.type}: ${error}`),
      );
  }

  /** The run, or a 404 naming it. */
  async get(id: string): Promise<RunRecord> {
    const run = await this.options.store.find(id);
    if (!run) throw new NotFoundError(`no run '${id}'`);
    return run;
  }
}
