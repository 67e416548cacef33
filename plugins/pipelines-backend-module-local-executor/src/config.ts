import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The local executor's settings, from `pipelines.executors.local`. */
export type LocalExecutorSettings = {
  /** Where workspaces are created, one folder per run. */
  workspaceRoot: string;
  /** The timeout of a step that does not set one. */
  stepTimeoutMs: number;
  /** How long the checkout of a run's commit may take. */
  checkoutTimeoutMs: number;
  /** Between SIGTERM and SIGKILL when processes are stopped. */
  killGracePeriodMs: number;
  /** The most stdout and stderr bytes a step may write. */
  maxOutputBytes: number;
  /** `PATH` for git and the steps. */
  path: string;
  /** Names of the backend's variables that steps and git also get. */
  passEnvironment: string[];
};

const KEY = 'pipelines.executors.local';
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether the local executor is switched on: only when set to true. */
export function isLocalExecutorEnabled(config: Config): boolean {
  return config.getOptionalBoolean(`${KEY}.enabled`) ?? false;
}

function readMs(config: Config, key: string, fallback: number): number {
  const full = `${KEY}.${key}`;
  if (!config.has(full)) {
    return fallback;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: full }),
  );
  if (!(ms > 0)) {
    throw new InputError(`${full} must be a positive duration`);
  }
  return ms;
}

/** Reads `pipelines.executors.local`, with defaults for what is not set. */
export function readLocalExecutorSettings(
  config: Config,
): LocalExecutorSettings {
  const maxOutputBytes =
    config.getOptionalNumber(`${KEY}.maxOutputBytes`) ?? 10 * 1024 * 1024;
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes <= 0) {
    throw new InputError(`${KEY}.maxOutputBytes must be a positive integer`);
  }
  const passEnvironment =
    config.getOptionalStringArray(`${KEY}.passEnvironment`) ?? [];
  const invalid = passEnvironment.find(name => !VARIABLE_NAME.test(name));
  if (invalid !== undefined) {
    throw new InputError(
      `${KEY}.passEnvironment: '${invalid}' is not a variable name`,
    );
  }
  return {
    workspaceRoot: resolve(
      config.getOptionalString(`${KEY}.workspaceRoot`) ??
        join(tmpdir(), 'launchpad-pipelines'),
    ),
    stepTimeoutMs: readMs(config, 'stepTimeout', 60 * 60 * 1000),
    checkoutTimeoutMs: readMs(config, 'checkoutTimeout', 10 * 60 * 1000),
    killGracePeriodMs: readMs(config, 'killGracePeriod', 10 * 1000),
    maxOutputBytes,
    path:
      config.getOptionalString(`${KEY}.path`) ??
      process.env.PATH ??
      DEFAULT_PATH,
    passEnvironment,
  };
}
