import {
  checkPipelineRepository,
  checkPrepareWorkspaceRequest,
  checkStepCommand,
  checkStepRequest,
  checkStepStart,
  resolveStepWorkingDirectory,
} from './requestChecks';

const COMMIT = 'a'.repeat(40);

describe('checkPipelineRepository', () => {
  it.each([
    [{ cloneUrl: 'https://git.example.com/a/b.git', commit: COMMIT }],
    [{ cloneUrl: 'git@github.com:a/b.git', ref: 'refs/heads/main' }],
    [{ cloneUrl: 'ssh://git@host/a/b', commit: 'F'.repeat(64) }],
    [{ cloneUrl: 'file:///tmp/repo', ref: 'feature/x' }],
    [
      {
        cloneUrl: 'https://h/r',
        ref: 'main',
        credentials: { username: 'x-access-token', password: 't' },
      },
    ],
  ])('accepts %j', repository => {
    expect(checkPipelineRepository(repository)).toBeUndefined();
  });

  it.each([
    [{ cloneUrl: ' ', ref: 'main' }, 'The repository has no clone URL'],
    [{ cloneUrl: '--upload-pack=x', ref: 'main' }, 'is not a valid URL'],
    [{ cloneUrl: 'a b', ref: 'main' }, 'is not a valid URL'],
    [{ cloneUrl: 'not a url', ref: 'main' }, 'is not a valid URL'],
    [{ cloneUrl: 'ext::sh -c x', ref: 'main' }, 'is not a valid URL'],
    [{ cloneUrl: 'ext::x', ref: 'main' }, "scheme 'ext:' is not one of"],
    [{ cloneUrl: 'https://u:p@h/r', ref: 'main' }, 'must not carry'],
    [{ cloneUrl: 'https://token@h/r', ref: 'main' }, 'must not carry'],
    [{ cloneUrl: 'https://h/r' }, 'needs a commit or a ref'],
    [{ cloneUrl: 'https://h/r', commit: 'abc' }, 'is not a full commit id'],
    [{ cloneUrl: 'https://h/r', ref: '-x' }, "'-x' is not a valid git ref"],
    [{ cloneUrl: 'https://h/r', ref: 'a..b' }, 'is not a valid git ref'],
    [{ cloneUrl: 'https://h/r', ref: 'a/.b' }, 'is not a valid git ref'],
    [{ cloneUrl: 'https://h/r', ref: 'x.lock' }, 'is not a valid git ref'],
    [{ cloneUrl: 'https://h/r', ref: 'a b' }, 'is not a valid git ref'],
    [
      {
        cloneUrl: 'https://h/r',
        ref: 'main',
        credentials: { username: '', password: 'p' },
      },
      'need a username and a password',
    ],
    [
      {
        cloneUrl: 'https://h/r',
        ref: 'main',
        credentials: { username: 'u', password: 'p\nx' },
      },
      'without line breaks',
    ],
  ])('refuses %j', (repository, message) => {
    expect(checkPipelineRepository(repository)).toContain(message);
  });
});

describe('checkPrepareWorkspaceRequest', () => {
  it('accepts a run without a repository', () => {
    expect(checkPrepareWorkspaceRequest({ runId: 'r1' })).toBeUndefined();
  });

  it('says why a request is refused, and with which reason', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(
      checkPrepareWorkspaceRequest(
        { runId: 'r1', signal: aborted.signal },
        { shuttingDown: true },
      ),
    ).toMatchObject({
      reason: 'executor_error',
      message: 'The backend is shutting down',
    });
    expect(
      checkPrepareWorkspaceRequest({ runId: 'r1', signal: aborted.signal }),
    ).toMatchObject({
      reason: 'cancelled',
      message: 'The checkout was cancelled',
    });
    expect(checkPrepareWorkspaceRequest({ runId: '' })).toMatchObject({
      reason: 'invalid_request',
      message: 'The run id is missing',
    });
    expect(
      checkPrepareWorkspaceRequest({
        runId: 'r1',
        repository: { cloneUrl: 'https://h/r' },
      }),
    ).toMatchObject({
      name: 'PipelineWorkspaceError',
      reason: 'invalid_request',
      message: 'The repository needs a commit or a ref to check out',
    });
  });
});

describe('checkStepStart', () => {
  it('starts a step unless the backend stops or the step is cancelled', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(checkStepStart({}, { shuttingDown: false })).toBeUndefined();
    expect(checkStepStart({}, { shuttingDown: true })).toEqual({
      reason: 'interrupted',
      message: 'The backend is shutting down',
    });
    expect(
      checkStepStart({ signal: aborted.signal }, { shuttingDown: false }),
    ).toEqual({
      reason: 'cancelled',
      message: 'The step was cancelled before it started',
    });
  });
});

describe('checkStepCommand', () => {
  it('accepts scripts and argument lists', () => {
    expect(checkStepCommand('make test')).toBeUndefined();
    expect(checkStepCommand(['node', '-e', ''])).toBeUndefined();
  });

  it.each([
    ['  ', 'The step has no command to run'],
    ['a\0b', 'The step has no command to run'],
    [[], 'non-empty list of strings'],
    [[''], 'non-empty list of strings'],
    [['sh', 3], 'non-empty list of strings'],
    [undefined, 'non-empty list of strings'],
  ])('refuses %j', (command, message) => {
    expect(checkStepCommand(command)).toContain(message);
  });
});

describe('checkStepRequest', () => {
  it('accepts a plain step', () => {
    expect(
      checkStepRequest({
        command: 'true',
        env: { A: '1' },
        timeoutMs: 1000,
        maxOutputBytes: 10,
        attempt: 2,
      }),
    ).toBeUndefined();
  });

  it.each([
    [{ command: '' }, 'The step has no command to run'],
    [{ command: 'x', env: { PIPELINE_RUN_ID: 'r' } }, 'is set by the executor'],
    [{ command: 'x', env: { HOME: '/' } }, 'is set by the executor'],
    [{ command: 'x', timeoutMs: 0 }, 'timeoutMs must be a positive number'],
    [{ command: 'x', timeoutMs: Infinity }, 'timeoutMs must be a positive'],
    [{ command: 'x', maxOutputBytes: -1 }, 'maxOutputBytes must be a positive'],
    [{ command: 'x', attempt: 0 }, 'The attempt must be a whole number from 1'],
    [{ command: 'x', attempt: 1.5 }, 'The attempt must be a whole number'],
  ])('refuses %j', (request, message) => {
    expect(checkStepRequest(request)).toContain(message);
  });
});

describe('resolveStepWorkingDirectory', () => {
  it.each([
    [undefined, '/w/src'],
    ['', '/w/src'],
    ['.', '/w/src'],
    ['sub', '/w/src/sub'],
    ['sub/../other', '/w/src/other'],
    ['..src', '/w/src/..src'],
  ])('resolves %j', (workingDirectory, path) => {
    expect(resolveStepWorkingDirectory('/w/src', workingDirectory)).toEqual({
      path,
    });
  });

  it.each([
    ['/etc', "The working directory '/etc' must be relative to the checkout"],
    ['..', "The working directory '..' leads out of the checkout"],
    ['sub/../../src2', 'leads out of the checkout'],
    ['a\0b', 'is not a valid path'],
  ])('refuses %j', (workingDirectory, problem) => {
    const resolved = resolveStepWorkingDirectory('/w/src', workingDirectory);
    expect('problem' in resolved && resolved.problem).toContain(problem);
  });
});
