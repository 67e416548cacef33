import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  isPipelineExecutorEnabled,
  PipelineExecutorLimits,
  readPipelineExecutorLimits,
} from '@internal/plugin-pipelines-node';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The local executor's settings, from `pipelines.executors.local`. */
export type LocalExecutorSettings = PipelineExecutorLimits & {
  /** Where workspaces are created, one folder per run. */
  workspaceRoot: string;
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
  return isPipelineExecutorEnabled(config, 'local');
}

/** Reads `pipelines.executors.local`, with defaults for what is not set. */
export function readLocalExecutorSettings(
  config: Config,
): LocalExecutorSettings {
  const limits = readPipelineExecutorLimits(config, 'local');
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
    ...limits,
    path:
      config.getOptionalString(`${KEY}.path`) ??
      process.env.PATH ??
      DEFAULT_PATH,
    passEnvironment,
  };
}
