import { ResponseError } from '@backstage/errors';
import {
  DeployStageDefinition,
  StepStatus,
} from '@internal/plugin-pipelines-common';
import {
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '@internal/plugin-environments-common';
import { setTimeout as delay } from 'node:timers/promises';
import { RunRecord } from '../store/RunQueueStore';
import {
  ExternalCdReport,
  externalTimeoutReason,
  externalWaitTexts,
} from './externalCdReport';
import { logSink, RunExecutionContext } from './runContext';
import { startStageStep } from './stageStep';

/** The first wait between two looks at a deployment; it grows to the last. */
const FIRST_POLL_MS = 250;
const LAST_POLL_MS = 10_000;

/** Resolves after `ms`, or at once when `signal` is aborted. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** The API's own message (and status) when it answered with an error. */
function refusal(error: unknown): string {
  if (error instanceof ResponseError) {
    return `${error.body.error.message} (${error.statusCode})`;
  }
  return (error as Error).message;
}

type Ending =
  | { status: 'succeeded' }
  | { status: 'failed' | 'cancelled'; reason: string };

/**
 * Runs a deploy stage: asks the Environments plugin to deploy the image its
 * image stage recorded into each named environment in turn (as the
 * pipelines plugin, with `pipelineRun` set to the run), and waits for each
 * deployment to end before the next. One step run named after the stage;
 * its outputs are `deployment_<environment>` (the deployment ids). While it
 * waits the step says for what (`waitingFor`, and a log line): for an
 * `external` environment, the endpoint the outside CD system reports to and
 * its token's config key, since nothing inside the portal ends that wait.
 * Pushes `failures` and returns the step's status.
 */
export async function runDeployStage(
  run: RunRecord,
  stage: DeployStageDefinition,
  ctx: RunExecutionContext,
  failures: string[],
): Promise<StepStatus> {
  const { store, signal } = ctx;
  const { stepRun, finish } = await startStageStep(
    run,
    stage.name,
    ctx,
    failures,
  );
  await store.countTry(stepRun.id);
  const sink = logSink(store, stepRun.id, ctx.maxLogChunks);
  const log = (text: string) =>
    sink({ stream: 'system', text: `${text}\n`, timestamp: new Date() });
  const outputs: Record<string, string> = {};

  const ending = await deployEach();
  return finish(
    ending.status,
    ending.status === 'succeeded' ? undefined : ending.reason,
    { outputs },
  );

  async function deployEach(): Promise<Ending> {
    const handOff = ctx.deployments;
    if (!handOff) {
      return {
        status: 'failed',
        reason: 'this engine has no way to reach the Environments plugin',
      };
    }
    const artifact = (await store.listArtifacts(run.id))
      .filter(a => a.stage === stage.deploy.image)
      .at(-1);
    if (!artifact) {
      return {
        status: 'failed',
        reason: `stage '${stage.deploy.image}' recorded no image to deploy`,
      };
    }
    // The commit id is always the first tag; the first tag the pipeline
    // gave names the version, the commit id when it gave none.
    const version = artifact.tags[1] ?? artifact.tags[0];
    for (const environment of stage.deploy.environments) {
      if (signal.aborted) {
        return { status: 'cancelled', reason: ctx.abortReason() };
      }
      let deployment: Deployment;
      try {
        deployment = await handOff.createDeployment({
          component: run.component,
          environment,
          version,
          artifact: { image: artifact.image, digest: artifact.digest },
          pipelineRun: run.id,
        });
      } catch (error) {
        return {
          status: 'failed',
          reason: `The deployment to '${environment}' was refused: ${refusal(
            error,
          )}`,
        };
      }
      outputs[`deployment_${environment}`] = deployment.id;
      await log(
        `Deployment ${deployment.id} of ${version} (${artifact.image}@${artifact.digest}) to '${environment}' created; deployer ${deployment.deployer}`,
      );
      const ended = await waitForEnd(deployment, environment);
      await store.setWaitingFor(stepRun.id, undefined);
      if (ended.status !== 'succeeded') return ended;
    }
    return { status: 'succeeded' };
  }

  async function waitForEnd(
    deployment: Deployment,
    environment: string,
  ): Promise<Ending> {
    const deadline = Date.now() + ctx.deployTimeoutMs;
    const report = await sayWhatItWaitsFor(
      deployment,
      environment,
      new Date(deadline),
    );
    let current = deployment;
    let wait = FIRST_POLL_MS;
    let lastStatus = current.status;
    while (!TERMINAL_DEPLOYMENT_STATUSES.includes(current.status)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        if (report) {
          return {
            status: 'failed',
            reason: externalTimeoutReason({
              deploymentId: current.id,
              environment,
              status: current.status,
              report,
              timeoutMs: ctx.deployTimeoutMs,
            }),
          };
        }
        return {
          status: 'failed',
          reason: `Deployment ${
            current.id
          } to '${environment}' did not end within ${
            ctx.deployTimeoutMs / 1000
          }s (it is ${current.status}; it goes on in the Environments plugin)`,
        };
      }
      await sleep(Math.min(wait, left), signal);
      if (signal.aborted) {
        await log(
          `Stopped waiting for deployment ${current.id}; it goes on in the Environments plugin`,
        );
        return { status: 'cancelled', reason: ctx.abortReason() };
      }
      wait = Math.min(wait * 2, LAST_POLL_MS);
      try {
        current = await ctx.deployments!.getDeployment(current.id);
      } catch (error) {
        // A look that fails (the backend restarting, a network blip) is
        // tried again; the deadline bounds how long.
        await log(
          `Could not read deployment ${current.id}: ${
            (error as Error).message
          }`,
        );
        continue;
      }
      if (current.status !== lastStatus) {
        lastStatus = current.status;
        await log(
          `Deployment ${current.id} to '${environment}' is ${current.status}${
            current.message ? `: ${current.message}` : ''
          }`,
        );
      }
    }
    if (current.status === 'succeeded') return { status: 'succeeded' };
    return {
      status: 'failed',
      reason: `Deployment ${current.id} to '${environment}' ${current.status}${
        current.message ? `: ${current.message}` : ''
      }`,
    };
  }

  /**
   * Records on the step (and in its log) what the wait is for; an external
   * deployment's wait ends only when an outside CD system reports, so it
   * names where and with which token. Returns where it reports, for an
   * external deployment.
   */
  async function sayWhatItWaitsFor(
    deployment: Deployment,
    environment: string,
    deadline: Date,
  ): Promise<ExternalCdReport | undefined> {
    // The deployment's deployer is its environment's target type.
    if (deployment.deployer !== 'external') {
      await store.setWaitingFor(
        stepRun.id,
        `the ${deployment.deployer} deployer to finish deployment ${
          deployment.id
        } to '${environment}' until ${deadline.toISOString()}`,
      );
      return undefined;
    }
    let report: ExternalCdReport;
    try {
      report = await ctx.deployments!.externalReport(deployment.id);
    } catch (error) {
      // The wait does not depend on it: only the hint is lost, and said so.
      await log(
        `Waiting for the external CD system to report deployment ${
          deployment.id
        } to '${environment}'; could not work out its endpoint: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
    const texts = externalWaitTexts({
      deploymentId: deployment.id,
      environment,
      report,
      timeoutMs: ctx.deployTimeoutMs,
      deadline,
    });
    await store.setWaitingFor(stepRun.id, texts.waitingFor);
    await log(texts.log);
    return report;
  }
}
