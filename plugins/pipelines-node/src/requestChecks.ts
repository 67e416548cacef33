import { posix } from 'node:path';
import { PipelineWorkspaceError } from './errors';
import { checkStepEnvironment } from './environment';
import {
  PipelineRepository,
  PipelineStepRequest,
  PrepareWorkspaceRequest,
} from './executor';

// What git is handed must not be an option, a command transport (`ext::`) or
// a URL carrying credentials: every executor refuses the same requests.
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const URL_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'file:']);
const SCP_LIKE = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/\/)\S+$/;

/**
 * Checks a repository before git sees it: a clone URL git would read as an
 * option or as a command transport, credentials in the URL, a malformed
 * commit id or ref, credentials without a username or with line breaks.
 * Returns what is wrong, or `undefined`.
 *
 * @public
 */
export function checkPipelineRepository(
  repository: PipelineRepository,
): string | undefined {
  const { cloneUrl, commit, ref } = repository;
  if (typeof cloneUrl !== 'string' || cloneUrl.trim() === '') {
    return 'The repository has no clone URL';
  }
  if (/[\s\0]/.test(cloneUrl) || cloneUrl.startsWith('-')) {
    return `The clone URL '${cloneUrl}' is not a valid URL`;
  }
  if (!SCP_LIKE.test(cloneUrl)) {
    let url: URL;
    try {
      url = new URL(cloneUrl);
    } catch {
      return `The clone URL '${cloneUrl}' is not a valid URL`;
    }
    if (!URL_SCHEMES.has(url.protocol)) {
      return `The clone URL's scheme '${url.protocol}' is not one of https, http, ssh, git and file`;
    }
    if (url.password || (url.username && /^https?:$/.test(url.protocol))) {
      return 'The clone URL must not carry credentials; pass them as the repository credentials';
    }
  }
  if (commit === undefined && ref === undefined) {
    return 'The repository needs a commit or a ref to check out';
  }
  if (commit !== undefined && !COMMIT.test(commit.toLowerCase())) {
    return `'${commit}' is not a full commit id (40 or 64 hexadecimal digits)`;
  }
  if (ref !== undefined && !isValidRef(ref)) {
    return `'${ref}' is not a valid git ref`;
  }
  const credentials = repository.credentials;
  if (
    credentials !== undefined &&
    (typeof credentials.username !== 'string' ||
      typeof credentials.password !== 'string' ||
      credentials.username === '' ||
      /[\n\0]/.test(credentials.username + credentials.password))
  ) {
    return 'The repository credentials need a username and a password without line breaks';
  }
  return undefined;
}

/** The rules of `git check-ref-format`, and no leading `-`. */
function isValidRef(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 255 &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.includes('@{') &&
    !ref.split('/').some(part => part.startsWith('.')) &&
    // eslint-disable-next-line no-control-regex
    !/[\x00-\x20\x7f~^:?*[\\]/.test(ref)
  );
}

/**
 * The error of a workspace preparation the backend's shutdown stopped
 * (`executor_error`: preparing it again on another replica is fine).
 *
 * @public
 */
export function shutdownWorkspaceError(): PipelineWorkspaceError {
  return new PipelineWorkspaceError(
    'executor_error',
    'The backend is shutting down',
  );
}

/**
 * Why a workspace preparation is refused before anything is created: the
 * backend is shutting down ({@link shutdownWorkspaceError}), the request's
 * signal is aborted already (`cancelled`), the run id is missing or the
 * repository fails {@link checkPipelineRepository} (`invalid_request`).
 * Returns the error to throw, or `undefined`.
 *
 * @public
 */
export function checkPrepareWorkspaceRequest(
  request: PrepareWorkspaceRequest,
  executor: { shuttingDown: boolean } = { shuttingDown: false },
): PipelineWorkspaceError | undefined {
  if (executor.shuttingDown) {
    return shutdownWorkspaceError();
  }
  if (request.signal?.aborted) {
    return new PipelineWorkspaceError(
      'cancelled',
      'The checkout was cancelled',
    );
  }
  if (typeof request.runId !== 'string' || request.runId === '') {
    return new PipelineWorkspaceError(
      'invalid_request',
      'The run id is missing',
    );
  }
  const problem =
    request.repository && checkPipelineRepository(request.repository);
  return problem
    ? new PipelineWorkspaceError('invalid_request', problem)
    : undefined;
}

