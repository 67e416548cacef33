import {
  computeDoraFigures,
  DORA_BANDS,
  DoraDeployment,
  DoraFailedRun,
} from './doraFigures';

const A = 'component:default/payments-api';
const B = 'component:default/orders-api';

// Monday 2026-11-02 00:00 UTC to Monday 2026-11-16: two whole weeks.
const from = new Date('2026-11-02T00:00:00Z');
const to = new Date('2026-11-16T00:00:00Z');

function deployment(
  id: string,
  status: DoraDeployment['status'],
  createdAt: string,
  finishedAt?: string,
  extra: Partial<DoraDeployment> = {},
): DoraDeployment {
  return {
    id,
    component: A,
    status,
    createdAt,
    ...(finishedAt ? { finishedAt } : {}),
    ...extra,
  };
}

const run = (id: string, createdAt: string) => ({ id, createdAt });

describe('computeDoraFigures', () => {
  it('gives empty figures without bands when nothing happened', () => {
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [],
      failedRuns: [],
    });
    expect(figures.weeks).toEqual([
      {
        start: '2026-11-02T00:00:00.000Z',
        end: '2026-11-09T00:00:00.000Z',
        deployments: 0,
        changes: 0,
        failedChanges: 0,
        restored: 0,
      },
      {
        start: '2026-11-09T00:00:00.000Z',
        end: '2026-11-16T00:00:00.000Z',
        deployments: 0,
        changes: 0,
        failedChanges: 0,
        restored: 0,
      },
    ]);
    expect(figures.deploymentFrequency).toEqual({ deployments: 0, perWeek: 0 });
    expect(figures.leadTime).toEqual({ samples: 0, withoutRun: 0 });
    expect(figures.changeFailureRate).toEqual({ failed: 0, total: 0 });
    expect(figures.timeToRestore).toEqual({ restored: 0, open: 0 });
  });

  it('counts delivered changes per week by when they succeeded, rolled-back ones too, rollbacks not', () => {
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [
        // Created in week 1, succeeded in week 2: a week-2 deployment.
        deployment(
          'd1',
          'succeeded',
          '2026-11-08T23:50:00Z',
          '2026-11-09T00:10:00Z',
        ),
        deployment(
          'd2',
          'succeeded',
          '2026-11-03T10:00:00Z',
          '2026-11-03T10:05:00Z',
        ),
        deployment(
          'd3',
          'rolled_back',
          '2026-11-04T10:00:00Z',
          '2026-11-04T10:05:00Z',
        ),
        deployment(
          'r1',
          'succeeded',
          '2026-11-04T11:00:00Z',
          '2026-11-04T11:02:00Z',
          { rollbackOf: 'd3' },
        ),
        deployment(
          'd4',
          'failed',
          '2026-11-05T10:00:00Z',
          '2026-11-05T10:01:00Z',
        ),
        deployment('d5', 'in_progress', '2026-11-10T10:00:00Z'),
        // Before the window.
        deployment(
          'd0',
          'succeeded',
          '2026-11-01T10:00:00Z',
          '2026-11-01T10:05:00Z',
        ),
      ],
      failedRuns: [],
    });
    expect(figures.weeks.map(w => w.deployments)).toEqual([2, 1]);
    expect(figures.deploymentFrequency.deployments).toBe(3);
    expect(figures.deploymentFrequency.perWeek).toBeCloseTo(1.5);
    expect(figures.deploymentFrequency.band).toBe('high');
  });

  it('measures lead time from the run to the deployment, as a median, leaving out deployments no run made', () => {
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [
        deployment(
          'd1',
          'succeeded',
          '2026-11-03T11:00:00Z',
          '2026-11-03T12:00:00Z',
          { run: run('run-1', '2026-11-03T10:00:00Z') }, // 2 h
        ),
        deployment(
          'd2',
          'succeeded',
          '2026-11-04T11:00:00Z',
          '2026-11-04T12:00:00Z',
          { run: run('run-2', '2026-11-03T12:00:00Z') }, // 24 h
        ),
        deployment(
          'd3',
          'rolled_back',
          '2026-11-05T11:00:00Z',
          '2026-11-05T12:00:00Z',
          { run: run('run-3', '2026-11-05T08:00:00Z') }, // 4 h
        ),
        deployment(
          'd4',
          'succeeded',
          '2026-11-10T11:00:00Z',
          '2026-11-10T12:00:00Z',
        ),
        // Failed: never delivered, so no lead time.
        deployment(
          'd5',
          'failed',
          '2026-11-10T13:00:00Z',
          '2026-11-10T13:30:00Z',
          { run: run('run-5', '2026-11-01T00:00:00Z') },
        ),
      ],
      failedRuns: [],
    });
    expect(figures.leadTime).toEqual({
      medianSeconds: 4 * 3600,
      samples: 3,
      withoutRun: 1,
      band: 'elite',
    });
    expect(figures.weeks[0].leadTimeSeconds).toBe(4 * 3600);
    expect(figures.weeks[1].leadTimeSeconds).toBeUndefined();
  });

  it('takes failed, rolled-back and rollback-targeted deployments as failed changes, by when they started', () => {
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [
        deployment(
          'ok1',
          'succeeded',
          '2026-11-03T10:00:00Z',
          '2026-11-03T10:01:00Z',
        ),
        deployment(
          'bad1',
          'failed',
          '2026-11-03T11:00:00Z',
          '2026-11-03T11:01:00Z',
        ),
        deployment(
          'bad2',
          'rolled_back',
          '2026-11-04T10:00:00Z',
          '2026-11-04T10:01:00Z',
        ),
        deployment(
          'r2',
          'succeeded',
          '2026-11-04T12:00:00Z',
          '2026-11-04T12:01:00Z',
          {
            rollbackOf: 'bad2',
          },
        ),
        // Its rollback failed, so it still shows succeeded: still a failed change.
        deployment(
          'bad3',
          'succeeded',
          '2026-11-10T10:00:00Z',
          '2026-11-10T10:01:00Z',
        ),
        deployment(
          'r3',
          'failed',
          '2026-11-10T12:00:00Z',
          '2026-11-10T12:01:00Z',
          {
            rollbackOf: 'bad3',
          },
        ),
        deployment(
          'ok2',
          'succeeded',
          '2026-11-11T10:00:00Z',
          '2026-11-11T10:01:00Z',
        ),
        // Pending ones have no outcome yet.
        deployment('p', 'pending', '2026-11-12T10:00:00Z'),
      ],
      failedRuns: [],
    });
    expect(figures.weeks.map(w => [w.failedChanges, w.changes])).toEqual([
      [2, 3],
      [1, 2],
    ]);
    expect(figures.weeks[0].changeFailureRate).toBeCloseTo(2 / 3);
    expect(figures.changeFailureRate).toEqual({
      failed: 3,
      total: 5,
      rate: 0.6,
      band: 'low',
    });
  });

  it('measures time to restore from a failure to the next deployment that succeeded and stayed so, one outage per incident', () => {
    const failedRuns: DoraFailedRun[] = [
      // A failed default-branch run, fixed by a deployment 3 h later.
      { id: 'run-f', component: B, finishedAt: '2026-11-03T09:00:00Z' },
    ];
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [
        // Outage 1: bad1 fails at 10:01, bad2 fails at 10:31 (same
        // incident), fix succeeds at 11:01 -> 60 min.
        deployment(
          'bad1',
          'failed',
          '2026-11-03T10:00:00Z',
          '2026-11-03T10:01:00Z',
        ),
        deployment(
          'bad2',
          'failed',
          '2026-11-03T10:30:00Z',
          '2026-11-03T10:31:00Z',
        ),
        deployment(
          'fix',
          'succeeded',
          '2026-11-03T11:00:00Z',
          '2026-11-03T11:01:00Z',
        ),
        // Outage 2: live at 10:01 on the 10th, the rollback succeeds at
        // 10:31 -> 30 min. The rolled-back deployment restores nothing.
        deployment(
          'bad3',
          'rolled_back',
          '2026-11-10T10:00:00Z',
          '2026-11-10T10:01:00Z',
        ),
        deployment(
          'r3',
          'succeeded',
          '2026-11-10T10:30:00Z',
          '2026-11-10T10:31:00Z',
          {
            rollbackOf: 'bad3',
          },
        ),
        // Outage 3: not restored.
        deployment(
          'bad4',
          'failed',
          '2026-11-12T10:00:00Z',
          '2026-11-12T10:01:00Z',
        ),
        {
          id: 'b-fix',
          component: B,
          status: 'succeeded',
          createdAt: '2026-11-03T11:55:00Z',
          finishedAt: '2026-11-03T12:00:00Z',
        },
      ],
      failedRuns,
    });
    expect(
      figures.weeks.map(w => [w.restored, w.timeToRestoreSeconds]),
    ).toEqual([
      [2, (60 * 60 + 3 * 3600) / 2],
      [1, 30 * 60],
    ]);
    expect(figures.timeToRestore).toEqual({
      medianSeconds: 3600,
      restored: 3,
      open: 1,
      band: 'high',
    });
  });

  it('measures a failure inside the window restored after it, and leaves out failures before it', () => {
    const figures = computeDoraFigures({
      from,
      to,
      deployments: [
        deployment(
          'old',
          'failed',
          '2026-11-01T10:00:00Z',
          '2026-11-01T10:01:00Z',
        ),
        deployment(
          'late',
          'failed',
          '2026-11-15T23:00:00Z',
          '2026-11-15T23:01:00Z',
        ),
        deployment(
          'fix',
          'succeeded',
          '2026-11-16T01:00:00Z',
          '2026-11-16T01:01:00Z',
        ),
      ],
      failedRuns: [],
    });
    // 'old' started before the window and ended at 'fix' with 'late': the
    // one outage started outside the window.
    expect(figures.timeToRestore).toEqual({ restored: 0, open: 0 });
    const late = computeDoraFigures({
      from,
      to,
      deployments: [
        deployment(
          'late',
          'failed',
          '2026-11-15T23:00:00Z',
          '2026-11-15T23:01:00Z',
        ),
        deployment(
          'fix',
          'succeeded',
          '2026-11-16T01:00:00Z',
          '2026-11-16T01:01:00Z',
        ),
      ],
      failedRuns: [],
    });
    expect(late.timeToRestore).toEqual({
      medianSeconds: 2 * 3600,
      restored: 1,
      open: 0,
      band: 'high',
    });
  });

  it('clips the first and last week to the window', () => {
    const figures = computeDoraFigures({
      from: new Date('2026-11-04T12:00:00Z'), // a Wednesday
      to: new Date('2026-11-10T06:00:00Z'),
      deployments: [],
      failedRuns: [],
    });
    expect(figures.weeks.map(w => [w.start, w.end])).toEqual([
      ['2026-11-04T12:00:00.000Z', '2026-11-09T00:00:00.000Z'],
      ['2026-11-09T00:00:00.000Z', '2026-11-10T06:00:00.000Z'],
    ]);
  });
});

describe('DORA_BANDS', () => {
  it('bands each figure at the report bounds', () => {
    const f = DORA_BANDS.deploymentFrequency;
    expect([
      f(3),
      f(1),
      f(0.5),
      f(1 / 7),
      f(1 / 8),
      f(1 / 30),
      f(0.01),
    ]).toEqual(['elite', 'elite', 'high', 'high', 'medium', 'medium', 'low']);
    const l = DORA_BANDS.leadTime;
    const day = 86400;
    expect([l(3600), l(day), l(7 * day), l(8 * day), l(31 * day)]).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    const c = DORA_BANDS.changeFailureRate;
    expect([c(0), c(0.05), c(0.1), c(0.15), c(0.16)]).toEqual([
      'elite',
      'elite',
      'high',
      'medium',
      'low',
    ]);
    const t = DORA_BANDS.timeToRestore;
    expect([t(59 * 60), t(3600), t(day), t(7 * day), t(8 * day)]).toEqual([
      'elite',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });
});
