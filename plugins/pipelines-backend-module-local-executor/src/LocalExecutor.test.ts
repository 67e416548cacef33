import { mockServices } from '@backstage/backend-test-utils';
import {
  isPipelineWorkspaceError,
  PipelineLogChunk,
  PipelineRepository,
  PipelineStepRequest,
  PipelineWorkspace,
} from '@internal/plugin-pipelines-node';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckoutTestRepository,
  createCheckoutTestRepository,
  serveDumbHttpRepository,
} from '@internal/platform-backend-test-utils';
import {
  collectPipelineLog,
  runTestStep,
} from '@internal/plugin-pipelines-node/testUtils';
import { LocalExecutorSettings } from './config';
import { LocalExecutor } from './LocalExecutor';
import { PROCESS_TAG_VARIABLE } from './processTree';

jest.setTimeout(60_000);

/** Whether a process still runs (a zombie waiting for init does not). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]);
  } catch {
    return false;
  }
}

describe('LocalExecutor', () => {
  let repo: CheckoutTestRepository;
  let root: string;
  let executor: LocalExecutor;
  const executors: LocalExecutor[] = [];

  function createExecutor(settings: Partial<LocalExecutorSettings> = {}) {
    const created = new LocalExecutor({
      workspaceRoot: root,
      stepTimeoutMs: 30_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 500,
      maxOutputBytes: 1024 * 1024,
      path: process.env.PATH!,
      passEnvironment: [],
      logger: mockServices.logger.mock(),
      ...settings,
    });
    executors.push(created);
    return created;
  }

  beforeAll(async () => {
    repo = await createCheckoutTestRepository();
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pipelines-workspaces-'));
    executor = createExecutor();
    await executor.start();
  });

  afterEach(async () => {
    await Promise.all(executors.splice(0).map(e => e.stop()));
    await rm(root, { recursive: true, force: true });
  });

  afterAll(async () => {
    await repo.remove();
  });

  const prepare = (repository: Partial<PipelineRepository> = {}) =>
    executor.prepareWorkspace({
      runId: 'run-1',
      component: 'component:default/payments',
      repository: { cloneUrl: repo.url, commit: repo.first, ...repository },
    });

  const step = (
    workspace: PipelineWorkspace,
    request: Partial<PipelineStepRequest>,
  ) => runTestStep(executor, workspace, request);

  describe('checkout', () => {
    it('checks out the exact commit with a shallow fetch', async () => {
      const log = collectPipelineLog();
      const workspace = await executor.prepareWorkspace({
        runId: 'Run #1/Build',
        repository: {
          cloneUrl: repo.url,
          commit: repo.first,
          ref: 'refs/heads/main',
        },
        log: log.sink,
      });
      expect(workspace).toEqual({
        id: expect.stringMatching(/^run-1-build-[0-9a-f]{12}$/),
        executor: 'local',
        runId: 'Run #1/Build',
        repository: {
          cloneUrl: repo.url,
          commit: repo.first,
          ref: 'refs/heads/main',
        },
      });
      const { result, log: stepLog } = await step(workspace, {
        command:
          'cat VERSION; git rev-parse HEAD; git rev-parse --is-shallow-repository; git rev-list --count HEAD',
      });
      expect(result).toMatchObject({ reason: 'exited', exitCode: 0 });
      expect(stepLog.text('stdout')).toBe(`1\n${repo.first}\ntrue\n1\n`);
      expect(log.text('system')).toContain(`Fetching commit ${repo.first}`);
      expect(log.text('system')).toContain(`Checked out ${repo.first}`);
      expect(log.chunks.every(c => c.timestamp instanceof Date)).toBe(true);
    });

    it('checks out the commit a branch or an annotated tag points to', async () => {
      const branch = await prepare({ commit: undefined, ref: 'feature' });
      expect(branch.repository).toEqual({
        cloneUrl: repo.url,
        commit: repo.feature,
        ref: 'feature',
      });
      expect(
        (await step(branch, { command: 'cat VERSION' })).log.text('stdout'),
      ).toBe('feature\n');

      const tag = await prepare({ commit: undefined, ref: 'refs/tags/v1' });
      expect(tag.repository?.commit).toBe(repo.first);
    });

    it('fetches the ref in full when the server serves no single commits, with credentials kept out of the checkout', async () => {
      const credentials = { username: 'ci', password: 'pa55-w0rd-secret' };
      const server = await serveDumbHttpRepository(repo.dir, credentials);
      try {
        const log = collectPipelineLog();
        const workspace = await executor.prepareWorkspace({
          runId: 'run-http',
          repository: {
            cloneUrl: server.url,
            commit: repo.first,
            ref: 'refs/heads/main',
            credentials,
          },
          log: log.sink,
        });
        expect(workspace.repository?.commit).toBe(repo.first);
        expect(log.text('system')).toContain(
          'The server did not serve the commit on its own; fetching ref refs/heads/main instead',
        );
        expect(server.requests).toContainEqual(expect.stringMatching(/ auth$/));
        expect(log.text()).not.toContain(credentials.password);

        const { result, log: stepLog } = await step(workspace, {
          command:
            'cat VERSION; cat .git/config; env; git config --list --show-origin || true',
        });
        expect(result.exitCode).toBe(0);
        expect(stepLog.text()).toContain('1\n');
        expect(stepLog.text()).toContain(server.url);
        expect(stepLog.text()).not.toContain(credentials.password);
      } finally {
        await server.close();
      }
    });

    it('fails with the server’s answer when the credentials are wrong, leaving nothing behind', async () => {
      const server = await serveDumbHttpRepository(repo.dir, {
        username: 'ci',
        password: 'right',
      });
      try {
        const error = await executor
          .prepareWorkspace({
            runId: 'run-auth',
            repository: {
              cloneUrl: server.url,
              ref: 'main',
              credentials: { username: 'ci', password: 'wrong-password' },
            },
          })
          .catch(e => e);
        expect(isPipelineWorkspaceError(error)).toBe(true);
        expect(error.reason).toBe('checkout_failed');
        expect(error.message).toMatch(
          /git fetch failed \(exit code 128\): .*Authentication failed/s,
        );
        expect(error.message).not.toContain('wrong-password');
        expect(await readdir(root)).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('fails for a commit the repository does not have', async () => {
      const missing = 'f'.repeat(40);
      await expect(prepare({ commit: missing })).rejects.toMatchObject({
        name: 'PipelineWorkspaceError',
        reason: 'checkout_failed',
      });
      await expect(
        prepare({ commit: missing, ref: 'main' }),
      ).rejects.toMatchObject({
        reason: 'checkout_failed',
        message: `Commit ${missing} is not in ${repo.url} at main`,
      });
      expect(await readdir(root)).toEqual([]);
    });

    it.each([
      [
        { cloneUrl: 'https://user:token@git.example.com/r.git' },
        'must not carry credentials',
      ],
      [
        { cloneUrl: 'https://x-access-token@git.example.com/r.git' },
        'must not carry credentials',
      ],
      [{ cloneUrl: 'ext::sh -c touch% /tmp/pwned' }, 'is not a valid URL'],
      [{ cloneUrl: '--upload-pack=touch /tmp/pwned' }, 'is not a valid URL'],
      [{ cloneUrl: 'ftp://git.example.com/r.git' }, "scheme 'ftp:'"],
      [{ cloneUrl: '/srv/git/repo' }, 'is not a valid URL'],
      [{ commit: 'abc123' }, "'abc123' is not a full commit id"],
      [{ commit: undefined, ref: '--upload-pack=x' }, 'is not a valid git ref'],
      [{ commit: undefined, ref: 'main..x' }, 'is not a valid git ref'],
      [{ commit: undefined }, 'needs a commit or a ref'],
    ])('refuses %j', async (repository, message) => {
      const error = await prepare(repository).catch(e => e);
      expect(error).toMatchObject({ reason: 'invalid_request' });
      expect(error.message).toContain(message);
      expect(await readdir(root)).toEqual([]);
    });

    it('accepts ssh and scp-like URLs (and fails to reach them here)', async () => {
      const fast = createExecutor({
        passEnvironment: [],
        checkoutTimeoutMs: 20_000,
      });
      for (const cloneUrl of [
        'ssh://git@127.0.0.1:1/r.git',
        'git@127.0.0.1:r.git',
      ]) {
        await expect(
          fast.prepareWorkspace({
            runId: 'r',
            repository: { cloneUrl, ref: 'main' },
          }),
        ).rejects.toMatchObject({ reason: 'checkout_failed' });
      }
    });

    it('times out a checkout that hangs, and can cancel one', async () => {
      const server = await serveDumbHttpRepository(repo.dir, {
        username: 'a',
        password: 'b',
      });
      try {
        const slow = createExecutor({ checkoutTimeoutMs: 1000 });
        const started = Date.now();
        await expect(
          slow.prepareWorkspace({
            runId: 'r',
            repository: { cloneUrl: server.hangingUrl, ref: 'main' },
          }),
        ).rejects.toMatchObject({
          reason: 'timed_out',
          message: 'The checkout took longer than 1s',
        });
        expect(Date.now() - started).toBeLessThan(10_000);

        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        await expect(
          executor.prepareWorkspace({
            runId: 'r',
            repository: { cloneUrl: server.hangingUrl, ref: 'main' },
            signal: controller.signal,
          }),
        ).rejects.toMatchObject({ reason: 'cancelled' });
        expect(await readdir(root)).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('prepares an empty workspace without a repository', async () => {
      const workspace = await executor.prepareWorkspace({ runId: 'r' });
      expect(workspace.repository).toBeUndefined();
      const { log } = await step(workspace, { command: 'ls -A | wc -l' });
      expect(log.text('stdout').trim()).toBe('0');
    });
  });

  describe('steps', () => {
    let workspace: PipelineWorkspace;
    beforeEach(async () => {
      workspace = await prepare();
    });

    it('runs a step and returns the outputs it wrote, reporting malformed lines', async () => {
      const { result, log } = await step(workspace, {
        command: [
          'echo "version=$(cat VERSION)" >> "$PIPELINE_OUTPUT"',
          'printf "notes<<EOF\\nline one\\nline two\\nEOF\\n" >> "$PIPELINE_OUTPUT"',
          'echo "not an output" >> "$PIPELINE_OUTPUT"',
          'echo building',
        ].join('\n'),
      });
      expect(result).toEqual({
        reason: 'exited',
        exitCode: 0,
        outputs: { version: '1', notes: 'line one\nline two' },
        outputProblems: [
          {
            line: 6,
            message:
              "Expected 'key=value' or 'key<<DELIMITER', got 'not an output'",
          },
        ],
        outputBytes: 9,
        startedAt: expect.any(Date),
        finishedAt: expect.any(Date),
      });
      expect(log.text('stdout')).toBe('building\n');
      expect(log.text('system')).toContain(
        "Outputs file line 6: Expected 'key=value' or 'key<<DELIMITER'",
      );
    });

    it('reports a failing exit code, stops a script at its first failing command, and keeps outputs of failed steps', async () => {
      const failed = await step(workspace, {
        command:
          'echo partial=yes >> "$PIPELINE_OUTPUT"; echo oops >&2; exit 3',
      });
      expect(failed.result).toMatchObject({
        reason: 'exited',
        exitCode: 3,
        outputs: { partial: 'yes' },
      });
      expect(failed.result.message).toBeUndefined();
      expect(failed.log.text('stderr')).toBe('oops\n');

      const stopped = await step(workspace, {
        command: 'false\necho not reached',
      });
      expect(stopped.result).toMatchObject({ reason: 'exited', exitCode: 1 });
      expect(stopped.log.text()).not.toContain('not reached');
    });

    it('runs an argument list without a shell', async () => {
      const { result, log } = await step(workspace, {
        command: ['printf', '%s|', 'a b', '$HOME', '; echo no'],
      });
      expect(result).toMatchObject({ reason: 'exited', exitCode: 0 });
      expect(log.text('stdout')).toBe('a b|$HOME|; echo no|');

      const missing = await step(workspace, {
        command: ['no-such-program-here'],
      });
      expect(missing.result).toMatchObject({
        reason: 'executor_error',
        exitCode: null,
        message: expect.stringContaining(
          'The step could not be started: spawn no-such-program-here ENOENT',
        ),
      });
    });

    it('gives the step a minimal environment, never the backend’s own', async () => {
      process.env.LAUNCHPAD_TEST_SECRET = 'backend-secret-value';
      process.env.LAUNCHPAD_TEST_PASSED = 'proxy.example.com';
      try {
        const passing = createExecutor({
          passEnvironment: ['LAUNCHPAD_TEST_PASSED'],
        });
        await passing.start();
        const ws = await passing.prepareWorkspace({
          runId: 'run-env',
          component: 'component:default/payments',
          repository: { cloneUrl: repo.url, commit: repo.first, ref: 'main' },
        });
        const log = collectPipelineLog();
        const result = await passing.runStep({
          workspace: ws,
          stepId: 'env',
          attempt: 2,
          command: ['env', '-0'],
          env: { NODE_ENV: 'test', PATH: `/opt/tools:${process.env.PATH}` },
          log: log.sink,
        });
        expect(result.exitCode).toBe(0);
        const env = Object.fromEntries(
          log
            .text('stdout')
            .split('\0')
            .filter(Boolean)
            .map(e => [
              e.slice(0, e.indexOf('=')),
              e.slice(e.indexOf('=') + 1),
            ]),
        );
        const wsDir = join(root, ws.id);
        expect(env).toEqual({
          PATH: `/opt/tools:${process.env.PATH}`,
          LANG: process.env.LANG || 'C.UTF-8',
          HOME: join(wsDir, 'home'),
          TMPDIR: join(wsDir, 'tmp'),
          CI: 'true',
          NODE_ENV: 'test',
          LAUNCHPAD_TEST_PASSED: 'proxy.example.com',
          PIPELINE_RUN_ID: 'run-env',
          PIPELINE_STEP_ID: 'env',
          PIPELINE_ATTEMPT: '2',
          PIPELINE_COMPONENT: 'component:default/payments',
          PIPELINE_REPOSITORY: repo.url,
          PIPELINE_COMMIT: repo.first,
          PIPELINE_REF: 'main',
          PIPELINE_WORKSPACE: join(wsDir, 'src'),
          PIPELINE_OUTPUT: expect.stringMatching(
            new RegExp(`^${wsDir}/steps/1-env/output$`),
          ),
          [PROCESS_TAG_VARIABLE]: `${ws.id}/1`,
        });
        expect(log.text()).not.toContain('backend-secret-value');

        const shell = await step(workspace, {
          command: 'echo "[$LAUNCHPAD_TEST_SECRET]"',
        });
        expect(shell.log.text('stdout')).toBe('[]\n');
      } finally {
        delete process.env.LAUNCHPAD_TEST_SECRET;
        delete process.env.LAUNCHPAD_TEST_PASSED;
      }
    });

    it.each([
      [{ env: { HOME: '/root' } }, "'HOME' is set by the executor"],
      [
        { env: { PIPELINE_OUTPUT: '/etc/passwd' } },
        "'PIPELINE_OUTPUT' is set by the executor",
      ],
      [
        { env: { 'BAD-NAME': 'x' } },
        "'BAD-NAME' is not a valid environment variable name",
      ],
      [{ command: '  ' }, 'The step has no command to run'],
      [{ command: [] }, 'non-empty list of strings'],
      [{ timeoutMs: 0 }, 'timeoutMs must be a positive number'],
      [{ maxOutputBytes: -1 }, 'maxOutputBytes must be a positive number'],
      [{ attempt: 0 }, 'The attempt must be a whole number from 1'],
      [
        { workingDirectory: '../' },
        "The working directory '../' leads out of the checkout",
      ],
      [{ workingDirectory: 'sub/../../..' }, 'leads out of the checkout'],
      [
        { workingDirectory: '/etc' },
        "The working directory '/etc' must be relative to the checkout",
      ],
      [
        { workingDirectory: 'outside' },
        "The working directory 'outside' leads out of the checkout through a symbolic link",
      ],
      [
        { workingDirectory: 'nope' },
        "The working directory 'nope' does not exist in the checkout",
      ],
      [
        { workingDirectory: 'VERSION' },
        "The working directory 'VERSION' is not a directory",
      ],
    ])('refuses to run %j', async (request, message) => {
      const { result, log } = await step(workspace, {
        command: 'touch ran-anyway',
        ...request,
      } as Partial<PipelineStepRequest>);
      expect(result).toMatchObject({
        reason: 'rejected',
        exitCode: null,
        message: expect.stringContaining(message),
      });
      expect(log.text('system')).toContain(message);
      expect(existsSync(join(root, workspace.id, 'src', 'ran-anyway'))).toBe(
        false,
      );
    });

    it('runs in a working directory inside the checkout', async () => {
      const { result, log } = await step(workspace, {
        workingDirectory: './sub/',
        command: 'pwd; cat README',
      });
      expect(result.exitCode).toBe(0);
      expect(log.text('stdout')).toBe(
        `${join(root, workspace.id, 'src', 'sub')}\nin sub\n`,
      );
    });

    it('stops a step at its timeout', async () => {
      const started = Date.now();
      const { result, log } = await step(workspace, {
        command: 'echo started; sleep 30',
        timeoutMs: 300,
      });
      expect(result).toMatchObject({
        reason: 'timed_out',
        exitCode: null,
        signal: 'SIGTERM',
        message:
          'The step ran longer than its timeout of 300ms and was stopped',
      });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(log.text('stdout')).toBe('started\n');
      expect(log.text('system')).toContain(
        'The step ran longer than its timeout of 300ms',
      );
    });

    it('kills a step that ignores SIGTERM once the grace period is over', async () => {
      const started = Date.now();
      const { result } = await step(workspace, {
        command: "trap '' TERM; sleep 30 & wait; sleep 30",
        timeoutMs: 200,
      });
      expect(result).toMatchObject({ reason: 'timed_out', signal: 'SIGKILL' });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(700); // timeout + 500 ms grace
      expect(took).toBeLessThan(5000);
    });

    it('cancels a running step', async () => {
      const controller = new AbortController();
      const log = collectPipelineLog();
      const running = executor.runStep({
        workspace,
        stepId: 'cancel-me',
        command: 'echo started; sleep 30',
        signal: controller.signal,
        log: chunk => {
          log.sink(chunk);
          if (chunk.text.includes('started')) controller.abort();
        },
      });
      const result = await running;
      expect(result).toMatchObject({
        reason: 'cancelled',
        signal: 'SIGTERM',
        message: 'The step was cancelled',
      });
      expect(
        result.finishedAt.getTime() - result.startedAt.getTime(),
      ).toBeLessThan(5000);

      const before = new AbortController();
      before.abort();
      const notStarted = await step(workspace, {
        command: 'touch ran-anyway',
        signal: before.signal,
      });
      expect(notStarted.result).toMatchObject({
        reason: 'cancelled',
        message: 'The step was cancelled before it started',
      });
      expect(existsSync(join(root, workspace.id, 'src', 'ran-anyway'))).toBe(
        false,
      );
    });

    it('kills the whole process tree, including processes that left the group, and leaves nothing running', async () => {
      const { result } = await step(workspace, {
        command: [
          'sleep 1000 & echo $! >> "$TMPDIR/pids"',
          '(sleep 1000 & echo $! >> "$TMPDIR/pids"; wait) &',
          'setsid sleep 1000 & echo $! >> "$TMPDIR/pids"',
          'sh -c \'trap "" TERM; sleep 1000\' & echo $! >> "$TMPDIR/pids"',
          'sleep 0.2; echo ready',
          'sleep 1000',
        ].join('\n'),
        timeoutMs: 1000,
      });
      expect(result.reason).toBe('timed_out');
      const pids = (
        await readFile(join(root, workspace.id, 'tmp', 'pids'), 'utf8')
      )
        .trim()
        .split('\n')
        .map(Number);
      expect(pids).toHaveLength(4);
      for (const pid of pids) {
        expect({ pid, running: await isRunning(pid) }).toEqual({
          pid,
          running: false,
        });
      }
    });

    it('ends what a successful step left running in the background without waiting for it', async () => {
      const started = Date.now();
      const { result, log } = await step(workspace, {
        command: 'sleep 1000 & echo $! > "$TMPDIR/bg"; echo done',
      });
      expect(result).toMatchObject({ reason: 'exited', exitCode: 0 });
      expect(log.text('stdout')).toBe('done\n');
      expect(Date.now() - started).toBeLessThan(5000);
      const pid = Number(
        await readFile(join(root, workspace.id, 'tmp', 'bg'), 'utf8'),
      );
      expect(await isRunning(pid)).toBe(false);
    });

    it('stops a step that floods its output at the limit', async () => {
      const { result, log } = await step(workspace, {
        command: 'yes flooding the log',
        maxOutputBytes: 100_000,
      });
      expect(result).toMatchObject({
        reason: 'output_limit_exceeded',
        outputBytes: 100_000,
        message:
          'The step wrote more than 100000 bytes of output and was stopped',
      });
      expect(Buffer.byteLength(log.text('stdout'))).toBe(100_000);
      expect(log.text('system')).toContain(
        'The step wrote more than its output limit of 100000 bytes',
      );
    });

    it('caps a step’s own output limit at the executor’s', async () => {
      const small = createExecutor({ maxOutputBytes: 1000 });
      const ws = await small.prepareWorkspace({ runId: 'r' });
      const result = await small.runStep({
        workspace: ws,
        stepId: 's',
        command: 'yes',
        maxOutputBytes: 1_000_000,
        log: () => {},
      });
      expect(result).toMatchObject({
        reason: 'output_limit_exceeded',
        outputBytes: 1000,
      });
    });

    it('passes output to a slow sink in order', async () => {
      const chunks: PipelineLogChunk[] = [];
      const result = await executor.runStep({
        workspace,
        stepId: 'slow-sink',
        command: 'seq 1 20000; echo done >&2',
        log: async chunk => {
          await new Promise(r => setTimeout(r, 1));
          chunks.push(chunk);
        },
      });
      expect(result.exitCode).toBe(0);
      // Order holds within a stream; between two pipes no reader can tell.
      const text = (stream: string) =>
        chunks
          .filter(c => c.stream === stream)
          .map(c => c.text)
          .join('');
      expect(text('stdout')).toBe(
        `${Array.from({ length: 20000 }, (_, i) => i + 1).join('\n')}\n`,
      );
      expect(text('stderr')).toBe('done\n');
      expect(chunks.length).toBeGreaterThan(2);
      const times = chunks.map(c => c.timestamp.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('holds a process back while the log sink is busy', async () => {
      const started = Date.now();
      let bytes = 0;
      const result = await executor.runStep({
        workspace,
        stepId: 'backpressure',
        command: `head -c 800000 /dev/zero | tr '\\0' x; date +%s%3N > "$TMPDIR/end"`,
        log: async chunk => {
          bytes += Buffer.byteLength(chunk.text);
          await new Promise(r => setTimeout(r, 20));
        },
      });
      expect(result).toMatchObject({
        reason: 'exited',
        exitCode: 0,
        outputBytes: 800_000,
      });
      expect(bytes).toBe(800_000);
      // Unheld, the writer would be done in a few milliseconds; held, it
      // waits for the sink (20 ms per chunk of at most 64 KiB) to take most
      // of it.
      const end = Number(
        await readFile(join(root, workspace.id, 'tmp', 'end'), 'utf8'),
      );
      expect(end - started).toBeGreaterThan(150);
    });

    it('stops a step whose log sink fails', async () => {
      const result = await executor.runStep({
        workspace,
        stepId: 'broken-sink',
        command: 'echo first; sleep 30',
        log: () => {
          throw new Error('log store is down');
        },
      });
      expect(result).toMatchObject({
        reason: 'executor_error',
        message:
          'The step was stopped because its log could not be stored: log store is down',
      });
      expect(
        result.finishedAt.getTime() - result.startedAt.getTime(),
      ).toBeLessThan(5000);
    });

    it('runs steps of one workspace at the same time', async () => {
      const results = await Promise.all(
        ['a', 'b', 'c'].map(id =>
          step(workspace, {
            stepId: id,
            command: `echo start=$(date +%s%3N) >> "$PIPELINE_OUTPUT"; sleep 1; echo end=$(date +%s%3N) >> "$PIPELINE_OUTPUT"`,
          }),
        ),
      );
      const spans = results.map(r => ({
        start: Number(r.result.outputs.start),
        end: Number(r.result.outputs.end),
      }));
      // All three were running at one moment.
      expect(Math.max(...spans.map(s => s.start))).toBeLessThan(
        Math.min(...spans.map(s => s.end)),
      );
    });

    it('says the image is not used', async () => {
      const { log } = await step(workspace, { image: 'node:22' });
      expect(log.text('system')).toContain('the image node:22 is not used');
    });

    it('reports an outputs file that is not a regular file', async () => {
      const { result } = await step(workspace, {
        command: 'rm "$PIPELINE_OUTPUT"; mkfifo "$PIPELINE_OUTPUT"',
      });
      expect(result).toMatchObject({
        reason: 'exited',
        exitCode: 0,
        outputs: {},
        outputProblems: [
          { line: 0, message: 'The outputs file is not a regular file' },
        ],
      });
    });
  });

  describe('release and clean-up', () => {
    it('removes the workspace and stops its steps on release', async () => {
      const workspace = await prepare();
      const dir = join(root, workspace.id);
      expect(existsSync(join(dir, 'src', 'VERSION'))).toBe(true);

      const running = step(workspace, { command: 'sleep 30' });
      await new Promise(r => setTimeout(r, 200));
      await executor.releaseWorkspace(workspace);
      expect((await running).result).toMatchObject({
        reason: 'cancelled',
        message: 'The step was stopped because its workspace was released',
      });
      expect(existsSync(dir)).toBe(false);
      expect(await readdir(root)).toEqual([]);

      await executor.releaseWorkspace(workspace); // again: fine
      const after = await step(workspace, {});
      expect(after.result).toMatchObject({
        reason: 'executor_error',
        message: expect.stringContaining(
          `Workspace '${workspace.id}' is not one this backend's local executor holds`,
        ),
      });
    });

    it('removes workspaces left behind by a backend that is gone, and stops their processes, at start', async () => {
      // A backend that died: its pid no longer exists; a step process of it
      // still runs, outside any group we know of.
      const dead = spawn('true');
      await new Promise(r => dead.on('exit', r));
      const staleId = 'run-old-0123456789ab';
      await mkdir(join(root, staleId, 'src'), { recursive: true });
      await writeFile(
        join(root, staleId, '.owner.json'),
        JSON.stringify({ pid: dead.pid, createdAt: new Date().toISOString() }),
      );
      const orphan = spawn('sleep', ['1000'], {
        detached: true,
        stdio: 'ignore',
        env: { PATH: process.env.PATH, [PROCESS_TAG_VARIABLE]: `${staleId}/3` },
      });
      orphan.unref();
      // A workspace of another backend that still runs (pid 1 lives).
      const liveId = 'run-live-0123456789ab';
      await mkdir(join(root, liveId));
      await writeFile(
        join(root, liveId, '.owner.json'),
        JSON.stringify({ pid: 1, createdAt: new Date().toISOString() }),
      );
      // A workspace of a process before a restart that had the same pid:
      // it started at another time.
      const previousId = 'run-previous-0123456789ab';
      await mkdir(join(root, previousId));
      await writeFile(
        join(root, previousId, '.owner.json'),
        JSON.stringify({
          pid: process.pid,
          startTime: '1',
          createdAt: new Date().toISOString(),
        }),
      );
      const mine = await prepare();

      const restarted = createExecutor();
      await restarted.start();
      expect((await readdir(root)).sort()).toEqual([liveId, mine.id].sort());
      expect(await isRunning(orphan.pid!)).toBe(false);

      // Another executor does not release what a running one holds.
      await restarted.releaseWorkspace(mine);
      expect(existsSync(join(root, mine.id))).toBe(true);
      expect(
        (await step(mine, { command: 'cat VERSION' })).result.exitCode,
      ).toBe(0);
    });

    it('interrupts running steps and removes its workspaces when stopped', async () => {
      const workspace = await prepare();
      const running = step(workspace, { command: 'sleep 30' });
      await new Promise(r => setTimeout(r, 200));
      await executor.stop();
      expect((await running).result).toMatchObject({
        reason: 'interrupted',
        message: 'The step was stopped because the backend is shutting down',
      });
      expect(await readdir(root)).toEqual([]);
      await expect(prepare()).rejects.toMatchObject({
        reason: 'executor_error',
      });
    });
  });

  it('reads its settings from config', async () => {
    const { ConfigReader } = await import('@backstage/config');
    const configured = LocalExecutor.fromConfig(
      new ConfigReader({
        pipelines: {
          executors: {
            local: {
              enabled: true,
              workspaceRoot: root,
              stepTimeout: '2s',
              killGracePeriod: { milliseconds: 100 },
              maxOutputBytes: 10,
            },
          },
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    executors.push(configured);
    expect(configured.workspaceRoot).toBe(root);
    const ws = await configured.prepareWorkspace({ runId: 'r' });
    const timedOut = await configured.runStep({
      workspace: ws,
      stepId: 's',
      command: 'sleep 10',
      log: () => {},
    });
    expect(timedOut).toMatchObject({
      reason: 'timed_out',
      message: expect.stringContaining('2s'),
    });
    const flooded = await configured.runStep({
      workspace: ws,
      stepId: 's',
      command: 'echo 12345678901234567890',
      log: () => {},
    });
    expect(flooded).toMatchObject({
      reason: 'output_limit_exceeded',
      outputBytes: 10,
    });
  });
});
