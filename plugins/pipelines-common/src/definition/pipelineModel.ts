import { CronTime } from 'cron';
import { ancestorsOf, checkDag, DagNode, DagProblem } from './dag';
import {
  DEFAULT_RUN_TIMEOUT_MS,
  DEFAULT_STEP_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  parseDuration,
} from './durations';
import { findExpressions } from './expressions';
import { DataPath, formatPath } from './fieldPath';
import {
  PipelineDefinition,
  PipelineError,
  PipelineFile,
  PipelineFileStage,
  PipelineTriggers,
  StageDefinition,
  StepDefinition,
} from './types';
import { Locator } from './yamlLocator';

/** The pull request changes a pipeline runs for unless it lists its own. @public */
export const DEFAULT_PULL_REQUEST_TYPES: Array<
  'opened' | 'synchronize' | 'reopened' | 'closed'
> = ['opened', 'synchronize', 'reopened'];

/** The tag an image stage pushes unless it lists its own. @public */
export const DEFAULT_IMAGE_TAGS = ['${{ run.shortCommit }}'];

/**
 * Variables the executors set for every step (`HOME`, `TMPDIR`, `CI` and
 * `PIPELINE_*`), which a pipeline file may not set.
 *
 * @public
 */
export const RESERVED_ENV_NAMES = ['HOME', 'TMPDIR', 'CI'];

/**
 * Whether the executors set this variable themselves, so neither a pipeline
 * file nor a step request may: {@link RESERVED_ENV_NAMES} and `PIPELINE_*`.
 *
 * @public
 */
export function isReservedEnvName(name: string): boolean {
  return RESERVED_ENV_NAMES.includes(name) || name.startsWith('PIPELINE_');
}

/** Collects errors with their locations. */
class Problems {
  readonly errors: PipelineError[] = [];
  constructor(private readonly locator: Locator) {}
  add(path: DataPath, message: string, atKey = false) {
    const location = atKey ? this.locator.key(path) : this.locator.value(path);
    this.errors.push({ message, path: formatPath(path), ...location });
  }
}

/** `needs` as written, or the item before in the list (none for the first). */
function effectiveNeeds<T extends { name: string; needs?: string[] }>(
  items: T[],
): DagNode[] {
  return items.map((item, i) => ({
    name: item.name,
    needs: item.needs ?? (i === 0 ? [] : [items[i - 1].name]),
  }));
}

function describeCycle(kind: 'stages' | 'steps', cycle: string[]) {
  return `${kind} form a cycle: ${cycle.join(
    ' → ',
  )} (each needs the next; one without 'needs' needs the one before it in the list)`;
}

/** Reports the `needs` problems of a list of stages or steps under `base`. */
function reportDag(
  problems: Problems,
  base: DataPath,
  kind: 'stages' | 'steps',
  items: Array<{ name: string; needs?: string[] }>,
  dagProblems: DagProblem[],
  hint: (need: string) => string | undefined,
) {
  const indexOf = (name: string) => items.findIndex(i => i.name === name);
  for (const problem of dagProblems) {
    if (problem.type === 'cycle') {
      const index = indexOf(problem.cycle[0]);
      const explicit = items[index].needs !== undefined;
      problems.add(
        explicit ? [...base, index, 'needs'] : [...base, index],
        describeCycle(kind, problem.cycle),
      );
      continue;
    }
    const index = indexOf(problem.node);
    const path = [...base, index, 'needs', problem.needIndex];
    if (problem.type === 'self') {
      problems.add(path, `'${problem.node}' needs itself`);
    } else {
      const extra = hint(problem.need);
      problems.add(
        path,
        `no ${kind === 'stages' ? 'stage' : 'step'} named '${problem.need}'${
          kind === 'steps' ? ' in this stage' : ''
        }${extra ? `: ${extra}` : ''}`,
      );
    }
  }
}

function checkTimeout(problems: Problems, path: DataPath, text?: string) {
  if (text === undefined) return;
  const ms = parseDuration(text);
  if (ms === undefined) return; // the schema reported it
  if (ms === 0) problems.add(path, 'must be longer than 0s');
  if (ms > MAX_TIMEOUT_MS) problems.add(path, 'must be at most 24h');
}

function checkCron(problems: Problems, path: DataPath, cron: string) {
  const fields = cron.trim().split(/\s+/);
  if (!cron.trim().startsWith('@') && fields.length !== 5) {
    problems.add(
      path,
      `must have five fields (minute hour day-of-month month day-of-week), not ${fields.length}`,
    );
    return;
  }
  try {
    // The scheduler's own parser, so what passes here also schedules.
    new CronTime(cron.trim()).sendAt();
  } catch (error) {
    problems.add(
      path,
      `is not a valid cron expression: ${(error as Error).message}`,
    );
  }
}

