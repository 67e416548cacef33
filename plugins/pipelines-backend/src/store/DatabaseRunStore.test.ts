import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolve as resolvePath } from 'node:path';
import { DatabaseRunStore, NewRun } from './DatabaseRunStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const commit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

function push(overrides: Partial<NewRun> = {}): NewRun {
  return {
    component: 'component:default/payments-api',
    repository: 'acme/payments-api',
    cloneUrl: 'file:///tmp/none',
    ref: 'refs/heads/main',
    branch: 'main',
    commit,
    trigger: { type: 'push', branch: 'main', commit, deliveryId: 1 },
    deliveryId: 1,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseRunStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunStore.create({
        database: mockServices.database({ knex }),
      });
      return { store, knex };
    }

    it('queues one run per delivery and component', async () => {
      const { store } = await createStore();
      const first = await store.enqueue(push());
      const again = await store.enqueue(push());
      expect(first.created).toBe(true);
      expect(again).toEqual({ run: first.run, created: false });
      expect(first.run).toMatchObject({
        status: 'queued',
        attempt: 1,
        branch: 'main',
        commit,
        trigger: { type: 'push', deliveryId: 1 },
      });
      const other = await store.enqueue(
        push({ component: 'component:default/other' }),
      );
      expect(other.created).toBe(true);
    });

    it('keeps the default branch a delivery named, and the commit a manual run resolved', async () => {
      const { store } = await createStore();
      const manual = (
        await store.enqueue(
          push({
            deliveryId: undefined,
            commit: undefined,
            trigger: { type: 'manual', requestedBy: 'user:default/priya' },
          }),
        )
      ).run;
      expect(
        await store.lastKnownDefaultBranch('component:default/payments-api'),
      ).toBeUndefined();
      await store.enqueue(
        push({ defaultBranch: 'trunk', deliveryId: 1 }),
        new Date('2026-01-01T10:00:00Z'),
      );
      const latest = (
        await store.enqueue(
          push({ defaultBranch: 'main', deliveryId: 2 }),
          new Date('2026-01-01T11:00:00Z'),
        )
      ).run;
      expect(latest.defaultBranch).toBe('main');
      expect(
        await store.lastKnownDefaultBranch('component:default/payments-api'),
      ).toBe('main');
      expect(
        await store.lastKnownDefaultBranch('component:default/other'),
      ).toBeUndefined();

      expect(manual.commit).toBeUndefined();
      await store.setCommit(manual.id, commit);
      await store.setCommit(manual.id, 'f'.repeat(40));
      expect((await store.get(manual.id)).commit).toBe(commit);
    });

    it('numbers the runs of each component, also when they race', async () => {
      const { store } = await createStore();
      const numbers = await Promise.all(
        [1, 2, 3, 4, 5].map(
          async n => (await store.enqueue(push({ deliveryId: n }))).run.number,
        ),
      );
      expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5]);
      const other = await store.enqueue(
        push({ deliveryId: 1, component: 'component:default/other' }),
      );
      expect(other.run.number).toBe(1);
    });

    it('gives a queued run to exactly one of many racing claimers', async () => {
      const { store } = await createStore();
      await store.enqueue(push());
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map(owner =>
          store.claimNext({ owner, leaseMs: 60_000, perComponentLimit: 5 }),
        ),
      );
      const winners = claims.filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({ status: 'running' });
    });

    it('waits for a claim of the same component in flight, and then keeps to the limit', async () => {
      if (databaseId !== 'POSTGRES_15') {
        // SQLite runs one write at a time: a claim can never meet another.
        return;
      }
      const { store, knex } = await createStore();
      const component = 'component:default/payments-api';
      const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
      await store.enqueue(push({ deliveryId: 1 }), at(1));
      const second = (await store.enqueue(push({ deliveryId: 2 }), at(2))).run;
      // Another replica's claim of the second run, not yet committed, holding
      // the component's claim lock as claimNext does; claimNext goes for the
      // first run, which no row lock guards.
      const other = await knex.transaction();
      await other.raw('select pg_advisory_xact_lock(?, hashtext(?))', [
        0x706c7275,
        component,
      ]);
      await other('runs')
        .where({ id: second.id })
        .update({ status: 'running', claimed_by: 'replica-b' });
      let settled = false;
      const claim = store
        .claimNext({
          owner: 'replica-a',
          leaseMs: 60_000,
          perComponentLimit: 1,
        })
        .finally(() => {
          settled = true;
        });
      await new Promise(r => setTimeout(r, 300));
      expect(settled).toBe(false);
      await other.commit();
      // The limit is 1 and the second run now runs: the first stays queued.
      expect(await claim).toBeUndefined();
      expect(
        (await store.list({ status: 'running', limit: 10 })).map(r => r.id),
      ).toEqual([second.id]);
    });

    it('keeps to the per-component limit', async () => {
      const { store } = await createStore();
      // Distinct times: the queue is first in, first out.
      const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
      await store.enqueue(push({ deliveryId: 1 }), at(1));
      await store.enqueue(push({ deliveryId: 2 }), at(2));
      await store.enqueue(
        push({ deliveryId: 3, component: 'component:default/other' }),
        at(3),
      );
      const opts = { owner: 'a', leaseMs: 60_000, perComponentLimit: 1 };
      const first = await store.claimNext(opts);
      const second = await store.claimNext(opts);
      const third = await store.claimNext(opts);
      expect(first?.component).toBe('component:default/payments-api');
      expect(second?.component).toBe('component:default/other');
      expect(third).toBeUndefined();
      await store.finish(first!.id, 'a', 'succeeded');
      expect((await store.claimNext(opts))?.deliveryId).toBe(2);
    });

    it('writes only for the lease holder and fails expired leases', async () => {
      const { store } = await createStore();
      const { run } = await store.enqueue(push());
      const t0 = new Date('2026-12-01T10:00:00Z');
      await store.claimNext({
        owner: 'a',
        leaseMs: 1000,
        perComponentLimit: 5,
        now: t0,
      });
      const step = await store.startStep({
        runId: run.id,
        attempt: 1,
        stage: 'build',
        step: 'test',
        now: t0,
      });
      expect(await store.renewLease(run.id, 'b', 1000, t0)).toBe(false);
      expect(await store.failExpired('gone', t0)).toEqual([]);
      expect(
        await store.failExpired('gone', new Date(t0.getTime() + 2000)),
      ).toEqual([run.id]);
      expect(await store.get(run.id)).toMatchObject({
        status: 'failed',
        reason: 'gone',
      });
      expect((await store.listSteps(run.id))[0]).toMatchObject({
        id: step.id,
        status: 'failed',
        reason: 'gone',
      });
      expect(await store.renewLease(run.id, 'a', 1000)).toBe(false);
      expect(await store.finish(run.id, 'a', 'succeeded')).toBe(false);
    });

    it('cancels queued runs at once and marks running ones', async () => {
      const { store } = await createStore();
      const { run: queued } = await store.enqueue(push({ deliveryId: 1 }));
      expect(await store.requestCancel(queued.id, 'by hand')).toMatchObject({
        status: 'cancelled',
        reason: 'by hand',
      });
      const { run } = await store.enqueue(push({ deliveryId: 2 }));
      await store.claimNext({
        owner: 'a',
        leaseMs: 1000,
        perComponentLimit: 1,
      });
      expect(await store.requestCancel(run.id, 'stop it')).toMatchObject({
        status: 'running',
        cancelReason: 'stop it',
      });
    });

    it('caps logs per step and reads after a sequence number', async () => {
      const { store } = await createStore();
      const { run } = await store.enqueue(push());
      const step = await store.startStep({
        runId: run.id,
        attempt: 1,
        stage: 's',
        step: 'x',
      });
      const at = new Date();
      const kept = [];
      for (let i = 1; i <= 5; i++) {
        kept.push(
          await store.appendLog(
            step.id,
            { stream: 'stdout', text: `line ${i}\n`, at },
            3,
          ),
        );
      }
      expect(kept).toEqual([true, true, false, false, false]);
      const log = await store.readLog(step.id, { after: 1, limit: 10 });
      expect(log.map(c => [c.seq, c.stream, c.text])).toEqual([
        [2, 'stdout', 'line 2\n'],
        [
          3,
          'system',
          "The log holds at most 3 chunks; the rest of this step's output is not kept.\n",
        ],
      ]);
    });

    it('re-runs failed steps as a new attempt that keeps the succeeded ones', async () => {
      const { store } = await createStore();
      const { run } = await store.enqueue(push());
      await store.claimNext({
        owner: 'a',
        leaseMs: 1000,
        perComponentLimit: 1,
      });
      const ok = await store.startStep({
        runId: run.id,
        attempt: 1,
        stage: 's',
        step: 'ok',
      });
      await store.finishStep(ok.id, {
        status: 'succeeded',
        exitCode: 0,
        outputs: { version: '1.2.3' },
      });
      const bad = await store.startStep({
        runId: run.id,
        attempt: 1,
        stage: 's',
        step: 'bad',
      });
      await store.finishStep(bad.id, { status: 'failed', exitCode: 1 });
      expect(await store.rerun(run.id, true)).toBeUndefined(); // still running
      await store.finish(run.id, 'a', 'failed', 'step bad failed');
      const again = await store.rerun(run.id, true);
      expect(again).toMatchObject({
        status: 'queued',
        attempt: 2,
        rerunFailedOnly: true,
      });
      expect(again?.reason).toBeUndefined();
      expect(await store.listSteps(run.id)).toEqual([
        expect.objectContaining({
          step: 'ok',
          status: 'succeeded',
          reused: true,
          outputs: { version: '1.2.3' },
        }),
      ]);
      expect(await store.listSteps(run.id, 1)).toHaveLength(2);
    });

    it('keeps one artifact per stage and attempt, with its run', async () => {
      const { store, knex } = await createStore();
      const { run } = await store.enqueue(push());
      const digest = `sha256:${'a'.repeat(64)}`;
      const image = {
        runId: run.id,
        attempt: 1,
        type: 'image' as const,
        stage: 'image',
        image: `registry.test/payments-api:${commit}`,
        tags: [commit, 'latest'],
        digest,
      };
      const first = await store.addArtifact(
        image,
        new Date('2026-12-03T10:00:00Z'),
      );
      expect(first).toEqual({
        ...image,
        createdAt: '2026-12-03T10:00:00.000Z',
      });
      // Recorded again by an engine that retook the run: replaced.
      const newer = `sha256:${'b'.repeat(64)}`;
      await store.addArtifact({ ...image, digest: newer, tags: [commit] });
      await store.addArtifact({ ...image, attempt: 2 });
      const listed = await store.listArtifacts(run.id);
      expect(listed.map(a => [a.attempt, a.digest, a.tags])).toEqual([
        [1, newer, [commit]],
        [2, digest, [commit, 'latest']],
      ]);
      const other = await store.enqueue(push({ deliveryId: 2 }));
      expect(await store.listArtifacts(other.run.id)).toEqual([]);
      await expect(
        store.addArtifact({ ...image, runId: 'no-such-run' }),
      ).rejects.toThrow(/no-such-run/);
      await knex('runs').where({ id: run.id }).delete();
      expect(await store.listArtifacts(run.id)).toEqual([]);
    });

    it('keeps a run workspace until it is released, for runs no engine runs', async () => {
      const { store, knex } = await createStore();
      const { run: a } = await store.enqueue(push());
      const { run: b } = await store.enqueue(push({ deliveryId: 2 }));
      await store.claimNext({
        owner: 'x',
        leaseMs: 60_000,
        perComponentLimit: 2,
      });
      await store.claimNext({
        owner: 'x',
        leaseMs: 60_000,
        perComponentLimit: 2,
      });
      const ws = (runId: string, id = `ws-${runId}`) => ({
        id,
        executor: 'kubernetes',
        runId,
        repository: { cloneUrl: 'file:///tmp/none', commit },
      });
      await store.setWorkspace(a.id, ws(a.id));
      await store.setWorkspace(b.id, ws(b.id));
      // Running runs are their holders' to release.
      expect(await store.listWorkspaces()).toEqual([]);
      expect(await store.listWorkspaces([a.id])).toEqual([
        { runId: a.id, status: 'running', workspace: ws(a.id) },
      ]);
      expect(await store.listWorkspaces([])).toEqual([]);
      await store.finish(a.id, 'x', 'succeeded');
      expect(await store.listWorkspaces()).toEqual([
        { runId: a.id, status: 'succeeded', workspace: ws(a.id) },
      ]);
      // Another workspace stored meanwhile (a later attempt) is not cleared.
      await store.clearWorkspace(a.id, ws(a.id, 'ws-older'));
      expect(await store.listWorkspaces([a.id])).toHaveLength(1);
      await store.clearWorkspace(a.id, ws(a.id));
      await store.clearWorkspace(a.id, ws(a.id)); // twice is fine
      expect(await store.listWorkspaces([a.id, b.id])).toEqual([
        { runId: b.id, status: 'running', workspace: ws(b.id) },
      ]);
      // The run API does not show it.
      expect(await store.get(b.id)).not.toHaveProperty('workspace');
      // A value that is no workspace is dropped rather than tried forever.
      await knex('runs').where({ id: b.id }).update({ workspace: '{"id":1}' });
      expect(await store.listWorkspaces([b.id])).toEqual([]);
      expect(
        (await knex('runs').where({ id: b.id }).first('workspace')).workspace,
      ).toBeNull();
    });

    it('migrates down and up again', async () => {
      const { knex } = await createStore();
      const directory = resolvePath(__dirname, '../../migrations');
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'workspace')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'stages')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('schedules')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'default_branch')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('artifacts')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'number')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('runs')).toBe(false);
      expect(await knex.schema.hasTable('deliveries')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('step_logs')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'number')).toBe(true);
      expect(await knex.schema.hasTable('artifacts')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'default_branch')).toBe(true);
      expect(await knex.schema.hasTable('schedules')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'stages')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'workspace')).toBe(true);
    });
  },
);
