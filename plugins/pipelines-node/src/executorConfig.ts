import { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * The settings every executor reads from `pipelines.executors.<id>`, with
 * the same defaults.
 *
 * @public
 */
export type PipelineExecutorLimits = {
  /** `stepTimeout`: the timeout of a step that does not set one. Default 1h. */
  stepTimeoutMs: number;
  /** `checkoutTimeout`: how long a checkout may take. Default 10m. */
  checkoutTimeoutMs: number;
  /** `killGracePeriod`: between SIGTERM and SIGKILL. Default 10s. */
  killGracePeriodMs: number;
  /** `maxOutputBytes`: the most log a step may write. Default 10 MiB. */
  maxOutputBytes: number;
};

const configKey = (executorId: string) => `pipelines.executors.${executorId}`;

/**
 * Whether `pipelines.executors.<id>.enabled` is true; executors are off
 * unless it is.
 *
 * @public
 */
export function isPipelineExecutorEnabled(
  config: RootConfigService,
  executorId: string,
): boolean {
  return config.getOptionalBoolean(`${configKey(executorId)}.enabled`) ?? false;
}

/**
 * Reads a positive duration (`10m`, `{ seconds: 30 }`, ...) at
 * `pipelines.executors.<id>.<key>` in milliseconds, or the fallback when it
 * is not set. Throws an `InputError` naming the key when it is not positive.
 *
 * @public
 */
export function readPipelineExecutorDuration(
  config: RootConfigService,
  executorId: string,
  key: string,
  fallbackMs: number,
): number {
  const full = `${configKey(executorId)}.${key}`;
  if (!config.has(full)) {
    return fallbackMs;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: full }),
  );
  if (!(ms > 0)) {
    throw new InputError(`${full} must be a positive duration`);
  }
  return ms;
}

/**
 * Reads {@link PipelineExecutorLimits} from `pipelines.executors.<id>`.
 * Throws an `InputError` naming the key of a bad value.
 *
 * @public
 */
export function readPipelineExecutorLimits(
  config: RootConfigService,
  executorId: string,
): PipelineExecutorLimits {
  const key = configKey(executorId);
  const maxOutputBytes =
    config.getOptionalNumber(`${key}.maxOutputBytes`) ?? 10 * 1024 * 1024;
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes <= 0) {
    throw new InputError(`${key}.maxOutputBytes must be a positive integer`);
  }
  return {
    stepTimeoutMs: readPipelineExecutorDuration(
      config,
      executorId,
      'stepTimeout',
      60 * 60 * 1000,
    ),
    checkoutTimeoutMs: readPipelineExecutorDuration(
      config,
      executorId,
      'checkoutTimeout',
      10 * 60 * 1000,
    ),
    killGracePeriodMs: readPipelineExecutorDuration(
      config,
      executorId,
      'killGracePeriod',
      10 * 1000,
    ),
    maxOutputBytes,
  };
}