/** Where expressions may stand, and what runs before each such place. */
type ExpressionPlace =
  | { kind: 'pipeline-env' }
  | { kind: 'stage'; stage: number }
  | { kind: 'step'; stage: number; step: number }
  | { kind: 'command' }
  | { kind: 'elsewhere' };

function placeOf(path: DataPath): ExpressionPlace {
  const [a, b, c, d, e, f] = path;
  if (a === 'env' && path.length === 2) return { kind: 'pipeline-env' };
  if (a !== 'stages' || typeof b !== 'number') return { kind: 'elsewhere' };
  if (c === 'env' && path.length === 4) return { kind: 'stage', stage: b };
  if (
    c === 'image' &&
    path.length === 5 &&
    (d === 'tags' || d === 'buildArgs')
  ) {
    return { kind: 'stage', stage: b };
  }
  if (c === 'steps' && typeof d === 'number') {
    if (e === 'run' && path.length === 5) return { kind: 'command' };
    if (e === 'env' && path.length === 6 && f !== undefined) {
      return { kind: 'step', stage: b, step: d };
    }
  }
  return { kind: 'elsewhere' };
}

function* strings(
  value: unknown,
  path: DataPath,
): Generator<{ path: DataPath; text: string }> {
  if (typeof value === 'string') {
    yield { path, text: value };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      yield* strings(value[i], [...path, i]);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      yield* strings(child, [...path, key]);
    }
  }
}

/**
 * Checks what the schema cannot (unique names, the DAGs, references between
 * stages, expressions, cron, timeouts) and applies the defaults. The data
 * must already satisfy the schema.
 */
