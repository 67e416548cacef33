import {
  PipelineStageOutline,
  PipelineStepRunView,
} from '@internal/plugin-pipelines-common';

/** A stage of a run as the graph shows it. */
export type StageNode = {
  name: string;
  status: string;
  steps: PipelineStepRunView[];
  startedAt?: string;
  finishedAt?: string;
  /** The stages it waited for, as far as the step runs tell. */
  needs: string[];
  /** Its column, left to right: 0 for stages that waited for nothing. */
  column: number;
};

/** The name of the step run (and stage) of the run's checkout. */
export const CHECKOUT_STEP = '.checkout';

const SKIPPED_FOR = /stage '([^']+)' did not succeed/;

/** A stage's status from its steps'. */
export function stageStatus(steps: PipelineStepRunView[]): string {
  const has = (s: string) => steps.some(step => step.status === s);
  if (has('running')) return 'running';
  if (has('failed')) return 'failed';
  if (has('cancelled')) return 'cancelled';
  if (has('pending')) return 'pending';
  if (steps.length > 0 && steps.every(s => s.status === 'skipped')) {
    return 'skipped';
  }
  return 'succeeded';
}

function earliest(values: (string | undefined)[]): string | undefined {
  const present = values.filter((v): v is string => Boolean(v)).sort();
  return present[0];
}

function latest(values: (string | undefined)[]): string | undefined {
  const present = values.filter((v): v is string => Boolean(v)).sort();
  return present[present.length - 1];
}

/** Places stages in columns: one more than the furthest stage they need. */
function placeInColumns(nodes: StageNode[]): StageNode[][] {
  // A memoised depth-first walk; the guard covers inconsistent data (a
  // cycle), which the engine never produces.
  const columns = new Map<string, number>();
  const byName = new Map(nodes.map(n => [n.name, n]));
  function columnOf(name: string, seen: Set<string>): number {
    const known = columns.get(name);
    if (known !== undefined) return known;
    const node = byName.get(name);
    if (!node || seen.has(name)) return 0;
    seen.add(name);
    const column =
      node.needs.length === 0
        ? 0
        : 1 + Math.max(...node.needs.map(n => columnOf(n, seen)));
    columns.set(name, column);
    return column;
  }
  const result: StageNode[][] = [];
  for (const node of nodes) {
    node.column = columnOf(node.name, new Set());
    (result[node.column] ??= []).push(node);
  }
  return result.filter(Boolean);
}

function nodeOf(name: string, stageSteps: PipelineStepRunView[]): StageNode {
  const status = stageStatus(stageSteps);
  return {
    name,
    status,
    steps: stageSteps,
    startedAt: earliest(stageSteps.map(s => s.startedAt)),
    finishedAt:
      status === 'running' || status === 'pending'
        ? undefined
        : latest(stageSteps.map(s => s.finishedAt)),
    needs: [],
    column: 0,
  };
}

/**
 * Lays a run out from the stage graph of its definition (`run.stages`):
 * every stage and step, the ones not started yet as pending, each stage one
 * column right of the furthest stage it needs; the checkout comes first.
 */
export function stageGraphFromOutline(
  outline: PipelineStageOutline[],
  steps: PipelineStepRunView[],
): StageNode[][] {
  const checkout = steps.filter(s => s.stage === CHECKOUT_STEP);
  const nodes: StageNode[] = [];
  if (checkout.length > 0) nodes.push(nodeOf(CHECKOUT_STEP, checkout));
  for (const stage of outline) {
    const stageSteps = stage.steps.map(
      planned =>
        steps.find(s => s.stage === stage.name && s.step === planned.name) ?? {
          stage: stage.name,
          step: planned.name,
          status: 'pending' as const,
          tries: 0,
          outputs: {},
          reused: false,
        },
    );
    const node = nodeOf(stage.name, stageSteps);
    // Every stage runs after the checkout; the first ones need only it.
    const afterCheckout = checkout.length > 0 ? [CHECKOUT_STEP] : [];
    node.needs = stage.needs.length > 0 ? stage.needs : afterCheckout;
    nodes.push(node);
  }
  return placeInColumns(nodes);
}

/**
 * Lays the stages of a run out left to right by what they waited for, for
 * runs whose definition was not read yet (or was never stored).
 *
 * The runs API gives step runs (each naming its stage) but not the
 * pipeline's `needs`, so they are read from the step runs: the engine starts
 * a stage as soon as every stage it needs has ended, so a stage that started
 * after another ended waited for it (directly or through others); a stage
 * skipped because a stage it needs did not succeed names that stage. A
 * stage's column is one more than the furthest of those. Stages appear as
 * the engine records their first step run, so stages of a running run that
 * have not started are not shown yet.
 */
export function stageGraph(steps: PipelineStepRunView[]): StageNode[][] {
  const order: string[] = [];
  const byStage = new Map<string, PipelineStepRunView[]>();
  for (const step of steps) {
    if (!byStage.has(step.stage)) {
      byStage.set(step.stage, []);
      order.push(step.stage);
    }
    byStage.get(step.stage)!.push(step);
  }
  const nodes = order.map(name => nodeOf(name, byStage.get(name)!));
  nodes.forEach((node, index) => {
    const needs = new Set<string>();
    for (const step of node.steps) {
      const named = step.reason?.match(SKIPPED_FOR)?.[1];
      if (named && byStage.has(named) && named !== node.name) needs.add(named);
    }
    const undecided = !node.startedAt && needs.size === 0;
    nodes.forEach((other, otherIndex) => {
      if (other === node || !other.finishedAt) return;
      if (node.startedAt) {
        if (other.finishedAt <= node.startedAt) needs.add(other.name);
      } else if (undecided && otherIndex < index) {
        // Skipped by its `when` (no step started, no stage named): it was
        // decided once the stages recorded before it had ended.
        needs.add(other.name);
      }
    });
    node.needs = [...needs];
  });
  return placeInColumns(nodes);
}
