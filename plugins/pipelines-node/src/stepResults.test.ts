import {
  checkoutStoppedError,
  describeOutputProblem,
  describeStepEnd,
  formatDuration,
  pipelineLogWriter,
  stepResultWithoutRun,
} from './stepResults';
import { PipelineLogChunk } from './executor';

describe('formatDuration', () => {
  it.each([
    [7_200_000, '2h'],
    [600_000, '10m'],
    [90_000, '90s'],
    [1000, '1s'],
    [1500, '1500ms'],
    [500, '500ms'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('describeStepEnd', () => {
  const limits = { timeoutMs: 60_000, maxOutputBytes: 100, released: false };

  it('gives an exit no message', () => {
    expect(describeStepEnd('exited', limits)).toEqual({ reason: 'exited' });
  });

  it.each([
    [
      'timed_out',
      'timed_out',
      'The step ran longer than its timeout of 1m and was stopped',
    ],
    ['cancelled', 'cancelled', 'The step was cancelled'],
    [
      'output_limit_exceeded',
      'output_limit_exceeded',
      'The step wrote more than 100 bytes of output and was stopped',
    ],
    [
      'interrupted',
      'interrupted',
      'The step was stopped because the backend is shutting down',
    ],
  ] as const)('%s is %s', (end, reason, message) => {
    expect(describeStepEnd(end, limits)).toEqual({ reason, message });
  });

  it('says when the release of the workspace stopped the step', () => {
    expect(describeStepEnd('cancelled', { ...limits, released: true })).toEqual(
      {
        reason: 'cancelled',
        message: 'The step was stopped because its workspace was released',
      },
    );
  });

  it('makes a failed log sink an executor error', () => {
    expect(
      describeStepEnd('sink_failed', { ...limits, error: 'disk full' }),
    ).toEqual({
      reason: 'executor_error',
      message:
        'The step was stopped because its log could not be stored: disk full',
    });
  });
});

describe('checkoutStoppedError', () => {
  it.each([
    ['timed_out', 'timed_out', 'The checkout took longer than 2m'],
    ['cancelled', 'cancelled', 'The checkout was cancelled'],
    [
      'interrupted',
      'executor_error',
      'The checkout was stopped because the backend is shutting down',
    ],
  ] as const)('%s', (end, reason, message) => {
    expect(checkoutStoppedError(end, 120_000)).toMatchObject({
      name: 'PipelineWorkspaceError',
      reason,
      message,
    });
  });
});

describe('stepResultWithoutRun', () => {
  it('has no exit code and no outputs', () => {
    const startedAt = new Date(0);
    const result = stepResultWithoutRun('rejected', 'no', startedAt);
    expect(result).toEqual({
      reason: 'rejected',
      exitCode: null,
      message: 'no',
      outputs: {},
      outputProblems: [],
      outputBytes: 0,
      startedAt,
      finishedAt: expect.any(Date),
    });
    expect(result.finishedAt.getTime()).toBeGreaterThan(0);
  });
});

describe('describeOutputProblem', () => {
  it('names the line when there is one', () => {
    expect(describeOutputProblem({ line: 3, message: 'bad' })).toBe(
      'Outputs file line 3: bad',
    );
    expect(describeOutputProblem({ line: 0, message: 'too long' })).toBe(
      'Outputs file: too long',
    );
  });
});

describe('pipelineLogWriter', () => {
  it('stamps text for the sink and drops empty pieces', async () => {
    const chunks: PipelineLogChunk[] = [];
    const write = pipelineLogWriter(chunk => {
      chunks.push(chunk);
    });
    await write('system', 'hello\n');
    await write('stdout', '');
    expect(chunks).toEqual([
      { stream: 'system', text: 'hello\n', timestamp: expect.any(Date) },
    ]);
  });

  it('writes nowhere without a sink', async () => {
    await expect(
      pipelineLogWriter(undefined)('stdout', 'x'),
    ).resolves.toBeUndefined();
  });
});
