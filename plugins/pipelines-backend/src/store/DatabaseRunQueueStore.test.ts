import {
  describeRunStore,
  pushRun as push,
  TEST_COMMIT as commit,
} from '../__testUtils__/testRunStore';

describeRunStore('DatabaseRunQueueStore', (createStore, databaseId) => {
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

  it('lists the older active runs of a branch a newer run supersedes', async () => {
    const { store } = await createStore();
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));
    const older = (await store.enqueue(push({ deliveryId: 1 }), at(1))).run;
    const ended = (await store.enqueue(push({ deliveryId: 2 }), at(2))).run;
    await store.requestCancel(ended.id, 'by hand');
    await store.enqueue(
      push({ deliveryId: 3, branch: 'feature', ref: 'refs/heads/feature' }),
      at(3),
    );
    const newer = (await store.enqueue(push({ deliveryId: 4 }), at(4))).run;
    await store.enqueue(push({ deliveryId: 5 }), at(5));
    expect((await store.listSuperseded(newer)).map(r => r.deliveryId)).toEqual([
      older.deliveryId,
    ]);
  });

  it('reads runs by id and the runs that ended in a window', async () => {
    const { store } = await createStore();
    const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
    const claim = (now: Date) =>
      store.claimNext({
        owner: 'a',
        leaseMs: 60_000,
        perComponentLimit: 5,
        now,
      });
    const runs = [];
    for (const [n, component] of [
      [1, 'component:default/payments-api'],
      [2, 'component:default/payments-api'],
      [3, 'component:default/other'],
      [4, 'component:default/third'],
    ] as const) {
      const { run } = await store.enqueue(
        push({ deliveryId: n, component }),
        at(n),
      );
      await claim(at(n));
      await store.finish(
        run.id,
        'a',
        n === 2 ? 'succeeded' : 'failed',
        '',
        at(n),
      );
      runs.push(run);
    }
    expect(
      (await store.listByIds([runs[2].id, runs[0].id, 'none', runs[0].id]))
        .map(r => r.id)
        .sort(),
    ).toEqual([runs[0].id, runs[2].id].sort());
    expect(await store.listByIds([])).toEqual([]);
    const failed = await store.listFinished({
      components: [
        'component:default/payments-api',
        'component:default/other',
        'component:default/third',
      ],
      status: 'failed',
      from: at(1),
      to: at(4),
    });
    // The succeeded run is left out, and the one that ended at `to`.
    expect(failed.map(r => [r.id, r.finishedAt])).toEqual([
      [runs[0].id, at(1).toISOString()],
      [runs[2].id, at(3).toISOString()],
    ]);
    expect(
      await store.listFinished({
        components: [],
        status: 'failed',
        from: at(0),
        to: at(5),
      }),
    ).toEqual([]);
  });
});
