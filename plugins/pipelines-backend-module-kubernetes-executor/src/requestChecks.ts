import { PipelineRepository } from '@internal/plugin-pipelines-node';
import { posix } from 'node:path';

// The same rules as the local executor's checkout (which does not export
// them): what git is handed must not be an option, a command transport or a
// URL carrying credentials.
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const URL_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'file:']);
const SCP_LIKE = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/\/)\S+$/;

/** What is wrong with a repository to check out, or `undefined`. */
export function checkRepository(
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

/** What is wrong with a step's command, or `undefined`. */
export function checkCommand(command: unknown): string | undefined {
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

export function checkLimit(name: string, value: number | undefined) {
  return value !== undefined && !(Number.isFinite(value) && value > 0)
    ? `${name} must be a positive number`
    : undefined;
}

/**
 * The working directory inside the checkout, as a path in the pod; or why
 * it is refused. Symbolic links are checked in the pod, where the files are.
 */
export function resolveWorkingDirectory(
  checkout: string,
  workingDirectory: string | undefined,
): { path: string } | { problem: string } {
  const relative = workingDirectory ?? '.';
  if (typeof relative !== 'string' || relative.includes('\0')) {
    return { problem: 'The working directory is not a path' };
  }
  if (posix.isAbsolute(relative)) {
    return {
      problem: `The working directory '${relative}' must be relative to the checkout`,
    };
  }
  const path = posix.join(checkout, relative);
  if (path !== checkout && !path.startsWith(`${checkout}/`)) {
    return {
      problem: `The working directory '${relative}' leads out of the checkout`,
    };
  }
  return { path };
}
