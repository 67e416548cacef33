import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { LocalExecutor } from '@internal/plugin-pipelines-backend-module-local-executor';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineWorkspace } from '@internal/plugin-pipelines-node';
import { createPipelinesStores } from '../store/pipelinesStores';
import { RunRecord } from '../store/RunQueueStore';
import { RunStore } from '../store/RunStore';
import { ScheduleStore } from '../store/ScheduleStore';
import { fireDueSchedules } from './scheduledRuns';
import {
  DEFAULT_ENGINE_SETTINGS,
  INTERRUPTED_REASON,
  RunEngine,
  RunEngineSettings,
} from './RunEngine';
import {
  createPipelineRepository,
  PipelineRepository,
} from '@internal/platform-backend-test-utils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const FAST: RunEngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  leaseMs: 1500,
  heartbeatMs: 100,
  pollIntervalMs: 100,
};

/**
 * The store as a replica that died sees it: once `dead` holds, none of its
 * writes (or reads) reach the database. The engine of a halted replica
 * still has its steps in hand; without this, a step ending later would be
 * recorded by a replica that is meant to be gone.
 */
function unreachableOnceDead(store: RunStore, dead: () => boolean): RunStore {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        dead()
          ? Promise.reject(new Error('this replica is gone'))
          : value.apply(target, args);
    },
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe.each(databases.eachSupportedId())('RunEngine on %s', databaseId => {
  let repo: PipelineRepository;
  let root: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    repo = await createPipelineRepository();
    root = await mkdtemp(join(tmpdir(), 'pipelines-engine-'));
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await repo.remove();
    await rm(root, { recursive: true, force: true });
  });

  let schedules: ScheduleStore | undefined;

  async function createStore() {
    const knex = await databases.init(databaseId);
    const stores = await createPipelinesStores({
      database: mockServices.database({ knex }),
    });
    schedules = stores.schedules;
    return stores.runs;
  }

  function createEngine(
    store: RunStore,
    settings: Partial<RunEngineSettings> = {},
    owner?: string,
  ) {
    const executor = new LocalExecutor({
      workspaceRoot: join(root, 'workspaces'),
      stepTimeoutMs: 30_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 300,
      maxOutputBytes: 1024 * 1024,
      path: process.env.PATH!,
      passEnvironment: [],
      logger: mockServices.logger.mock(),
    });
    const events = { publish: jest.fn(async () => {}) };
    const logger = mockServices.logger.mock();
    const engine = new RunEngine({
      store,
      executor,
      logger,
      settings: { ...FAST, ...settings },
      events: events as any,
      componentFacts: async () => ({ type: 'service', defaultBranch: 'main' }),
      schedules,
      owner,
    });
    cleanups.push(() => executor.stop());
    cleanups.push(() => engine.stop());
    return { engine, executor, events, logger };
  }

  async function push(
    engine: RunEngine,
    commit: string,
    options: { branch?: string; component?: string; deliveryId?: number } = {},
  ) {
    const branch = options.branch ?? 'main';
    return engine.enqueue({
      component: options.component ?? 'component:default/payments-api',
      repository: 'acme/payments-api',
      cloneUrl: repo.url,
      ref: `refs/heads/${branch}`,
      branch,
      commit,
      trigger: {
        type: 'push',
        branch,
        commit,
        deliveryId: options.deliveryId ?? 1,
      },
      deliveryId: options.deliveryId ?? 1,
    });
  }

  async function finished(store: RunStore, id: string) {
    return waitFor(`run ${id} to finish`, async () => {
      const run = await store.get(id);
      return ['succeeded', 'failed', 'cancelled'].includes(run.status)
        ? run
        : undefined;
    });
  }

  async function logOf(store: RunStore, run: RunRecord, step: string) {
    const steps = await store.listSteps(run.id);
    const stepRun = steps.find(s => s.step === step)!;
    const chunks = await store.readLog(stepRun.id, { limit: 1000 });
    return chunks.map(c => c.text).join('');
  }

  it('runs a pipeline that passes: the DAG in order, outputs, logs, events', async () => {
    const store = await createStore();
    const { engine, events } = createEngine(store);
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: version
        run: echo "version=1.2.$(cat COUNT)" >> "$PIPELINE_OUTPUT"
      - name: check
        needs: [version]
        env:
          V: \${{ steps.version.outputs.version }}
          N: \${{ run.number }}
        run: echo "built $V as run $N at $PIPELINE_COMMIT"
  - name: test
    steps:
      - name: unit
        run: test -f COUNT && echo tested
`);
    engine.start();
    const queued = await push(engine, commit);
    const run = await finished(store, queued.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      definitionSource: 'repository',
    });
    const steps = await store.listSteps(run.id);
    expect(steps.map(s => [s.stage, s.step, s.status])).toEqual([
      ['.checkout', '.checkout', 'succeeded'],
      ['build', 'version', 'succeeded'],
      ['build', 'check', 'succeeded'],
      ['test', 'unit', 'succeeded'],
    ]);
    expect(steps[1].outputs).toEqual({ version: '1.2.1' });
    // Released and forgotten before the run ended.
    expect(await store.listWorkspaces([run.id])).toEqual([]);
    expect(await readdir(join(root, 'workspaces'))).toEqual([]);
    expect(await logOf(store, run, 'check')).toBe(
      `built 1.2.1 as run 1 at ${commit}\n`,
    );
    const types = (events.publish.mock.calls as any[]).map(
      ([e]) => e.eventPayload.context.type,
    );
    expect(types).toEqual([
      'dev.cdevents.pipelinerun.queued.0.2.0',
      'dev.cdevents.pipelinerun.started.0.2.0',
      ...Array(3)
        .fill(0)
        .flatMap(() => [
          'dev.cdevents.taskrun.started.0.2.0',
          'dev.cdevents.taskrun.finished.0.2.0',
        ]),
      'dev.cdevents.pipelinerun.finished.0.2.0',
    ]);
    expect((events.publish.mock.calls as any[]).at(-1)[0]).toMatchObject({
      topic: 'pipelines',
      eventPayload: {
        subject: { id: run.id, content: { outcome: 'success' } },
      },
    });
  });

  it("keeps the default branch's schedules and queues their runs when due", async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const scheduled = (cron: string) => `
version: 1
triggers:
  schedule:
    - cron: "${cron}"
stages:
  - name: nightly
    steps:
      - name: report
        run: echo "built $PIPELINE_COMMIT"
`;
    const main = await repo.commit(scheduled('0 3 * * *'));
    const feature = await repo.commit(scheduled('*/5 * * * *'), 'feature');
    engine.start();
    await finished(
      store,
      (
        await push(engine, feature, { branch: 'feature' })
      ).id,
    );
    // A branch's pipeline file schedules nothing: only the default branch's.
    expect(await schedules!.list()).toEqual([]);
    await finished(store, (await push(engine, main, { deliveryId: 2 })).id);
    const [schedule] = await schedules!.list();
    expect(schedule).toMatchObject({
      component: 'component:default/payments-api',
      cron: '0 3 * * *',
      branch: 'main',
      cloneUrl: repo.url,
    });

    const logger = mockServices.logger.mock();
    expect(
      await fireDueSchedules({ schedules: schedules!, engine, logger }),
    ).toEqual([]);
    const later = new Date(Date.parse(schedule.nextFireAt) + 1000);
    const [runId] = await fireDueSchedules({
      schedules: schedules!,
      engine,
      logger,
      now: later,
    });
    expect(
      await fireDueSchedules({
        schedules: schedules!,
        engine,
        logger,
        now: later,
      }),
    ).toEqual([]);
    const run = await finished(store, runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      branch: 'main',
      trigger: { type: 'schedule', cron: '0 3 * * *', branch: 'main' },
      commit: main,
    });
    expect(await logOf(store, run, 'report')).toBe(`built ${main}\n`);
    expect((await schedules!.list())[0].lastRunId).toBe(runId);
  });

  it('runs steps that do not need each other side by side', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    // Each step waits for the other to have started: both succeed only
    // when they run at the same time.
    const script = (other: string) =>
      `touch ${
        other === 'a' ? 'b' : 'a'
      }.started; i=0; while [ ! -f ${other}.started ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; test -f ${other}.started`;
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: a
        run: ${script('b')}
      - name: b
        needs: []
        run: ${script('a')}
      - name: c
        needs: [a, b]
        run: ls a.started b.started
`);
    engine.start();
    const run = await finished(store, (await push(engine, commit)).id);
    expect(run.status).toBe('succeeded');
    expect(await logOf(store, run, 'c')).toBe('a.started\nb.started\n');
  });

  it('fails a run whose step fails, skipping what needs it', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: broken
        run: echo about to fail >&2; exit 3
      - name: after
        run: echo never
  - name: later
    steps:
      - name: other
        run: echo never
`);
    engine.start();
    const run = await finished(store, (await push(engine, commit)).id);
    expect(run).toMatchObject({
      status: 'failed',
      reason: "step 'broken' exited with code 3",
    });
    const steps = await store.listSteps(run.id);
    expect(steps.map(s => [s.step, s.status, s.exitCode, s.reason])).toEqual([
      ['.checkout', 'succeeded', undefined, undefined],
      ['broken', 'failed', 3, 'exited with code 3'],
      ['after', 'skipped', undefined, "step 'broken' did not succeed"],
      ['other', 'skipped', undefined, "stage 'build' did not succeed"],
    ]);
    expect(await logOf(store, run, 'broken')).toBe('about to fail\n');
  });

  it('fails a run with an invalid pipeline file at once, with the errors', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const commit = await repo.commit(`version: 1
stages:
  - name: build
    steps:
      - name: a
        run: true
        timeout: soon
`);
    engine.start();
    const run = await finished(store, (await push(engine, commit)).id);
    expect(run).toMatchObject({
      status: 'failed',
      reason: [
        '.platform/pipeline.yaml is invalid:',
        '.platform/pipeline.yaml:6:14 stages[0].steps[0].run: must be a string',
        '.platform/pipeline.yaml:7:18 stages[0].steps[0].timeout: must be a duration such as 90s, 10m or 1h30m',
      ].join('\n'),
    });
    expect((await store.listSteps(run.id)).map(s => s.step)).toEqual([
      '.checkout',
    ]);
  });

  it('does not run a push the triggers leave out', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const commit = await repo.commit(
      `version: 1
triggers:
  push:
    branches: [release/*]
stages:
  - name: build
    steps:
      - name: a
        run: echo ran
`,
    );
    engine.start();
    const run = await finished(store, (await push(engine, commit)).id);
    expect(run).toMatchObject({
      status: 'cancelled',
      reason: "The pipeline's triggers do not include this push",
    });
  });

  it('retries a step and times a step out', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: flaky
        retries: 2
        run: |
          if [ -f .tried ]; then echo second; exit 0; fi
          touch .tried; echo first; exit 1
      - name: slow
        needs: [flaky]
        timeout: 1s
        retries: 1
        run: sleep 20
`);
    engine.start();
    const started = Date.now();
    const run = await finished(store, (await push(engine, commit)).id);
    expect(Date.now() - started).toBeLessThan(15_000);
    const steps = await store.listSteps(run.id);
    expect(steps[1]).toMatchObject({
      step: 'flaky',
      status: 'succeeded',
      tries: 2,
    });
    expect(await logOf(store, run, 'flaky')).toBe(
      'first\nAttempt 1 exited with code 1; retrying (1 of 2 retries)\nsecond\n',
    );
    expect(steps[2]).toMatchObject({
      step: 'slow',
      status: 'failed',
      tries: 2,
    });
    expect(steps[2].reason).toMatch(/time/i);
    expect(run.status).toBe('failed');
  });

  it('cancels a running run, stopping its step', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: long
        run: echo started; sleep 30
`);
    engine.start();
    const { id } = await push(engine, commit);
    await waitFor('the step to start', async () =>
      (
        await store.listSteps(id)
      ).find(s => s.step === 'long' && s.status === 'running'),
    );
    const started = Date.now();
    await engine.cancel(id, 'cancelled by user:default/priya');
    const run = await finished(store, id);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run).toMatchObject({
      status: 'cancelled',
      reason: 'cancelled by user:default/priya',
    });
    expect((await store.listSteps(id))[1]).toMatchObject({
      step: 'long',
      status: 'cancelled',
    });
  });

  it('cancels a run that another replica is running, at its next heartbeat', async () => {
    const store = await createStore();
    const { engine: runner } = createEngine(store, {}, 'runner');
    const { engine: other } = createEngine(store, {}, 'other'); // never started
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: long
        run: sleep 30
`);
    runner.start();
    const { id } = await push(runner, commit);
    await waitFor('the step to start', async () =>
      (
        await store.listSteps(id)
      ).find(s => s.step === 'long' && s.status === 'running'),
    );
    const started = Date.now();
    expect(await other.cancel(id, 'cancelled elsewhere')).toMatchObject({
      status: 'running',
    });
    expect(await finished(store, id)).toMatchObject({
      status: 'cancelled',
      reason: 'cancelled elsewhere',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('cancels a run of a branch that a newer push supersedes', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const pipeline = `
version: 1
stages:
  - name: build
    steps:
      - name: long
        run: sleep 30
`;
    const older = await repo.commit(pipeline);
    engine.start();
    const first = await push(engine, older, { deliveryId: 1 });
    await waitFor('the first run to start', async () =>
      (await store.listSteps(first.id)).find(s => s.step === 'long'),
    );
    const otherBranch = await repo.commit(pipeline, 'feature');
    const feature = await push(engine, otherBranch, {
      deliveryId: 2,
      branch: 'feature',
    });
    const newer = await repo.commit(pipeline, 'main');
    const second = await push(engine, newer, { deliveryId: 3 });
    expect(await finished(store, first.id)).toMatchObject({
      status: 'cancelled',
      reason: `superseded by run ${second.id}`,
    });
    // The feature branch is not superseded by a push to main.
    expect((await store.get(feature.id)).status).not.toBe('cancelled');
    // New commits on a pull request supersede its older run; a manual run
    // of the branch is left alone.
    const pullRequest = (deliveryId: number, commitId: string) =>
      engine.enqueue({
        component: 'component:default/payments-api',
        cloneUrl: repo.url,
        ref: 'refs/heads/feature',
        branch: 'feature',
        commit: commitId,
        deliveryId,
        trigger: {
          type: 'pull_request',
          action: deliveryId === 4 ? 'opened' : 'synchronize',
          number: 7,
          headBranch: 'feature',
          baseBranch: 'main',
          commit: commitId,
          deliveryId,
        },
      });
    const manual = await engine.enqueue({
      component: 'component:default/payments-api',
      cloneUrl: repo.url,
      ref: 'refs/heads/feature',
      branch: 'feature',
      commit: otherBranch,
      trigger: {
        type: 'manual',
        branch: 'feature',
        requestedBy: 'user:default/priya',
      },
    });
    const opened = await pullRequest(4, otherBranch);
    const synchronized = await pullRequest(5, otherBranch);
    expect(await finished(store, opened.id)).toMatchObject({
      status: 'cancelled',
      reason: `superseded by run ${synchronized.id}`,
    });
    expect((await store.get(feature.id)).status).not.toBe('cancelled');
    expect((await store.get(manual.id)).status).not.toBe('cancelled');
    for (const id of [manual.id, synchronized.id]) {
      await engine.cancel(id, 'done with it');
    }
    await engine.cancel(feature.id, 'done with it');
    await engine.cancel(second.id, 'done with it');
  });

  it('re-runs the failed steps, reusing the outputs of those that passed', async () => {
    const store = await createStore();
    const { engine } = createEngine(store);
    const flag = join(root, 'flag');
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: version
        run: echo "version=$(date +%s%N)" >> "$PIPELINE_OUTPUT"
      - name: deploy
        needs: [version]
        env:
          V: \${{ steps.version.outputs.version }}
        run: test -f ${flag} && echo "deploying $V"
`);
    engine.start();
    const { id } = await push(engine, commit);
    const first = await finished(store, id);
    expect(first.status).toBe('failed');
    const [, version] = await store.listSteps(id);
    await writeFile(flag, '');
    await expect(engine.rerun(id, true)).resolves.toMatchObject({
      status: 'queued',
      attempt: 2,
    });
    const second = await waitFor('the second attempt', async () => {
      const run = await store.get(id);
      return run.status === 'succeeded' ? run : undefined;
    });
    const steps = await store.listSteps(id);
    expect(steps.find(s => s.step === 'version')).toMatchObject({
      reused: true,
      outputs: version.outputs,
    });
    expect(await logOf(store, second, 'deploy')).toBe(
      `deploying ${version.outputs.version}\n`,
    );
    // A whole re-run runs every step again.
    await engine.rerun(id, false);
    await waitFor('the third attempt', async () => {
      const run = await store.get(id);
      return run.attempt === 3 && run.status === 'succeeded';
    });
    const third = await store.listSteps(id);
    expect(third.find(s => s.step === 'version')).toMatchObject({
      reused: false,
    });
    await expect(engine.rerun(id, true)).resolves.toBeDefined();
    await expect(engine.rerun(id, true)).rejects.toThrow(/has not finished/);
  });

  it('fails the run a dead engine held, when another engine starts, and releases its workspace', async () => {
    const store = await createStore();
    let dead = false;
    const { engine: dying } = createEngine(
      unreachableOnceDead(store, () => dead),
      {},
      'dying',
    );
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: long
        run: sleep 30
`);
    dying.start();
    const { id } = await push(dying, commit);
    await waitFor('the step to start', async () =>
      (
        await store.listSteps(id)
      ).find(s => s.step === 'long' && s.status === 'running'),
    );
    dying.halt(); // no more heartbeats, polls or writes of the outcome
    dead = true;
    expect((await store.get(id)).status).toBe('running');
    const workspaces = join(root, 'workspaces');
    const [stored] = await store.listWorkspaces([id]);
    expect(stored).toMatchObject({
      runId: id,
      status: 'running',
      workspace: { executor: 'local', runId: id },
    });
    expect(await readdir(workspaces)).toEqual([stored.workspace.id]);
    // The dying replica's process is gone: its owner file names a process
    // that started at another time (as a restarted backend with the same pid).
    const ownerFile = join(workspaces, stored.workspace.id, '.owner.json');
    await writeFile(
      ownerFile,
      JSON.stringify({
        ...JSON.parse(await readFile(ownerFile, 'utf8')),
        startTime: '1',
      }),
    );
    const { engine: next } = createEngine(store, {}, 'next');
    next.start();
    const run = await finished(store, id);
    expect(run).toMatchObject({ status: 'failed', reason: INTERRUPTED_REASON });
    // Released by the new engine: the dead one's step (sleep 30) would hold
    // it far longer.
    await waitFor(
      "the dead engine's workspace to be released",
      async () =>
        (await readdir(workspaces)).length === 0 &&
        (await store.listWorkspaces([id])).length === 0,
      10_000,
    );
    expect((await store.listSteps(id))[1]).toMatchObject({
      step: 'long',
      status: 'failed',
      reason: INTERRUPTED_REASON,
    });
    // The new engine takes new work.
    const again = await push(next, commit, { deliveryId: 2 });
    await waitFor('the new engine to take a run', async () =>
      (await store.listSteps(again.id)).find(s => s.step === 'long'),
    );
    await next.cancel(again.id, 'test over');
    expect(await finished(store, again.id)).toMatchObject({
      status: 'cancelled',
    });
  });

  it.each([
    ['the engine', false],
    ['the executor', true],
  ])(
    'fails a running run as interrupted when %s shuts down first',
    async (_, executorFirst) => {
      const store = await createStore();
      const { engine, executor } = createEngine(store);
      const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: long
        run: sleep 30
      - name: after
        needs: [long]
        run: echo never
`);
      engine.start();
      const { id } = await push(engine, commit);
      await waitFor('the step to start', async () =>
        (
          await store.listSteps(id)
        ).find(s => s.step === 'long' && s.status === 'running'),
      );
      if (executorFirst) {
        await executor.stop();
      }
      await engine.stop();
      expect(await store.get(id)).toMatchObject({
        status: 'failed',
        reason: INTERRUPTED_REASON,
      });
      expect((await store.listSteps(id)).map(s => [s.step, s.status])).toEqual([
        ['.checkout', 'succeeded'],
        ['long', 'cancelled'],
        ['after', 'cancelled'],
      ]);
      expect(await store.listWorkspaces([id])).toEqual([]);
      expect(await readdir(join(root, 'workspaces'))).toEqual([]);
    },
  );

  it('releases at start the workspaces of ended runs that their engine did not release', async () => {
    const store = await createStore();
    const { engine, logger } = createEngine(store);
    const ended = async (
      deliveryId: number,
      prepare: (runId: string) => Promise<PipelineWorkspace>,
    ) => {
      const queued = await push(engine, 'a'.repeat(40), { deliveryId });
      const run = await store.claimNext({
        owner: 'gone',
        leaseMs: 60_000,
        perComponentLimit: 2,
      });
      expect(run?.id).toBe(queued.id);
      const workspace = await prepare(queued.id);
      await store.setWorkspace(queued.id, workspace);
      // The engine ended the run and died before it released the workspace.
      await store.finish(queued.id, 'gone', 'succeeded');
      return workspace;
    };
    // Prepared by a backend process before this one.
    const before = createEngine(store).executor;
    const local = await ended(1, runId => before.prepareWorkspace({ runId }));
    const ownerFile = join(root, 'workspaces', local.id, '.owner.json');
    await writeFile(
      ownerFile,
      JSON.stringify({
        ...JSON.parse(await readFile(ownerFile, 'utf8')),
        startTime: '1',
      }),
    );
    const elsewhere = await ended(2, async runId => ({
      id: 'ws-elsewhere',
      executor: 'kubernetes',
      runId,
    }));
    expect(await store.listWorkspaces()).toHaveLength(2);

    engine.start();
    await waitFor('the sweep at start', async () =>
      (logger.warn as jest.Mock).mock.calls.some(([message]) =>
        /'kubernetes', which is not installed/.test(message),
      ),
    );
    await engine.idle();
    expect(await readdir(join(root, 'workspaces'))).toEqual([]);
    // Kept for when that executor is installed again.
    expect(await store.listWorkspaces()).toEqual([
      expect.objectContaining({ runId: elsewhere.runId, workspace: elsewhere }),
    ]);
  });

  it('executes each run exactly once with two engines on one database', async () => {
    const store = await createStore();
    const marks = join(root, 'marks');
    await writeFile(marks, '');
    const commit = await repo.commit(`
version: 1
stages:
  - name: build
    steps:
      - name: mark
        run: echo "$PIPELINE_RUN_ID" >> ${marks}; sleep 0.2
`);
    const a = createEngine(store, { concurrency: 3 }, 'a').engine;
    const b = createEngine(store, { concurrency: 3 }, 'b').engine;
    const ids: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const run = await push(a, commit, {
        deliveryId: i,
        component: `component:default/c${i}`,
      });
      ids.push(run.id);
    }
    a.start();
    b.start();
    const runs = await Promise.all(ids.map(id => finished(store, id)));
    expect(runs.map(r => r.status)).toEqual(Array(8).fill('succeeded'));
    const lines = (await readFile(marks, 'utf8')).trim().split('\n').sort();
    expect(lines).toEqual([...ids].sort());
  });
});