export function buildDefinition(
  file: PipelineFile,
  locator: Locator,
): { definition?: PipelineDefinition; errors: PipelineError[] } {
  const problems = new Problems(locator);
  const stages = file.stages;

  // Names: stages unique; steps unique across the pipeline, since later
  // stages read outputs by step name.
  const stageIndex = new Map<string, number>();
  stages.forEach((stage, i) => {
    if (stageIndex.has(stage.name)) {
      problems.add(
        ['stages', i, 'name'],
        `stage '${stage.name}' is already defined (stages[${stageIndex.get(
          stage.name,
        )}])`,
      );
    } else {
      stageIndex.set(stage.name, i);
    }
  });
  const stepStage = new Map<string, number>();
  stages.forEach((stage, i) =>
    stage.steps?.forEach((step, j) => {
      const other = stepStage.get(step.name);
      if (other !== undefined) {
        problems.add(
          ['stages', i, 'steps', j, 'name'],
          `step '${step.name}' is already defined in stage '${stages[other].name}'; step names are unique in the pipeline`,
        );
      } else {
        stepStage.set(step.name, i);
      }
    }),
  );

  const envMaps: Array<[DataPath, Record<string, unknown> | undefined]> = [
    [['env'], file.env],
  ];
  stages.forEach((stage, i) => {
    envMaps.push([['stages', i, 'env'], stage.env]);
    stage.steps?.forEach((step, j) =>
      envMaps.push([['stages', i, 'steps', j, 'env'], step.env]),
    );
  });
  for (const [path, env] of envMaps) {
    for (const name of Object.keys(env ?? {})) {
      if (isReservedEnvName(name)) {
        problems.add(
          [...path, name],
          `'${name}' is set by the executor for every step and cannot be set here`,
          true,
        );
      }
    }
  }

  stages.forEach((stage, i) => {
    if (stage.env && !stage.steps) {
      problems.add(
        ['stages', i, 'env'],
        stage.image
          ? "'env' is for stages with steps; an image stage takes 'buildArgs'"
          : "'env' is for stages with steps",
        true,
      );
    }
  });

  // The stage DAG, and each stage's step DAG; with a name used twice they
  // are not checked, as `needs` would be ambiguous.
  const stageNodes = effectiveNeeds(stages);
  const stageNamesUnique = stageIndex.size === stages.length;
  const stageDagProblems = stageNamesUnique ? checkDag(stageNodes) : [];
  reportDag(problems, ['stages'], 'stages', stages, stageDagProblems, need =>
    stepStage.has(need)
      ? `'${need}' is a step of stage '${
          stages[stepStage.get(need)!].name
        }'; stages need stages`
      : undefined,
  );
  const stepNodes = stages.map(stage => effectiveNeeds(stage.steps ?? []));
  const stepDagValid = stages.map((stage, i) => {
    const names = new Set(stepNodes[i].map(n => n.name));
    if (names.size !== stepNodes[i].length) return false;
    const stepProblems = checkDag(stepNodes[i]);
    reportDag(
      problems,
      ['stages', i, 'steps'],
      'steps',
      stage.steps ?? [],
      stepProblems,
      need => {
        if (stepStage.has(need)) {
          const other = stages[stepStage.get(need)!].name;
          return `it is a step of stage '${other}'; a step needs only steps of its own stage, so make stage '${stage.name}' need stage '${other}'`;
        }
        return stageIndex.has(need)
          ? `'${need}' is a stage; put it in this stage's 'needs'`
          : undefined;
      },
    );
    return stepProblems.length === 0;
  });
  const stageDagValid = stageNamesUnique && stageDagProblems.length === 0;

  // Timeouts and schedules.
  checkTimeout(problems, ['timeout'], file.timeout);
  stages.forEach((stage, i) =>
    stage.steps?.forEach((step, j) =>
      checkTimeout(
        problems,
        ['stages', i, 'steps', j, 'timeout'],
        step.timeout,
      ),
    ),
  );
  file.triggers?.schedule?.forEach((entry, i) =>
    checkCron(problems, ['triggers', 'schedule', i, 'cron'], entry.cron),
  );

  // Which stages run before each stage, for deploy references and outputs.
  const stageAncestors = stageDagValid
    ? stages.map(stage => ancestorsOf(stageNodes, stage.name))
    : undefined;

  // A deploy stage deploys the image of an image stage that runs before it.
  const imageStages = stages.filter(s => s.image).map(s => s.name);
  const deployImages = new Map<number, string>();
  stages.forEach((stage, i) => {
    if (!stage.deploy) return;
    const named = stage.deploy.image;
    if (named !== undefined) {
      if (!stageIndex.has(named)) {
        problems.add(
          ['stages', i, 'deploy', 'image'],
          `no stage named '${named}'`,
        );
        return;
      }
      if (!imageStages.includes(named)) {
        problems.add(
          ['stages', i, 'deploy', 'image'],
          `stage '${named}' is not an image stage`,
        );
        return;
      }
    } else if (imageStages.length !== 1) {
      problems.add(
        ['stages', i, 'deploy'],
        imageStages.length === 0
          ? 'a deploy stage deploys the image of an image stage, and this pipeline has none'
          : `there are several image stages (${imageStages.join(
              ', ',
            )}); say which one with 'image'`,
      );
      return;
    }
    const image = named ?? imageStages[0];
    deployImages.set(i, image);
    if (stageAncestors && !stageAncestors[i].has(image)) {
      problems.add(
        named !== undefined ? ['stages', i, 'deploy', 'image'] : ['stages', i],
        `deploy stage '${stage.name}' must need image stage '${image}' (directly or through other stages)`,
      );
    }
  });

  // Expressions: only in env values, image tags and build args; outputs only
  // of steps that have run by then.
  const stepsBefore = (place: ExpressionPlace): Set<string> | undefined => {
    if (place.kind === 'pipeline-env') return new Set();
    if (place.kind !== 'stage' && place.kind !== 'step') return undefined;
    if (!stageAncestors) return undefined;
    const before = new Set<string>();
    for (const ancestor of stageAncestors[place.stage]) {
      for (const step of stages[stageIndex.get(ancestor)!].steps ?? []) {
        before.add(step.name);
      }
    }
    if (place.kind === 'step') {
      if (!stepDagValid[place.stage]) return undefined;
      const name = stages[place.stage].steps![place.step].name;
      for (const step of ancestorsOf(stepNodes[place.stage], name)) {
        before.add(step);
      }
    }
    return before;
  };
  for (const { path, text } of strings(file, [])) {
    const matches = findExpressions(text);
    if (matches.length === 0) continue;
    const place = placeOf(path);
    if (place.kind === 'command') {
      problems.add(
        path,
        `expressions are not put into commands, where a value could inject shell code; pass it through env (env: { VALUE: '${matches[0].source}' }) and use $VALUE`,
      );
      continue;
    }
    if (place.kind === 'elsewhere') {
      problems.add(
        path,
        'expressions are allowed only in env values, image tags and build args',
      );
      continue;
    }
    const before = stepsBefore(place);
    for (const match of matches) {
      if (!match.expression) {
        problems.add(path, `${match.source}: ${match.error}`);
        continue;
      }
      const expression = match.expression;
      if (expression.type !== 'output') continue;
      if (!stepStage.has(expression.step)) {
        problems.add(
          path,
          `${match.source}: there is no step named '${expression.step}'`,
        );
      } else if (before && !before.has(expression.step)) {
        problems.add(
          path,
          place.kind === 'pipeline-env'
            ? `${match.source}: the pipeline's env is set before any step runs; use it in the env of a later step or stage`
            : `${match.source}: step '${expression.step}' does not run before this; it must be needed here (directly or through other steps and stages)`,
        );
      }
    }
  }

  if (problems.errors.length > 0) {
    return { errors: problems.errors };
  }
  return {
    definition: normalize(file, locator, stageNodes, stepNodes, deployImages),
    errors: [],
  };
}

