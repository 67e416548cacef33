import {
  checkoutStoppedError,
  PipelineRepository,
  PipelineWorkspaceError,
} from '@internal/plugin-pipelines-node';
import { ProcessEnd, runProcess } from './runProcess';

/** What the checkout needs besides the repository. */
export type CheckoutOptions = {
  /** The (empty) folder to check out into. */
  directory: string;
  /** The environment git runs with (scrubbed, with HOME in the workspace). */
  env: Record<string, string>;
  /** The process tag of the git commands. */
  tag: string;
  timeoutMs: number;
  graceMs: number;
  log: (stream: 'stdout' | 'stderr' | 'system', text: string) => Promise<void>;
  signal?: AbortSignal;
  interrupt?: AbortSignal;
};

/**
 * A credential helper that answers git's `get` with the credentials from
 * two variables only the fetching git process has. Nothing is written to
 * the checkout's config, and the URL stays without them.
 */
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; ' +
  'printf "username=%s\\npassword=%s\\n" "$LAUNCHPAD_GIT_USERNAME" "$LAUNCHPAD_GIT_PASSWORD"; }; f';

/** A failed git command, with the end of what it wrote. */
class GitFailure extends Error {
  constructor(readonly end: ProcessEnd, message: string) {
    super(message);
  }
}

/**
 * Checks the repository out into the folder: a shallow fetch of exactly the
 * commit where the server allows it; otherwise (servers that only serve
 * refs, dumb HTTP) a full fetch of the ref, or of all branches and tags,
 * that must contain the commit. Without a commit, the ref's current commit
 * is fetched. Ends on a detached HEAD at the commit and returns its full id.
 * Rejects with a {@link PipelineWorkspaceError}.
 */
export async function checkout(
  repository: PipelineRepository,
  options: CheckoutOptions,
): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  const secret = repository.credentials?.password;
  const redact = (text: string) =>
    secret ? text.split(secret).join('***') : text;

  const git = async (
    args: string[],
    opts: { credentials?: boolean; quiet?: boolean } = {},
  ): Promise<string> => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new GitFailure('timed_out', '');
    }
    const env = { ...options.env };
    const config = ['-c', 'credential.helper='];
    if (opts.credentials && repository.credentials) {
      config.push('-c', `credential.helper=${CREDENTIAL_HELPER}`);
      env.LAUNCHPAD_GIT_USERNAME = repository.credentials.username;
      env.LAUNCHPAD_GIT_PASSWORD = repository.credentials.password;
    }
    let captured = '';
    const outcome = await runProcess({
      file: 'git',
      args: [...config, ...args],
      cwd: options.directory,
      env,
      tag: options.tag,
      subject: `git ${args[0]}`,
      timeoutMs: remaining,
      graceMs: options.graceMs,
      maxOutputBytes: 1024 * 1024,
      signal: options.signal,
      interrupt: options.interrupt,
      output: async (stream, text) => {
        const clean = redact(text);
        captured = (captured + clean).slice(-4000);
        if (!opts.quiet || stream === 'system') {
          await options.log(stream, clean);
        }
      },
    });
    if (outcome.end === 'exited' && outcome.exitCode === 0) {
      return captured;
    }
    if (outcome.end === 'spawn_failed') {
      throw new PipelineWorkspaceError(
        'executor_error',
        `Could not run git: ${outcome.error?.message}`,
      );
    }
    throw new GitFailure(
      outcome.end,
      `git ${args[0]} failed${
        outcome.exitCode !== null ? ` (exit code ${outcome.exitCode})` : ''
      }: ${lastLines(captured)}`,
    );
  };

  const { cloneUrl, ref } = repository;
  const commit = repository.commit?.toLowerCase();
  const fetch = (refspecs: string[], shallow: boolean) =>
    git(
      [
        'fetch',
        '--no-tags',
        '--no-recurse-submodules',
        ...(shallow ? ['--depth=1'] : []),
        'origin',
        ...refspecs,
      ],
      { credentials: true },
    );
  /** A shallow fetch first; a full one when the server refuses it. */
  const fetchShallowOrFull = async (
    shallow: string[],
    full: string[],
    why: string,
  ) => {
    try {
      await fetch(shallow, true);
    } catch (error) {
      if (!(error instanceof GitFailure) || error.end !== 'exited') {
        throw error;
      }
      await options.log('system', `${why}\n`);
      await fetch(full, false);
    }
  };
  try {
    await git(['init', '--quiet', '--template=', '.'], { quiet: true });
    await git(['remote', 'add', 'origin', cloneUrl], { quiet: true });

    let resolved: string;
    if (commit) {
      await options.log(
        'system',
        `Fetching commit ${commit} from ${cloneUrl}\n`,
      );
      await fetchShallowOrFull(
        [commit],
        ref
          ? [ref]
          : ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'],
        `The server did not serve the commit on its own; fetching ${
          ref ? `ref ${ref}` : 'all branches and tags'
        } instead`,
      );
      try {
        await git(['cat-file', '-e', `${commit}^{commit}`], { quiet: true });
      } catch (missing) {
        if (missing instanceof GitFailure && missing.end === 'exited') {
          throw new PipelineWorkspaceError(
            'checkout_failed',
            `Commit ${commit} is not in ${cloneUrl}${ref ? ` at ${ref}` : ''}`,
          );
        }
        throw missing;
      }
      resolved = commit;
    } else {
      await options.log('system', `Fetching ${ref} from ${cloneUrl}\n`);
      await fetchShallowOrFull(
        [ref!],
        [ref!],
        'The server refused a shallow fetch; fetching the full history instead',
      );
      resolved = (
        await git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], {
          quiet: true,
        })
      ).trim();
    }

    await git([
      '-c',
      'advice.detachedHead=false',
      'checkout',
      '--quiet',
      '--detach',
      resolved,
    ]);
    await options.log('system', `Checked out ${resolved}\n`);
    return resolved;
  } catch (error) {
    throw toWorkspaceError(error, options.timeoutMs);
  }
}

function toWorkspaceError(error: unknown, timeoutMs: number): Error {
  if (error instanceof PipelineWorkspaceError) {
    return error;
  }
  if (error instanceof GitFailure) {
    switch (error.end) {
      case 'timed_out':
      case 'cancelled':
      case 'interrupted':
        return checkoutStoppedError(error.end, timeoutMs);
      case 'exited':
        return new PipelineWorkspaceError('checkout_failed', error.message);
      default:
        return new PipelineWorkspaceError('executor_error', error.message);
    }
  }
  return new PipelineWorkspaceError(
    'executor_error',
    `The checkout failed: ${
      error instanceof Error ? error.message : String(error)
    }`,
  );
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.slice(-5).join('\n') || '(no output)';
}