/**
 * Why a step is not started at all: the backend is shutting down
 * (`interrupted`) or its signal is aborted already (`cancelled`). Returns the
 * result's reason and message, or `undefined`.
 *
 * @public
 */
export function checkStepStart(
  request: Pick<PipelineStepRequest, 'signal'>,
  executor: { shuttingDown: boolean },
): { reason: 'interrupted' | 'cancelled'; message: string } | undefined {
  if (executor.shuttingDown) {
    return { reason: 'interrupted', message: 'The backend is shutting down' };
  }
  if (request.signal?.aborted) {
    return {
      reason: 'cancelled',
      message: 'The step was cancelled before it started',
    };
  }
  return undefined;
}

/**
 * Checks a step's command: a script that is not blank, or a non-empty list
 * of strings whose first names a program. No NUL characters anywhere.
 * Returns what is wrong, or `undefined`.
 *
 * @public
 */
export function checkStepCommand(command: unknown): string | undefined {
  if (typeof command === 'string') {
    return command.trim() === '' || command.includes('\0')
      ? 'The step has no command to run'
      : undefined;
  }
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    command.some(a => typeof a !== 'string' || a.includes('\0')) ||
    command[0] === ''
  ) {
    return 'The step command must be a script or a non-empty list of strings';
  }
  return undefined;
}

function checkPositive(name: string, value: number | undefined) {
  return value !== undefined && !(Number.isFinite(value) && value > 0)
    ? `${name} must be a positive number`
    : undefined;
}

/**
 * Checks what every executor checks of a step before it starts it: the
 * command ({@link checkStepCommand}), the `env`
 * ({@link checkStepEnvironment}: valid names, none of the reserved ones),
 * positive `timeoutMs` and `maxOutputBytes`, and an `attempt` from 1.
 * The working directory is resolved by
 * {@link resolveStepWorkingDirectory}. Returns the first problem, or
 * `undefined`; executors report it as a `rejected` step.
 *
 * @public
 */
export function checkStepRequest(
  request: Pick<
    PipelineStepRequest,
    'command' | 'env' | 'timeoutMs' | 'maxOutputBytes' | 'attempt'
  >,
): string | undefined {
  return (
    checkStepCommand(request.command) ??
    checkStepEnvironment(request.env) ??
    checkPositive('timeoutMs', request.timeoutMs) ??
    checkPositive('maxOutputBytes', request.maxOutputBytes) ??
    (request.attempt !== undefined &&
    !(Number.isInteger(request.attempt) && request.attempt >= 1)
      ? 'The attempt must be a whole number from 1'
      : undefined)
  );
}

/**
 * Resolves a step's working directory against the checkout by its text
 * alone (POSIX paths, as the step sees them): none or empty is the
 * checkout; absolute paths and `..` leading out are refused. Symbolic
 * links are not followed here: an executor checks them where the files are.
 *
 * @param checkout - the checkout's absolute path, without a trailing `/`
 * @public
 */
export function resolveStepWorkingDirectory(
  checkout: string,
  workingDirectory: string | undefined,
): { path: string } | { problem: string } {
  if (workingDirectory === undefined || workingDirectory === '') {
    return { path: checkout };
  }
  const name = `The working directory '${workingDirectory}'`;
  if (typeof workingDirectory !== 'string' || workingDirectory.includes('\0')) {
    return { problem: `${name} is not a valid path` };
  }
  if (posix.isAbsolute(workingDirectory)) {
    return { problem: `${name} must be relative to the checkout` };
  }
  const path = posix.join(checkout, workingDirectory);
  if (path !== checkout && !path.startsWith(`${checkout}/`)) {
    return { problem: `${name} leads out of the checkout` };
  }
  return { path };
}
