import {
  ExpressionContext,
  PipelineDefinition,
  PipelineStageOutline,
  resolveExpressions,
  stageConditionHolds,
  StepsStageDefinition,
  StepStatus,
  topologicalOrder,
  triggersMatch,
} from '@internal/plugin-pipelines-common';
import {
  isSuccessfulStep,
  PipelineStepResult,
  PipelineWorkspace,
  PipelineWorkspaceError,
} from '@internal/plugin-pipelines-node';
import { RunRecord } from '../store/RunQueueStore';
import { StepRunRecord } from '../store/StepRunStore';
import { runDeployStage } from './deployStage';
import { runImageStage } from './imageStage';
import { loadDefinition } from './loadDefinition';
import { INTERRUPTED_REASON, logSink, RunExecutionContext } from './runContext';

export { INTERRUPTED_REASON };
export type { RunExecutionContext };

/** The name of the step run that holds the checkout's log. */
export const CHECKOUT_STEP = '.checkout';

/** How a run ended. */
export type RunOutcome = {
  status: 'succeeded' | 'failed' | 'cancelled';
  reason?: string;
};

function describeFailure(result: PipelineStepResult): string {
  switch (result.reason) {
    case 'exited':
      return `exited with code ${result.exitCode}`;
    case 'timed_out':
      return result.message ?? 'timed out';
    default:
      return result.message ?? result.reason;
  }
}

/** The stage graph of a definition, as the run API shows it. */
function outlineOf(definition: PipelineDefinition): PipelineStageOutline[] {
  return definition.stages.map(stage => ({
    name: stage.name,
    type: stage.type,
    needs: stage.needs,
    steps:
      stage.type === 'steps'
        ? stage.steps.map(step => ({ name: step.name, needs: step.needs }))
        : [{ name: stage.name, needs: [] }],
  }));
}

function runFields(run: RunRecord): ExpressionContext['run'] {
  const trigger = run.trigger;
  return {
    id: run.id,
    number: String(run.number),
    commit: run.commit ?? '',
    shortCommit: (run.commit ?? '').slice(0, 12),
    ref: run.ref ?? '',
    branch: run.branch ?? '',
    tag: trigger.type === 'tag' ? trigger.tag : '',
    pullRequest: trigger.type === 'pull_request' ? String(trigger.number) : '',
    repository: run.repository ?? '',
    component: run.component,
  };
}

/**
 * Executes a claimed run to its end: prepares the workspace, reads the
 * definition, checks the triggers, runs the stages and steps in the order
 * their `needs` give (one at a time), and releases the workspace. It never
 * throws for what happens to the run; the outcome says how it ended.
 */
