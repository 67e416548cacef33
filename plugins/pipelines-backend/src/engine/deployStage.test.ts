/**
 * What a deploy stage says while it waits, and how it ends when nobody
 * reports: the stage on the real run store (SQLite and PostgreSQL) against
 * an in-memory Environments API whose deployments end only when the test
 * reports their status, as an external CD system would. The hand-off over
 * HTTP to the real environments backend is tested in packages/backend
 * (pipelinesDeployStage.test.ts).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Deployment } from '@internal/plugin-environments-common';
import { DeployStageDefinition } from '@internal/plugin-pipelines-common';
import { PipelineExecutor } from '@internal/plugin-pipelines-node';
import {
  CreateTestRunStore,
  describeRunStore,
  pushRun,
} from '../__testUtils__/testRunStore';
import { runDeployStage } from './deployStage';
import { DeploymentHandOff } from './environmentsHandOff';

jest.setTimeout(30_000);

const REPORT_URL = (id: string) =>
  `http://portal.test/api/environments/deployments/${id}/status`;
const TOKEN_KEY = 'backend.auth.externalAccess[0].options.token';

const STAGE: DeployStageDefinition = {
  name: 'deploy',
  type: 'deploy',
  needs: ['image'],
  deploy: { environments: ['dev', 'staging'], image: 'image' },
};

/** Deployments that end when `report` says so; `deployer` per environment. */
function environmentsApi(deployers: Record<string, string>) {
  const deployments = new Map<string, Deployment>();
  const handOff: DeploymentHandOff = {
    async createDeployment(request) {
      const id = `dep-${deployments.size + 1}`;
      const deployment: Deployment = {
        id,
        component: request.component,
        environment: request.environment,
        version: request.version,
        artifact: request.artifact,
        status: 'pending',
        trigger: { type: 'pipeline', pipelineRun: request.pipelineRun },
        deployer: deployers[request.environment],
        createdAt: new Date().toISOString(),
      };
      deployments.set(id, deployment);
      return deployment;
    },
    async getDeployment(id) {
      return { ...deployments.get(id)! };
    },
    async externalReport(id) {
      return { url: REPORT_URL(id), tokenConfigKey: TOKEN_KEY };
    },
  };
  const report = (id: string, status: Deployment['status']) => {
    deployments.get(id)!.status = status;
  };
  return { handOff, report };
}

// A deploy stage runs nothing on an executor; any call is a test failure.
const noExecutor: PipelineExecutor = {
  id: 'none',
  prepareWorkspace: () => Promise.reject(new Error('not for deploy stages')),
  runStep: () => Promise.reject(new Error('not for deploy stages')),
  releaseWorkspace: () => Promise.reject(new Error('not for deploy stages')),
};

