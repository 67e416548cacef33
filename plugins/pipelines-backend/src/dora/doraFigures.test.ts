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

/** An instant in November 2026, to the minute, in UTC. */
const nov = (day: number, time: string) =>
  `2026-11-${String(day).padStart(2, '0')}T${time}:00Z`;

/** The figures of the two-week window. */
const figuresOf = (
  deployments: DoraDeployment[],
  failedRuns: DoraFailedRun[] = [],
) => computeDoraFigures({ from, to, deployments, failedRuns });

describe('computeDoraFigures', () => {
  it('gives empty figures without bands when nothing happened', () => {
    const figures = figuresOf([]);
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
    const figures = figuresOf([
      // Created in week 1, succeeded in week 2: a week-2 deployment.
      deployment('d1', 'succeeded', nov(8, '23:50'), nov(9, '00:10')),
      deployment('d2', 'succeeded', nov(3, '10:00'), nov(3, '10:05')),
      deployment('d3', 'rolled_back', nov(4, '10:00'), nov(4, '10:05')),
      deployment('r1', 'succeeded', nov(4, '11:00'), nov(4, '11:02'), {
        rollbackOf: 'd3',
      }),
      deployment('d4', 'failed', nov(5, '10:00'), nov(5, '10:01')),
      deployment('d5', 'in_progress', nov(10, '10:00')),
      // Before the window.
      deployment('d0', 'succeeded', nov(1, '10:00'), nov(1, '10:05')),
    ]);
    expect(figures.weeks.map(w => w.deployments)).toEqual([2, 1]);
    expect(figures.deploymentFrequency.deployments).toBe(3);
    expect(figures.deploymentFrequency.perWeek).toBeCloseTo(1.5);
    expect(figures.deploymentFrequency.band).toBe('high');
  });

  it('measures lead time from the run to the deployment, as a median, leaving out deployments no run made', () => {
    const figures = figuresOf([
      deployment(
        'd1',
        'succeeded',
        nov(3, '11:00'),
        nov(3, '12:00'),
        { run: run('run-1', nov(3, '10:00')) }, // 2 h
      ),
      deployment(
        'd2',
        'succeeded',
        nov(4, '11:00'),
        nov(4, '12:00'),
        { run: run('run-2', nov(3, '12:00')) }, // 24 h
      ),
      deployment(
        'd3',
        'rolled_back',
        nov(5, '11:00'),
        nov(5, '12:00'),
        { run: run('run-3', nov(5, '08:00')) }, // 4 h
      ),
      deployment('d4', 'succeeded', nov(10, '11:00'), nov(10, '12:00')),
      // Failed: never delivered, so no lead time.
      deployment('d5', 'failed', nov(10, '13:00'), nov(10, '13:30'), {
        run: run('run-5', nov(1, '00:00')),
      }),
    ]);
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
    const figures = figuresOf([
      deployment('ok1', 'succeeded', nov(3, '10:00'), nov(3, '10:01')),
      deployment('bad1', 'failed', nov(3, '11:00'), nov(3, '11:01')),
      deployment('bad2', 'rolled_back', nov(4, '10:00'), nov(4, '10:01')),
      deployment('r2', 'succeeded', nov(4, '12:00'), nov(4, '12:01'), {
        rollbackOf: 'bad2',
      }),
      // Its rollback failed, so it still shows succeeded: still a failed change.
      deployment('bad3', 'succeeded', nov(10, '10:00'), nov(10, '10:01')),
      deployment('r3', 'failed', nov(10, '12:00'), nov(10, '12:01'), {
        rollbackOf: 'bad3',
      }),
      deployment('ok2', 'succeeded', nov(11, '10:00'), nov(11, '10:01')),
      // Pending ones have no outcome yet.
      deployment('p', 'pending', nov(12, '10:00')),
    ]);
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
      { id: 'run-f', component: B, finishedAt: nov(3, '09:00') },
    ];
    const figures = figuresOf(
      [
        // Outage 1: bad1 fails at 10:01, bad2 fails at 10:31 (same
        // incident), fix succeeds at 11:01 -> 60 min.
        deployment('bad1', 'failed', nov(3, '10:00'), nov(3, '10:01')),
        deployment('bad2', 'failed', nov(3, '10:30'), nov(3, '10:31')),
        deployment('fix', 'succeeded', nov(3, '11:00'), nov(3, '11:01')),
        // Outage 2: live at 10:01 on the 10th, the rollback succeeds at
        // 10:31 -> 30 min. The rolled-back deployment restores nothing.
        deployment('bad3', 'rolled_back', nov(10, '10:00'), nov(10, '10:01')),
        deployment('r3', 'succeeded', nov(10, '10:30'), nov(10, '10:31'), {
          rollbackOf: 'bad3',
        }),
        // Outage 3: not restored.
        deployment('bad4', 'failed', nov(12, '10:00'), nov(12, '10:01')),
        {
          id: 'b-fix',
          component: B,
          status: 'succeeded',
          createdAt: nov(3, '11:55'),
          finishedAt: nov(3, '12:00'),
        },
      ],
      failedRuns,
    );
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
    const figures = figuresOf([
      deployment('old', 'failed', nov(1, '10:00'), nov(1, '10:01')),
      deployment('late', 'failed', nov(15, '23:00'), nov(15, '23:01')),
      deployment('fix', 'succeeded', nov(16, '01:00'), nov(16, '01:01')),
    ]);
    // 'old' started before the window and ended at 'fix' with 'late': the
    // one outage started outside the window.
    expect(figures.timeToRestore).toEqual({ restored: 0, open: 0 });
    const late = figuresOf([
      deployment('late', 'failed', nov(15, '23:00'), nov(15, '23:01')),
      deployment('fix', 'succeeded', nov(16, '01:00'), nov(16, '01:01')),
    ]);
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