export async function executeRun(
  claimed: RunRecord,
  ctx: RunExecutionContext,
): Promise<RunOutcome> {
  let run = claimed;
  const { store, executor, signal } = ctx;
  const cancelled = (): RunOutcome => ({
    status: 'cancelled',
    reason: ctx.abortReason(),
  });
  const checkout = await store.startStep({
    runId: run.id,
    attempt: run.attempt,
    stage: CHECKOUT_STEP,
    step: CHECKOUT_STEP,
  });
  const checkoutLog = logSink(store, checkout.id, ctx.maxLogChunks);
  let workspace: PipelineWorkspace;
  try {
    workspace = await executor.prepareWorkspace({
      runId: run.id,
      component: run.component,
      repository: run.cloneUrl
        ? {
            cloneUrl: ctx.cloneUrlFor?.(run.cloneUrl) ?? run.cloneUrl,
            commit: run.commit,
            ref: run.ref,
          }
        : undefined,
      log: checkoutLog,
      signal,
    });
  } catch (error) {
    const message =
      error instanceof PipelineWorkspaceError || error instanceof Error
        ? error.message
        : String(error);
    await store.finishStep(checkout.id, {
      status: signal.aborted ? 'cancelled' : 'failed',
      reason: message,
    });
    if (signal.aborted) return cancelled();
    return { status: 'failed', reason: `The checkout failed: ${message}` };
  }
  try {
    // Kept with the run until released, so another replica can release it
    // if this one dies meanwhile.
    await store.setWorkspace(run.id, workspace);
    await store.finishStep(checkout.id, { status: 'succeeded' });
    const resolvedCommit = workspace.repository?.commit;
    if (!run.commit && resolvedCommit) {
      // Image tags, expressions and events name the commit the branch
      // pointed to when the run checked it out.
      await store.setCommit(run.id, resolvedCommit);
      run = { ...run, commit: resolvedCommit };
    }
    const loaded = await loadDefinition({
      executor,
      workspace,
      componentType: ctx.componentType,
      signal,
    });
    if (signal.aborted) return cancelled();
    if (!loaded.ok) return { status: 'failed', reason: loaded.reason };
    await store.setDefinition(
      run.id,
      loaded.source,
      outlineOf(loaded.definition),
    );
    // Before the trigger check: a push the file's triggers leave out still
    // tells what the default branch now schedules.
    await ctx.onDefinition?.(loaded.definition);
    const trigger = run.trigger;
    if (
      (trigger.type === 'push' ||
        trigger.type === 'tag' ||
        trigger.type === 'pull_request') &&
      !triggersMatch(loaded.definition.triggers, trigger)
    ) {
      return {
        status: 'cancelled',
        reason: `The pipeline's triggers do not include this ${trigger.type.replace(
          '_',
          ' ',
        )}`,
      };
    }
    if (trigger.type === 'manual' && !loaded.definition.triggers.manual) {
      return {
        status: 'cancelled',
        reason:
          'The pipeline does not allow manual runs (triggers.manual is false)',
      };
    }
    const timeoutMs = loaded.definition.timeoutMs;
    const timer = setTimeout(
      () =>
        ctx.abort(
          `the run took longer than its timeout (${timeoutMs / 1000}s)`,
        ),
      timeoutMs,
    );
    try {
      const outcome = await runStages(run, loaded.definition, workspace, ctx);
      // A timeout or a shutdown is no one's cancel: the run failed.
      return outcome.status === 'cancelled' &&
        (timedOut(ctx) || ctx.abortReason() === INTERRUPTED_REASON)
        ? { status: 'failed', reason: outcome.reason }
        : outcome;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    try {
      await executor.releaseWorkspace(workspace);
      await store.clearWorkspace(run.id, workspace);
    } catch (error) {
      // It stays stored: a replica's next start releases it.
      ctx.logger.warn(
        `Could not release the workspace of run ${run.id}: ${error}`,
      );
    }
  }
}

/**
 * Runs the nodes of a DAG, each as soon as everything it needs has ended
 * (so nodes that do not need each other run side by side), recording each
 * node's status in `status`. A node decides itself what to do when what it
 * needs did not succeed. Resolves when every node has ended.
 */
async function runDag<T extends { name: string; needs: string[] }>(
  nodes: T[],
  status: Map<string, StepStatus>,
  runNode: (node: T) => Promise<StepStatus>,
): Promise<void> {
  const byName = new Map(nodes.map(n => [n.name, n]));
  const waiting = topologicalOrder(nodes);
  const running = new Map<string, Promise<void>>();
  const errors: unknown[] = [];
  while (waiting.length > 0 || running.size > 0) {
    for (const name of [...waiting]) {
      const node = byName.get(name)!;
      if (node.needs.every(need => status.has(need))) {
        waiting.splice(waiting.indexOf(name), 1);
        running.set(
          name,
          runNode(node).then(
            result => {
              status.set(name, result);
              running.delete(name);
            },
            error => {
              // Recorded as failed so what needs it is skipped; thrown
              // once the nodes running beside it have ended.
              errors.push(error);
              status.set(name, 'failed');
              running.delete(name);
            },
          ),
        );
      }
    }
    // parsePipeline guarantees no cycles, so something always runs here.
    await Promise.race(running.values());
  }
  if (errors.length > 0) throw errors[0];
}

function timedOut(ctx: RunExecutionContext): boolean {
  return ctx.abortReason().startsWith('the run took longer than its timeout');
}

function whyStageIsSkipped(
  stage: PipelineDefinition['stages'][number],
  blocked: string | undefined,
  run: RunRecord,
  ctx: RunExecutionContext,
): string | undefined {
  if (blocked) return `stage '${blocked}' did not succeed`;
  const conditionHolds = stageConditionHolds(stage.when, {
    branch: run.trigger.type === 'tag' ? undefined : run.branch,
    tag: run.trigger.type === 'tag' ? run.trigger.tag : undefined,
    pullRequest: run.trigger.type === 'pull_request',
    defaultBranch: ctx.defaultBranch,
  });
  if (!conditionHolds) return "its 'when' does not hold for this run";
  return undefined;
}

async function runStages(
  run: RunRecord,
  definition: PipelineDefinition,
  workspace: PipelineWorkspace,
  ctx: RunExecutionContext,
): Promise<RunOutcome> {
  const { store, signal } = ctx;
  const previous = new Map(
    (await store.listSteps(run.id, run.attempt)).map(s => [s.step, s]),
  );
  const expressions: ExpressionContext = { steps: {}, run: runFields(run) };
  const stageStatus = new Map<string, StepStatus>();
  const failures: string[] = [];
  const stages = new Map(definition.stages.map(s => [s.name, s]));
  await runDag(definition.stages, stageStatus, async ({ name }) => {
    const stage = stages.get(name)!;
    const blocked = stage.needs.find(n => stageStatus.get(n) !== 'succeeded');
    const skipReason = signal.aborted
      ? undefined
      : whyStageIsSkipped(stage, blocked, run, ctx);
    if (signal.aborted || skipReason) {
      const status: StepStatus = signal.aborted ? 'cancelled' : 'skipped';
      const names =
        stage.type === 'steps' ? stage.steps.map(s => s.name) : [stage.name];
      for (const step of names) {
        if (previous.get(step)?.status === 'succeeded') continue;
        await store.recordStep({
          runId: run.id,
          attempt: run.attempt,
          stage: stage.name,
          step,
          status,
          reason: skipReason ?? ctx.abortReason(),
        });
      }
      return status;
    }
    if (stage.type === 'image') {
      if (previous.get(stage.name)?.status === 'succeeded') {
        // Re-run of failed steps: its image was built and recorded before.
        return 'succeeded';
      }
      return runImageStage(run, stage, workspace, ctx, expressions, failures);
    }
    if (stage.type === 'deploy') {
      if (previous.get(stage.name)?.status === 'succeeded') {
        // Re-run of failed steps: its deployments were made before.
        return 'succeeded';
      }
      return runDeployStage(run, stage, ctx, failures);
    }
    return runSteps(
      run,
      definition,
      stage as StepsStageDefinition,
      workspace,
      ctx,
      previous,
      expressions,
      failures,
    );
  });
  if (signal.aborted) {
    return { status: 'cancelled', reason: ctx.abortReason() };
  }
  if (failures.length > 0) {
    return { status: 'failed', reason: failures.join('; ') };
  }
  return { status: 'succeeded' };
}

async function runSteps(
  run: RunRecord,
  definition: PipelineDefinition,
  stage: StepsStageDefinition,
  workspace: PipelineWorkspace,
  ctx: RunExecutionContext,
  previous: Map<string, StepRunRecord>,
  expressions: ExpressionContext,
  failures: string[],
): Promise<StepStatus> {
  const { store, signal } = ctx;
  const steps = new Map(stage.steps.map(s => [s.name, s]));
  const status = new Map<string, StepStatus>();
  await runDag(stage.steps, status, async ({ name }) => {
    const step = steps.get(name)!;
    const reused = previous.get(name);
    if (reused?.status === 'succeeded') {
      expressions.steps[name] = reused.outputs;
      return 'succeeded';
    }
    const blocked = step.needs.find(n => status.get(n) !== 'succeeded');
    if (signal.aborted || blocked) {
      const s: StepStatus = signal.aborted ? 'cancelled' : 'skipped';
      await store.recordStep({
        runId: run.id,
        attempt: run.attempt,
        stage: stage.name,
        step: name,
        status: s,
        reason: signal.aborted
          ? ctx.abortReason()
          : `step '${blocked}' did not succeed`,
      });
      return s;
    }
    const stepRun = await store.startStep({
      runId: run.id,
      attempt: run.attempt,
      stage: stage.name,
      step: name,
    });
    ctx.onStep?.('started', stepRun);
    const log = logSink(store, stepRun.id, ctx.maxLogChunks);
    let env: Record<string, string>;
    try {
      env = {};
      for (const [key, value] of Object.entries({
        ...definition.env,
        ...stage.env,
        ...step.env,
      })) {
        env[key] = resolveExpressions(value, expressions);
      }
    } catch (error) {
      const reason = `Could not resolve the environment: ${
        (error as Error).message
      }`;
      await store.finishStep(stepRun.id, { status: 'failed', reason });
      ctx.onStep?.('finished', stepRun, { status: 'failed', reason });
      failures.push(`step '${name}': ${reason}`);
      return 'failed';
    }
    let result: PipelineStepResult | undefined;
    for (let attempt = 1; attempt <= step.retries + 1; attempt++) {
      if (attempt > 1) {
        await log({
          stream: 'system',
          text: `Attempt ${attempt - 1} ${describeFailure(
            result!,
          )}; retrying (${attempt - 1} of ${step.retries} retries)\n`,
          timestamp: new Date(),
        });
      }
      await store.countTry(stepRun.id);
      result = await ctx.executor.runStep({
        workspace,
        stepId: name,
        attempt,
        command: step.run,
        env,
        workingDirectory: step.workingDirectory,
        timeoutMs: step.timeoutMs,
        log,
        signal,
      });
      if (result.reason === 'interrupted' && !signal.aborted) {
        // The executor is shutting down with the backend: stop the run
        // rather than fail step after step.
        ctx.abort(INTERRUPTED_REASON);
      }
      if (isSuccessfulStep(result) || signal.aborted) break;
    }
    const final = result!;
    let outcome: StepStatus = 'failed';
    let reason: string | undefined = describeFailure(final);
    if (isSuccessfulStep(final)) {
      outcome = 'succeeded';
      reason = undefined;
    } else if (signal.aborted) {
      outcome = 'cancelled';
      reason = ctx.abortReason();
    }
    await store.finishStep(stepRun.id, {
      status: outcome,
      exitCode: final.exitCode,
      reason,
      outputs: final.outputs,
    });
    ctx.onStep?.('finished', stepRun, {
      status: outcome,
      exitCode: final.exitCode,
      reason,
    });
    if (outcome === 'succeeded') expressions.steps[name] = final.outputs;
    if (outcome === 'failed') failures.push(`step '${name}' ${reason}`);
    return outcome;
  });
  const all = [...status.values()];
  if (all.includes('cancelled')) return 'cancelled';
  if (all.includes('failed') || all.includes('skipped')) return 'failed';
  return 'succeeded';
}