describeRunStore('deploy stages', (createStore: CreateTestRunStore) => {
  async function startStage(options: {
    deployers: Record<string, string>;
    deployTimeoutMs: number;
  }) {
    const { store } = await createStore();
    const { run } = await store.enqueue(pushRun());
    await store.addArtifact({
      runId: run.id,
      type: 'image',
      stage: 'image',
      attempt: run.attempt,
      image: 'registry.test/payments-api:6113728',
      tags: ['6113728', '1.0.1'],
      digest: `sha256:${'ab'.repeat(32)}`,
    });
    const api = environmentsApi(options.deployers);
    const abort = new AbortController();
    const failures: string[] = [];
    const ended = runDeployStage(
      run,
      STAGE,
      {
        store,
        executor: noExecutor,
        logger: mockServices.logger.mock(),
        maxLogChunks: 100,
        signal: abort.signal,
        abortReason: () => String(abort.signal.reason),
        abort: reason => abort.abort(reason),
        deployments: api.handOff,
        deployTimeoutMs: options.deployTimeoutMs,
      },
      failures,
    );
    const step = async () => (await store.listSteps(run.id))[0];
    const log = async () =>
      (await store.readLog((await step()).id, { limit: 100 }))
        .map(c => c.text)
        .join('');
    /** Reads the step until `probe` holds (the stage polls every 250 ms). */
    const until = async (probe: () => Promise<boolean>) => {
      for (let i = 0; i < 200; i++) {
        if (await probe()) return;
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error('the deploy step never got there');
    };
    return { ended, failures, step, log, until, report: api.report };
  }

  it('says for each external environment what it waits for, and clears it when the stage ends', async () => {
    const stage = await startStage({
      deployers: { dev: 'external', staging: 'external' },
      deployTimeoutMs: 20_000,
    });
    await stage.until(async () => Boolean((await stage.step()).waitingFor));
    const waiting = await stage.step();
    expect(waiting.status).toBe('running');
    expect(waiting.waitingFor).toMatch(
      new RegExp(
        `^a final status report from the external CD system for 'dev' \\(POST ${REPORT_URL(
          'dep-1',
        )}\\) until \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(pipelines\\.engine\\.deployTimeout, 20s\\)$`,
      ),
    );
    const log = await stage.log();
    expect(log).toContain(
      `Waiting for the external CD system to report the status of deployment dep-1 to 'dev': it POSTs to ${REPORT_URL(
        'dep-1',
      )} with the static token of ${TOKEN_KEY}. The stage fails if no final status is reported by `,
    );
    expect(log).toContain('(pipelines.engine.deployTimeout, 20s).');

    stage.report('dep-1', 'succeeded');
    // The next environment's deployment is waited for in its turn.
    await stage.until(async () =>
      Boolean((await stage.step()).waitingFor?.includes("for 'staging'")),
    );
    expect((await stage.step()).waitingFor).toContain(
      `POST ${REPORT_URL('dep-2')}`,
    );
    stage.report('dep-2', 'succeeded');

    expect(await stage.ended).toBe('succeeded');
    const done = await stage.step();
    expect(done).toMatchObject({
      status: 'succeeded',
      outputs: { deployment_dev: 'dep-1', deployment_staging: 'dep-2' },
    });
    expect(done.waitingFor).toBeUndefined();
  });

  it('fails on timeout saying that the external CD system did not report, and where it reports to', async () => {
    const stage = await startStage({
      deployers: { dev: 'external' },
      deployTimeoutMs: 1000,
    });
    expect(await stage.ended).toBe('failed');
    const reason = `no status report from the external CD system for 'dev' within 1s; it reports to POST ${REPORT_URL(
      'dep-1',
    )} (deployment dep-1 goes on in the Environments plugin)`;
    const step = await stage.step();
    expect(step).toMatchObject({ status: 'failed', reason });
    expect(step.waitingFor).toBeUndefined();
    expect(stage.failures).toEqual([`stage 'deploy': ${reason}`]);
  });

  it('says that the last report was not a final one when the CD system reported progress only', async () => {
    const stage = await startStage({
      deployers: { dev: 'external' },
      deployTimeoutMs: 1500,
    });
    await stage.until(async () => Boolean((await stage.step()).waitingFor));
    stage.report('dep-1', 'in_progress');
    expect(await stage.ended).toBe('failed');
    expect((await stage.step()).reason).toBe(
      `no final status report from the external CD system for 'dev' within 1500ms (it last reported in_progress); it reports to POST ${REPORT_URL(
        'dep-1',
      )} (deployment dep-1 goes on in the Environments plugin)`,
    );
  });

  it("names another deployer's wait without an endpoint, and keeps its timeout reason", async () => {
    const stage = await startStage({
      deployers: { dev: 'kubernetes' },
      deployTimeoutMs: 1000,
    });
    await stage.until(async () => Boolean((await stage.step()).waitingFor));
    expect((await stage.step()).waitingFor).toMatch(
      /^the kubernetes deployer to finish deployment dep-1 to 'dev' until \d{4}-/,
    );
    expect(await stage.ended).toBe('failed');
    expect((await stage.step()).reason).toBe(
      "Deployment dep-1 to 'dev' did not end within 1s (it is pending; it goes on in the Environments plugin)",
    );
    expect(await stage.log()).not.toContain('external CD system');
  });
});
