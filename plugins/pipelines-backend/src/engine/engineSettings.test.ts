import { ConfigReader } from '@backstage/config';
import { readEngineSettings, readExecutorId } from './engineSettings';
import { DEFAULT_ENGINE_SETTINGS } from './RunEngine';

const config = (engine: object) => new ConfigReader({ pipelines: { engine } });

describe('readEngineSettings', () => {
  it('has defaults', () => {
    expect(readEngineSettings(new ConfigReader({}))).toEqual(
      DEFAULT_ENGINE_SETTINGS,
    );
    expect(readExecutorId(new ConfigReader({}))).toBe('local');
  });

  it('reads every key', () => {
    const c = config({
      executor: 'kubernetes',
      concurrency: 8,
      perComponentLimit: 1,
      lease: '2m',
      heartbeat: { seconds: 20 },
      pollInterval: 'PT5S',
      maxLogChunksPerStep: 100,
      cancelSuperseded: false,
      deployTimeout: { minutes: 5 },
    });
    expect(readExecutorId(c)).toBe('kubernetes');
    expect(readEngineSettings(c)).toEqual({
      concurrency: 8,
      perComponentLimit: 1,
      leaseMs: 120_000,
      heartbeatMs: 20_000,
      pollIntervalMs: 5_000,
      maxLogChunks: 100,
      cancelSuperseded: false,
      deployTimeoutMs: 300_000,
      cloneUrlRewrites: [],
    });
  });

  it('refuses bad values, naming the key', () => {
    expect(() => readEngineSettings(config({ concurrency: 0 }))).toThrow(
      'pipelines.engine.concurrency must be a positive integer',
    );
    expect(() =>
      readEngineSettings(config({ lease: '10s', heartbeat: '6s' })),
    ).toThrow(
      'pipelines.engine.heartbeat must be at most half of pipelines.engine.lease',
    );
    expect(() => readEngineSettings(config({ lease: 'soon' }))).toThrow(
      /pipelines\.engine\.lease/,
    );
    expect(() =>
      readEngineSettings(config({ deployTimeout: { seconds: 0 } })),
    ).toThrow('pipelines.engine.deployTimeout must be a positive duration');
  });
});
