import { mockServices } from '@backstage/backend-test-utils';
import {
  CheckoutTestRepository,
  createCheckoutTestRepository,
  FakeKubernetesApiServer,
  FakeProcessKubelet,
  KubeObject,
  resourceTypeOfKind,
} from '@internal/platform-backend-test-utils';
import {
  collectPipelineLog,
  runTestStep,
} from '@internal/plugin-pipelines-node/testUtils';
import {
  isPipelineWorkspaceError,
  PipelineRepository,
  PipelineStepRequest,
  PipelineWorkspace,
} from '@internal/plugin-pipelines-node';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubernetesExecutorSettings } from './config';
import { KubernetesExecutor } from './KubernetesExecutor';

jest.setTimeout(60_000);

const NAMESPACE = 'pipelines';
const PASSWORD = 'hunter2-s3cret-Token';

async function until(check: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('KubernetesExecutor against a Kubernetes API server with a kubelet running processes', () => {
  let repo: CheckoutTestRepository;
  let fake: FakeKubernetesApiServer;
  let kubelet: FakeProcessKubelet;
  let executor: KubernetesExecutor;

  function createExecutor(settings: Partial<KubernetesExecutorSettings> = {}) {
    return new KubernetesExecutor({
      cluster: { url: fake.url, token: fake.token, caData: fake.caData },
      namespace: NAMESPACE,
      defaultImage: 'alpine:3.22',
      cloneImage: 'alpine/git:2.47.2',
      workspaceSize: '1Gi',
      accessMode: 'ReadWriteOnce',
      workspacePath: '/workspace',
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      stepTimeoutMs: 30_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 1000,
      maxOutputBytes: 1024 * 1024,
      pollIntervalMs: 50,
      jobTtlSeconds: 3600,
      logger: mockServices.logger.mock(),
      ...settings,
    });
  }

  beforeAll(async () => {
    repo = await createCheckoutTestRepository();
  });
  afterAll(async () => {
    await repo.remove();
  });

  beforeEach(async () => {
    fake = await FakeKubernetesApiServer.start();
    fake.registry.create(resourceTypeOfKind('Namespace'), '', {
      metadata: { name: NAMESPACE },
    });
    kubelet = new FakeProcessKubelet();
    fake.setKubelet(kubelet);
    executor = createExecutor();
  });
  afterEach(async () => {
    await executor.stop();
    await fake.stop();
  });

  const prepare = (
    repository: Partial<PipelineRepository> | null = {},
    runId = 'run-1',
  ) => {
    const log = collectPipelineLog();
    return executor
      .prepareWorkspace({
        runId,
        component: 'component:default/payments',
        log: log.sink,
        ...(repository === null
          ? {}
          : {
              repository: {
                cloneUrl: repo.url,
                commit: repo.first,
                ...repository,
              },
            }),
      })
      .then(workspace => ({ workspace, log }));
  };

  const step = (
    workspace: PipelineWorkspace,
    request: Partial<PipelineStepRequest>,
  ) => runTestStep(executor, workspace, request);

  const jobs = (role?: string) =>
    fake
      .list('Job', NAMESPACE)
      .filter(j => !role || j.metadata.labels?.['launchpad.dev/role'] === role);
  const claims = () => fake.list('PersistentVolumeClaim', NAMESPACE);
  const stepJobOf = (before: KubeObject[]) =>
    jobs('step').find(
      j => !before.some(b => b.metadata.uid === j.metadata.uid),
    )!;

  describe('workspaces', () => {
    it('creates a labelled claim and checks the commit out into it with a clone Job', async () => {
      const { workspace, log } = await prepare();
      expect(workspace).toEqual({
        id: expect.stringMatching(/^pl-run-1-[0-9a-f]{8}$/),
        executor: 'kubernetes',
        runId: 'run-1',
        component: 'component:default/payments',
        repository: { cloneUrl: repo.url, commit: repo.first },
      });
      expect(log.text()).toContain(`Checked out ${repo.first}`);

      const [claim] = claims();
      expect(claim.metadata.name).toBe(workspace.id);
      expect(claim.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'launchpad-pipelines',
        'launchpad.dev/run-id': 'run-1',
        'launchpad.dev/workspace': workspace.id,
      });
      expect(claim.spec).toMatchObject({
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      });
      // Bound by the first pod that used it (WaitForFirstConsumer).
      expect(claim.status.phase).toBe('Bound');

      const [clone] = jobs('clone');
      expect(clone.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'launchpad-pipelines',
        'launchpad.dev/run-id': 'run-1',
      });
      const container = clone.spec.template.spec.containers[0];
      expect(container.image).toBe('alpine/git:2.47.2');
      expect(clone.spec.backoffLimit).toBe(0);
      expect(clone.spec.template.spec.volumes).toContainEqual({
        name: 'workspace',
        persistentVolumeClaim: { claimName: claim.metadata.name },
      });
      expect(clone.status.conditions.map((c: any) => c.type)).toContain(
        'Complete',
      );

      // The checkout is in the claim's volume, at the commit.
      const volume = await kubelet.claimDirectory(
        NAMESPACE,
        claim.metadata.name,
      );
      expect(await readFile(join(volume, 'src', 'VERSION'), 'utf8')).toBe(
        '1\n',
      );
      const { result, log: stepLog } = await step(workspace, {
        command: 'cat VERSION; git rev-parse HEAD',
      });
      expect(result).toMatchObject({ reason: 'exited', exitCode: 0 });
      expect(stepLog.text('stdout')).toBe(`1\n${repo.first}\n`);
    });

    it('checks out the commit a ref points to', async () => {
      const { workspace } = await prepare({
        commit: undefined,
        ref: 'refs/heads/main',
      });
      expect(workspace.repository).toEqual({
        cloneUrl: repo.url,
        commit: repo.second,
        ref: 'refs/heads/main',
      });
    });

    it('hands credentials to the clone through a short-lived Secret, never in the Job or the log', async () => {
      const { workspace, log } = await prepare({
        credentials: { username: 'x-access-token', password: PASSWORD },
      });
      expect(workspace.repository?.commit).toBe(repo.first);
      const secretRequests = fake.requests
        .filter(r => r.path.includes('/secrets'))
        .map(r => `${r.method} ${r.status}`);
      expect(secretRequests).toEqual(
        expect.arrayContaining(['POST 201', 'DELETE 200']),
      );
      expect(fake.list('Secret', NAMESPACE)).toEqual([]);
      const [clone] = jobs('clone');
      expect(JSON.stringify(clone)).not.toContain(PASSWORD);
      expect(clone.spec.template.spec.containers[0].env).toContainEqual({
        name: 'LAUNCHPAD_GIT_PASSWORD',
        valueFrom: {
          secretKeyRef: {
            name: expect.stringMatching(/-git$/),
            key: 'password',
          },
        },
      });
      expect(log.text()).not.toContain(PASSWORD);
    });

    it('fails for a commit the repository does not have, leaving nothing behind', async () => {
      const error = await prepare({ commit: 'f'.repeat(40) }).catch(e => e);
      expect(isPipelineWorkspaceError(error)).toBe(true);
      expect(error.reason).toBe('checkout_failed');
      expect(error.message).toContain(`Commit ${'f'.repeat(40)} is not in`);
      expect(claims()).toEqual([]);
      expect(jobs()).toEqual([]);
      expect(fake.list('Secret', NAMESPACE)).toEqual([]);
    });

    it('refuses URLs with credentials and malformed commits before creating anything', async () => {
      for (const repository of [
        { cloneUrl: `https://user:${PASSWORD}@example.com/repo.git` },
        { commit: 'abc' },
        { cloneUrl: 'ext::sh -c touch% /tmp/pwned' },
      ]) {
        const error = await prepare(repository).catch(e => e);
        expect(error.reason).toBe('invalid_request');
        expect(error.message).not.toContain(PASSWORD);
      }
      expect(fake.requests.filter(r => r.method === 'POST')).toEqual([]);
    });

    it('times out a checkout whose pod never starts, and can cancel one', async () => {
      // A claim the kubelet does not know leaves the pod unschedulable:
      // stand-in for a clone that hangs.
      const slow = createExecutor({ checkoutTimeoutMs: 500 });
      const blocked = jest
        .spyOn(kubelet as any, 'startPod')
        .mockImplementation(async () => {});
      const timedOut = await slow
        .prepareWorkspace({
          runId: 'slow',
          repository: { cloneUrl: repo.url, commit: repo.first },
        })
        .catch(e => e);
      expect(timedOut.reason).toBe('timed_out');
      expect(timedOut.message).toBe('The checkout took longer than 500ms');

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const cancelled = await executor
        .prepareWorkspace({
          runId: 'cancelled',
          repository: { cloneUrl: repo.url, commit: repo.first },
          signal: controller.signal,
        })
        .catch(e => e);
      expect(cancelled.reason).toBe('cancelled');
      blocked.mockRestore();
      expect(claims()).toEqual([]);
      expect(jobs()).toEqual([]);
      await slow.stop();
    });

    it('prepares an empty workspace without a repository', async () => {
      const { workspace } = await prepare(null);
      expect(workspace.repository).toBeUndefined();
      const { result, log } = await step(workspace, { command: 'ls -A' });
      expect(result).toMatchObject({ reason: 'exited', exitCode: 0 });
      expect(log.text('stdout')).toBe('');
    });

    it('deletes the claim, Jobs and Secrets on release, also after a restart, and twice', async () => {
      const { workspace } = await prepare();
      await step(workspace, { command: 'true' });
      expect(jobs().length).toBe(2);
      // Another executor instance, as after a backend restart.
      const restarted = createExecutor();
      await restarted.releaseWorkspace(workspace);
      expect(claims()).toEqual([]);
      expect(jobs()).toEqual([]);
      expect(fake.list('Pod', NAMESPACE)).toEqual([]);
      await restarted.releaseWorkspace(workspace);
      const { result } = await step(workspace, { command: 'true' });
      expect(result.reason).toBe('executor_error');
      expect(result.message).toContain('is gone: it was released');
      const { result: foreign } = await step(
        { ...workspace, id: 'run-1; rm -rf /' },
        { command: 'true' },
      );
      expect(foreign).toMatchObject({
        reason: 'executor_error',
        message: expect.stringContaining(
          'was not prepared by the Kubernetes executor',
        ),
      });
      await restarted.stop();
    });

    it('leaves other runs alone on release', async () => {
      const one = await prepare(null, 'run-a');
      await prepare(null, 'run-b');
      await executor.releaseWorkspace(one.workspace);
      expect(
        claims().map(c => c.metadata.labels?.['launchpad.dev/run-id']),
      ).toEqual(['run-b']);
    });
  });

  describe('steps', () => {
    let workspace: PipelineWorkspace;
    beforeEach(async () => {
      ({ workspace } = await prepare());
    });

    it('runs a step as a Job and returns its log and the outputs it wrote', async () => {
      const before = jobs('step');
      const { result, log } = await step(workspace, {
        command: [
          'echo "building $PIPELINE_STEP_ID"',
          'echo warning >&2',
          'echo version=1.4.2 >> "$PIPELINE_OUTPUT"',
          'printf \'notes<<EOF\\nfirst\\nsecond\\nEOF\\n\' >> "$PIPELINE_OUTPUT"',
          'echo "not an output" >> "$PIPELINE_OUTPUT"',
        ].join('\n'),
      });
      expect(result).toMatchObject({
        reason: 'exited',
        exitCode: 0,
        outputs: { version: '1.4.2', notes: 'first\nsecond' },
        outputProblems: [
          { line: 6, message: expect.stringContaining('not an output') },
        ],
      });
      expect(result.outputBytes).toBe(
        Buffer.byteLength('building build.test\nwarning\n'),
      );
      expect(log.text('stdout')).toBe('building build.test\nwarning\n');
      expect(log.text('system')).toContain(
        'Running in image alpine:3.22 as Job',
      );
      expect(log.text('system')).toContain('Outputs file line 6');

      const job = stepJobOf(before);
      expect(job.spec).toMatchObject({
        backoffLimit: 0,
        ttlSecondsAfterFinished: 3600,
        activeDeadlineSeconds: 30 + 1 + 60,
      });
      const pod = job.spec.template.spec;
      expect(pod).toMatchObject({
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
      });
      expect(pod.containers[0]).toMatchObject({
        image: 'alpine:3.22',
        terminationMessagePath: '/launchpad-step/termination-log',
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      });
      expect(job.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'launchpad-pipelines',
        'launchpad.dev/run-id': 'run-1',
      });
      expect(job.status.conditions.map((c: any) => c.type)).toContain(
        'Complete',
      );
    });

    it('reports a failing exit code, stops a script at its first failing command, and keeps outputs of failed steps', async () => {
      const { result, log } = await step(workspace, {
        command:
          'echo partial=yes >> "$PIPELINE_OUTPUT"\necho before\nfalse\necho after',
      });
      expect(result).toMatchObject({
        reason: 'exited',
        exitCode: 1,
        outputs: { partial: 'yes' },
      });
      expect(log.text('stdout')).toBe('before\n');
      const { result: seven } = await step(workspace, { command: 'exit 7' });
      expect(seven.exitCode).toBe(7);
    });

    it('runs an argument list without a shell', async () => {
      const { result, log } = await step(workspace, {
        command: ['printf', '%s|', '$HOME', 'a b'],
      });
      expect(result.exitCode).toBe(0);
      expect(log.text('stdout')).toBe('$HOME|a b|');
    });

    it('gives the step the pipeline variables and its env, nothing of the backend', async () => {
      process.env.BACKEND_SECRET_FOR_TEST = 'do-not-leak';
      const before = jobs('step');
      try {
        const { result, log } = await step(workspace, {
          attempt: 2,
          env: { GREETING: 'hello' },
          command: 'env',
        });
        expect(result.exitCode).toBe(0);
        const seen = log.text('stdout');
        expect(seen).toContain('GREETING=hello\n');
        expect(seen).toContain('PIPELINE_RUN_ID=run-1\n');
        expect(seen).toContain('PIPELINE_STEP_ID=build.test\n');
        expect(seen).toContain('PIPELINE_ATTEMPT=2\n');
        expect(seen).toContain(`PIPELINE_COMMIT=${repo.first}\n`);
        expect(seen).toContain(
          'PIPELINE_COMPONENT=component:default/payments\n',
        );
        expect(seen).toContain('CI=true\n');
        expect(seen).not.toContain('do-not-leak');
      } finally {
        delete process.env.BACKEND_SECRET_FOR_TEST;
      }
      // As the pod sees them (the fake kubelet maps the mounts to folders).
      const job = stepJobOf(before);
      const env = Object.fromEntries(
        job.spec.template.spec.containers[0].env.map((e: any) => [
          e.name,
          e.value,
        ]),
      );
      expect(env).toMatchObject({
        PIPELINE_WORKSPACE: '/workspace/src',
        PIPELINE_OUTPUT: '/launchpad-step/output',
        HOME: '/workspace/home',
        TMPDIR: '/workspace/tmp',
        PIPELINE_ATTEMPT: '2',
      });
      expect(job.metadata.annotations).toMatchObject({
        'launchpad.dev/step-id': 'build.test',
        'launchpad.dev/attempt': '2',
      });
    });

    it('refuses reserved variables, bad commands and working directories out of the checkout', async () => {
      for (const [request, message] of [
        [{ env: { PIPELINE_RUN_ID: 'x' } }, /is set by the executor/],
        [{ env: { HOME: '/root' } }, /is set by the executor/],
        [{ command: '' }, /no command/],
        [{ workingDirectory: '../..' }, /leads out of the checkout/],
        [{ workingDirectory: '/etc' }, /must be relative/],
        [{ timeoutMs: -1 }, /timeoutMs must be a positive number/],
      ] as const) {
        const { result, log } = await step(workspace, request);
        expect(result.reason).toBe('rejected');
        expect(result.message).toMatch(message);
        expect(log.text('system')).toMatch(message);
      }
      expect(jobs('step')).toEqual([]);
    });

    it('runs in a working directory inside the checkout, and sees what earlier steps left', async () => {
      await step(workspace, { command: 'echo made > made.txt' });
      const { result, log } = await step(workspace, {
        workingDirectory: 'sub',
        command: 'cat README ../made.txt',
      });
      expect(result.exitCode).toBe(0);
      expect(log.text('stdout')).toBe('in sub\nmade\n');
      const { result: missing, log: missingLog } = await step(workspace, {
        workingDirectory: 'nowhere',
      });
      expect(missing.exitCode).toBe(1);
      expect(missingLog.text('stdout')).toContain(
        'The working directory does not exist',
      );
    });

    it('runs the step in the image it names', async () => {
      const before = jobs('step');
      await step(workspace, { image: 'node:22-alpine' });
      expect(stepJobOf(before).spec.template.spec.containers[0].image).toBe(
        'node:22-alpine',
      );
    });

    it('stops a step at its timeout and deletes its Job', async () => {
      const before = jobs('step');
      const { result, log } = await step(workspace, {
        command: 'echo started; sleep 30',
        timeoutMs: 1500,
      });
      expect(result).toMatchObject({
        reason: 'timed_out',
        exitCode: null,
        message:
          'The step ran longer than its timeout of 1500ms and was stopped',
      });
      expect(log.text('stdout')).toBe('started\n');
      expect(
        jobs('step').filter(
          j => !before.some(b => b.metadata.uid === j.metadata.uid),
        ),
      ).toEqual([]);
    });

    it('cancels a running step: its Job is deleted and its process stopped', async () => {
      const controller = new AbortController();
      const marker = `cancel-marker-${Date.now()}`;
      const running = step(workspace, {
        command: `echo started; sleep 2; echo ${marker} > "$PIPELINE_WORKSPACE/late"`,
        signal: controller.signal,
        log: chunk => {
          if (chunk.text.includes('started')) controller.abort();
        },
      });
      const { result } = await running;
      expect(result).toMatchObject({
        reason: 'cancelled',
        exitCode: null,
        message: 'The step was cancelled',
      });
      expect(jobs('step')).toEqual([]);
      const deletes = fake.requests.filter(
        r => r.method === 'DELETE' && r.path.includes('/jobs/'),
      );
      expect(deletes.length).toBeGreaterThan(0);
      await until(
        () => fake.list('Pod', NAMESPACE).length === 1,
        'the step pod to go',
      );
      await new Promise(r => setTimeout(r, 2500));
      const volume = await kubelet.claimDirectory(
        NAMESPACE,
        claims()[0].metadata.name,
      );
      expect(existsSync(join(volume, 'src', 'late'))).toBe(false);
    });

    it('stops a step that floods its output at the limit', async () => {
      const { result, log } = await step(workspace, {
        command: 'while true; do echo 0123456789; done',
        maxOutputBytes: 1000,
      });
      expect(result).toMatchObject({
        reason: 'output_limit_exceeded',
        outputBytes: 1000,
        message:
          'The step wrote more than 1000 bytes of output and was stopped',
      });
      expect(log.text('stdout')).toHaveLength(1000);
      expect(jobs('step')).toEqual([]);
    });

    it('caps a step’s own output limit at the executor’s', async () => {
      const capped = createExecutor({ maxOutputBytes: 100 });
      const { result } = await capped
        .runStep({
          workspace,
          stepId: 'flood',
          command: 'yes',
          maxOutputBytes: 1_000_000,
          log: () => {},
        })
        .then(r => ({ result: r }));
      expect(result).toMatchObject({
        reason: 'output_limit_exceeded',
        outputBytes: 100,
      });
      await capped.stop();
    });

    it('stops a step whose log sink fails', async () => {
      const { result } = await step(workspace, {
        command: 'echo one; sleep 5',
        log: () => {
          throw new Error('disk full');
        },
      });
      expect(result.reason).toBe('executor_error');
      expect(result.message).toContain('disk full');
    });

    it('numbers attempts: a retry is a new Job', async () => {
      const before = jobs('step');
      const first = await step(workspace, {
        attempt: 1,
        command:
          'echo "attempt=$PIPELINE_ATTEMPT" >> "$PIPELINE_OUTPUT"; exit 1',
      });
      const second = await step(workspace, {
        attempt: 2,
        command: 'echo "attempt=$PIPELINE_ATTEMPT" >> "$PIPELINE_OUTPUT"',
      });
      expect(first.result).toMatchObject({
        exitCode: 1,
        outputs: { attempt: '1' },
      });
      expect(second.result).toMatchObject({
        exitCode: 0,
        outputs: { attempt: '2' },
      });
      const created = jobs('step').filter(
        j => !before.some(b => b.metadata.uid === j.metadata.uid),
      );
      expect(
        created
          .map(j => j.metadata.annotations?.['launchpad.dev/attempt'])
          .sort(),
      ).toEqual(['1', '2']);
    });

    it('runs steps of one workspace at the same time', async () => {
      const started = Date.now();
      const results = await Promise.all(
        ['a', 'b', 'c'].map(id =>
          step(workspace, { stepId: id, command: 'sleep 1; echo done' }),
        ),
      );
      expect(results.map(r => r.result.exitCode)).toEqual([0, 0, 0]);
      expect(Date.now() - started).toBeLessThan(2900);
    });

    it('stops running steps when the workspace is released', async () => {
      const running = step(workspace, { command: 'echo started; sleep 30' });
      await until(
        () =>
          fake.list('Pod', NAMESPACE).some(p => p.status?.phase === 'Running'),
        'the step to run',
      );
      await executor.releaseWorkspace(workspace);
      const { result } = await running;
      expect(result).toMatchObject({
        reason: 'cancelled',
        message: 'The step was stopped because its workspace was released',
      });
      expect(claims()).toEqual([]);
    });

    it('interrupts running steps when stopped', async () => {
      const running = step(workspace, { command: 'sleep 30' });
      await until(
        () =>
          fake.list('Pod', NAMESPACE).some(p => p.status?.phase === 'Running'),
        'the step to run',
      );
      await executor.stop();
      const { result } = await running;
      expect(result.reason).toBe('interrupted');
      expect(jobs('step')).toEqual([]);
    });

    it('reports a Job the cluster failed for its deadline as timed out', async () => {
      const before = jobs('step');
      const running = step(workspace, { command: 'sleep 30' });
      await until(() => !!stepJobOf(before), 'the Job');
      const job = stepJobOf(before);
      // What the job controller does at activeDeadlineSeconds.
      fake.registry.updateStatus(
        resourceTypeOfKind('Job'),
        NAMESPACE,
        job.metadata.name,
        status => ({
          ...status,
          conditions: [
            { type: 'Failed', status: 'True', reason: 'DeadlineExceeded' },
          ],
        }),
      );
      const { result } = await running;
      expect(result.reason).toBe('timed_out');
    });
  });
});
