import { ConfigReader } from '@backstage/config';
import {
  isPipelineExecutorEnabled,
  readPipelineExecutorDuration,
  readPipelineExecutorLimits,
} from './executorConfig';

const config = (executor: object) =>
  new ConfigReader({ pipelines: { executors: { demo: executor } } });

describe('isPipelineExecutorEnabled', () => {
  it('is on only when enabled is true', () => {
    expect(isPipelineExecutorEnabled(new ConfigReader({}), 'demo')).toBe(false);
    expect(isPipelineExecutorEnabled(config({ enabled: false }), 'demo')).toBe(
      false,
    );
    expect(isPipelineExecutorEnabled(config({ enabled: true }), 'demo')).toBe(
      true,
    );
    expect(isPipelineExecutorEnabled(config({ enabled: true }), 'other')).toBe(
      false,
    );
  });
});

describe('readPipelineExecutorLimits', () => {
  it('has defaults', () => {
    expect(readPipelineExecutorLimits(new ConfigReader({}), 'demo')).toEqual({
      stepTimeoutMs: 3_600_000,
      checkoutTimeoutMs: 600_000,
      killGracePeriodMs: 10_000,
      maxOutputBytes: 10 * 1024 * 1024,
    });
  });

  it('reads durations in both forms', () => {
    expect(
      readPipelineExecutorLimits(
        config({
          stepTimeout: '5m',
          checkoutTimeout: { seconds: 30 },
          killGracePeriod: '1s',
          maxOutputBytes: 2048,
        }),
        'demo',
      ),
    ).toEqual({
      stepTimeoutMs: 300_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 1000,
      maxOutputBytes: 2048,
    });
  });

  it('names the key of a bad value', () => {
    expect(() =>
      readPipelineExecutorLimits(config({ maxOutputBytes: 1.5 }), 'demo'),
    ).toThrow('pipelines.executors.demo.maxOutputBytes must be a positive');
    expect(() =>
      readPipelineExecutorLimits(config({ stepTimeout: '0s' }), 'demo'),
    ).toThrow('pipelines.executors.demo.stepTimeout must be a positive');
  });
});

describe('readPipelineExecutorDuration', () => {
  it('reads one key, with a fallback', () => {
    expect(
      readPipelineExecutorDuration(config({}), 'demo', 'pollInterval', 2000),
    ).toBe(2000);
    expect(
      readPipelineExecutorDuration(
        config({ pollInterval: '250ms' }),
        'demo',
        'pollInterval',
        2000,
      ),
    ).toBe(250);
  });
});