function envStrings(
  env: Record<string, string | number | boolean> | undefined,
  path: DataPath,
  locator: Locator,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env ?? {})) {
    // `VERSION: 1.10` is the number 1.1 to YAML; keep what was written.
    result[key] =
      typeof value === 'string'
        ? value
        : locator.scalarSource([...path, key]) ?? String(value);
  }
  return result;
}

function normalizeTriggers(
  triggers: PipelineFile['triggers'],
): PipelineTriggers {
  if (!triggers) {
    return {
      push: { branches: ['**'], tags: [] },
      pullRequest: { branches: [], types: [...DEFAULT_PULL_REQUEST_TYPES] },
      manual: true,
      schedule: [],
    };
  }
  const { push, pullRequest } = triggers;
  return {
    ...(push
      ? {
          push: {
            branches: push.branches ?? (push.tags ? [] : ['**']),
            tags: push.tags ?? [],
          },
        }
      : {}),
    ...(pullRequest
      ? {
          pullRequest: {
            branches: pullRequest.branches ?? [],
            types: pullRequest.types ?? [...DEFAULT_PULL_REQUEST_TYPES],
          },
        }
      : {}),
    manual: triggers.manual ?? true,
    schedule: (triggers.schedule ?? []).map(s => ({
      cron: s.cron.trim(),
      ...(s.branch ? { branch: s.branch } : {}),
    })),
  };
}

function normalizeStage(
  stage: PipelineFileStage,
  i: number,
  needs: string[],
  stepNodes: DagNode[],
  deployImage: string | undefined,
  locator: Locator,
): StageDefinition {
  const base = {
    name: stage.name,
    needs,
    ...(stage.when ? { when: stage.when } : {}),
  };
  if (stage.image) {
    const context = stage.image.context ?? '.';
    return {
      ...base,
      type: 'image',
      image: {
        context,
        dockerfile:
          stage.image.dockerfile ??
          (context === '.'
            ? 'Dockerfile'
            : `${context.replace(/\/+$/, '')}/Dockerfile`),
        ...(stage.image.repository
          ? { repository: stage.image.repository }
          : {}),
        tags: stage.image.tags ?? [...DEFAULT_IMAGE_TAGS],
        buildArgs: envStrings(
          stage.image.buildArgs,
          ['stages', i, 'image', 'buildArgs'],
          locator,
        ),
      },
    };
  }
  if (stage.deploy) {
    return {
      ...base,
      type: 'deploy',
      deploy: { environments: stage.deploy.environments, image: deployImage! },
    };
  }
  const steps: StepDefinition[] = stage.steps!.map((step, j) => ({
    name: step.name,
    run: step.run,
    env: envStrings(step.env, ['stages', i, 'steps', j, 'env'], locator),
    workingDirectory: step.workingDirectory ?? '.',
    timeoutMs: step.timeout
      ? parseDuration(step.timeout)!
      : DEFAULT_STEP_TIMEOUT_MS,
    retries: step.retries ?? 0,
    needs: stepNodes[j].needs,
  }));
  return {
    ...base,
    type: 'steps',
    env: envStrings(stage.env, ['stages', i, 'env'], locator),
    steps,
  };
}

function normalize(
  file: PipelineFile,
  locator: Locator,
  stageNodes: DagNode[],
  stepNodes: DagNode[][],
  deployImages: Map<number, string>,
): PipelineDefinition {
  return {
    version: 1,
    triggers: normalizeTriggers(file.triggers),
    env: envStrings(file.env, ['env'], locator),
    timeoutMs: file.timeout
      ? parseDuration(file.timeout)!
      : DEFAULT_RUN_TIMEOUT_MS,
    stages: file.stages.map((stage, i) =>
      normalizeStage(
        stage,
        i,
        stageNodes[i].needs,
        stepNodes[i],
        deployImages.get(i),
        locator,
      ),
    ),
  };
}
