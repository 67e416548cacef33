import { NotFoundError } from '@backstage/errors';
import {
  describeRunStore,
  pushRun as push,
} from '../__testUtils__/testRunStore';

describeRunStore('DatabaseStepRunStore', createStore => {
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

  it('starts a step run once per attempt, counts its tries and records how it ended', async () => {
    const { store } = await createStore();
    const { run } = await store.enqueue(push());
    const t0 = new Date('2026-12-01T10:00:00Z');
    const first = await store.startStep({
      runId: run.id,
      attempt: 1,
      stage: 'build',
      step: 'test',
      now: t0,
    });
    await store.countTry(first.id);
    await store.countTry(first.id);
    // Started again (an engine retaking the run): the same step run.
    const again = await store.startStep({
      runId: run.id,
      attempt: 1,
      stage: 'build',
      step: 'test',
    });
    expect(again).toMatchObject({ id: first.id, tries: 2 });
    await store.finishStep(
      first.id,
      { status: 'succeeded', exitCode: 0, outputs: { version: '1' } },
      new Date('2026-12-01T10:01:00Z'),
    );
    await store.recordStep({
      runId: run.id,
      attempt: 1,
      stage: 'build',
      step: 'deploy',
      status: 'skipped',
      reason: 'when did not match',
    });
    expect(await store.listSteps(run.id)).toEqual([
      expect.objectContaining({
        id: first.id,
        runId: run.id,
        attempt: 1,
        step: 'test',
        status: 'succeeded',
        tries: 2,
        exitCode: 0,
        outputs: { version: '1' },
        reused: false,
        finishedAt: '2026-12-01T10:01:00.000Z',
      }),
      expect.objectContaining({
        step: 'deploy',
        status: 'skipped',
        reason: 'when did not match',
        tries: 0,
      }),
    ]);
    expect(await store.listSteps(run.id, 2)).toEqual([]);
    await expect(store.listSteps('no-such-run')).rejects.toThrow(NotFoundError);
  });

  it('says what a running step waits for until it is cleared, started again or finished', async () => {
    const { store } = await createStore();
    const { run } = await store.enqueue(push());
    const start = () =>
      store.startStep({ runId: run.id, attempt: 1, stage: 'd', step: 'd' });
    const waitingFor = async () =>
      (await store.listSteps(run.id))[0].waitingFor;
    const step = await start();
    expect(step.waitingFor).toBeUndefined();

    await store.setWaitingFor(step.id, 'deployment 1 to dev');
    expect(await waitingFor()).toBe('deployment 1 to dev');
    await store.setWaitingFor(step.id, undefined);
    expect(await waitingFor()).toBeUndefined();

    await store.setWaitingFor(step.id, 'deployment 2 to dev');
    // An engine retaking the run waits afresh.
    expect((await start()).waitingFor).toBeUndefined();

    await store.setWaitingFor(step.id, 'deployment 3 to dev');
    await store.finishStep(step.id, { status: 'failed', reason: 'timed out' });
    expect(await waitingFor()).toBeUndefined();
  });
});
