import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readCloneUrlRewrites } from './cloneUrlRewrites';
import { DEFAULT_ENGINE_SETTINGS, RunEngineSettings } from './RunEngine';

const KEY = 'pipelines.engine';

function readMs(config: Config, key: string, fallback: number): number {
  const full = `${KEY}.${key}`;
  if (!config.has(full)) return fallback;
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: full }),
  );
  if (!(ms > 0)) throw new InputError(`${full} must be a positive duration`);
  return ms;
}

function readCount(config: Config, key: string, fallback: number): number {
  const full = `${KEY}.${key}`;
  const value = config.getOptionalNumber(full) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`${full} must be a positive integer`);
  }
  return value;
}

/** The executor that runs pipelines: `pipelines.engine.executor`, default `local`. */
export function readExecutorId(config: Config): string {
  return config.getOptionalString(`${KEY}.executor`) ?? 'local';
}

/** Reads `pipelines.engine`, with defaults for what is not set. */
export function readEngineSettings(config: Config): RunEngineSettings {
  const settings: RunEngineSettings = {
    concurrency: readCount(
      config,
      'concurrency',
      DEFAULT_ENGINE_SETTINGS.concurrency,
    ),
    perComponentLimit: readCount(
      config,
      'perComponentLimit',
      DEFAULT_ENGINE_SETTINGS.perComponentLimit,
    ),
    leaseMs: readMs(config, 'lease', DEFAULT_ENGINE_SETTINGS.leaseMs),
    heartbeatMs: readMs(
      config,
      'heartbeat',
      DEFAULT_ENGINE_SETTINGS.heartbeatMs,
    ),
    pollIntervalMs: readMs(
      config,
      'pollInterval',
      DEFAULT_ENGINE_SETTINGS.pollIntervalMs,
    ),
    maxLogChunks: readCount(
      config,
      'maxLogChunksPerStep',
      DEFAULT_ENGINE_SETTINGS.maxLogChunks,
    ),
    cancelSuperseded:
      config.getOptionalBoolean(`${KEY}.cancelSuperseded`) ??
      DEFAULT_ENGINE_SETTINGS.cancelSuperseded,
    deployTimeoutMs: readMs(
      config,
      'deployTimeout',
      DEFAULT_ENGINE_SETTINGS.deployTimeoutMs,
    ),
    cloneUrlRewrites: readCloneUrlRewrites(config),
  };
  if (settings.heartbeatMs * 2 > settings.leaseMs) {
    throw new InputError(
      `${KEY}.heartbeat must be at most half of ${KEY}.lease, so a lease is renewed before it runs out`,
    );
  }
  return settings;
}
