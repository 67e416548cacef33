import { BenchClient } from '@internal/bench-shared';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchRepository, commitTo } from './repositories';
import { FINAL, getRun, waitForRunOf } from './runsApi';
import { sendPush, signedPush } from './webhooks';

/** The commands of the overhead pipeline and of the script: one short echo each. */
export function overheadCommands(steps: number): string[] {
  return Array.from(
    { length: steps },
    (_, i) => `echo "step ${String(i + 1).padStart(2, '0')}"`,
  );
}

/** One engine run of the overhead pipeline, by the backend's timestamps (ms). */
export interface EngineRunTiming {
  /** Run claimed to run finished: checkout, definition, steps, release. */
  runWall: number;
  /** The `.checkout` step: `git init`, fetch and checkout of the commit. */
  checkout: number;
  /** First step started to last step finished. */
  stepsWall: number;
  /** The steps' own durations, added up (each a `/bin/sh -e -c` process). */
  stepsSum: number;
}

export interface OverheadResult {
  steps: number;
  repeats: number;
  engine: EngineRunTiming[];
  /** The same commands as one `sh -e` script: one process. */
  shellScript: number[];
  /** The same commands, each its own `sh -e -c` spawned from Node, one after the other. */
  shellPerStep: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians and what they come to: the figures the table shows. */
export function overheadSummary(result: OverheadResult) {
  const runWall = median(result.engine.map(e => e.runWall));
  const stepsWall = median(result.engine.map(e => e.stepsWall));
  const script = median(result.shellScript);
  const perStepShell = median(result.shellPerStep);
  return {
    runWall,
    checkout: median(result.engine.map(e => e.checkout)),
    stepsWall,
    stepsSum: median(result.engine.map(e => e.stepsSum)),
    shellScript: script,
    shellPerStep: perStepShell,
    /** Engine steps against the plain script. */
    overheadTotal: stepsWall - script,
    overheadPerStep: (stepsWall - script) / result.steps,
    /** The whole run (checkout included) against the plain script. */
    runOverheadTotal: runWall - script,
    runOverheadPerStep: (runWall - script) / result.steps,
    /** What is left once a process per step is paid for. */
    beyondSpawnPerStep: (stepsWall - perStepShell) / result.steps,
  };
}

function timeProcess(
  command: string,
  args: string[],
  cwd: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('exit', code => {
      if (code === 0) resolve(performance.now() - start);
      else
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

const at = (iso?: string) => {
  if (!iso) throw new Error('a finished step without its times');
  return Date.parse(iso);
};

/**
 * The engine with the local executor runs the pipeline of `steps` echo
 * steps in a chain; the same commands also run as one `sh` script and as
 * one `sh -c` per command. The three alternate, `repeats` times each, so
 * that whatever else the shared machine does falls on all of them alike.
 */
export async function overheadPhase(options: {
  baseUrl: string;
  client: BenchClient;
  secret: string;
  repository: BenchRepository;
  component: string;
  steps: number;
  repeats: number;
  workDir: string;
  onProgress?: (done: number) => void;
}): Promise<OverheadResult> {
  const commands = overheadCommands(options.steps);
  const script = join(options.workDir, 'steps.sh');
  writeFileSync(script, `${commands.join('\n')}\n`);
  const result: OverheadResult = {
    steps: options.steps,
    repeats: options.repeats,
    engine: [],
    shellScript: [],
    shellPerStep: [],
  };
  for (let r = 0; r < options.repeats; r++) {
    const commit = commitTo(options.repository, `overhead ${r + 1}`);
    const push = await signedPush(options.secret, options.repository, commit);
    const answer = await sendPush(options.baseUrl, push);
    if (answer.status !== 202) {
      throw new Error(`The push was answered ${answer.status}`);
    }
    const done = await waitForRunOf(
      options.client,
      options.component,
      commit,
      run => FINAL.has(run.status),
      { intervalMs: 100, timeoutMs: 300_000 },
    );
    if (done.status !== 'succeeded') {
      throw new Error(`The overhead run ${done.status}: ${done.reason ?? ''}`);
    }
    const run = await getRun(options.client, done.id);
    const steps = (run.steps ?? []).filter(s => s.step !== '.checkout');
    const checkout = (run.steps ?? []).find(s => s.step === '.checkout');
    if (steps.length !== options.steps || !checkout) {
      throw new Error(
        `The overhead run has ${steps.length} steps and ${
          checkout ? 'a' : 'no'
        } checkout, expected ${options.steps} and one`,
      );
    }
    result.engine.push({
      runWall: at(run.finishedAt) - at(run.startedAt),
      checkout: at(checkout.finishedAt) - at(checkout.startedAt),
      stepsWall:
        Math.max(...steps.map(s => at(s.finishedAt))) -
        Math.min(...steps.map(s => at(s.startedAt))),
      stepsSum: steps.reduce(
        (sum, s) => sum + at(s.finishedAt) - at(s.startedAt),
        0,
      ),
    });

    result.shellScript.push(
      await timeProcess('/bin/sh', ['-e', script], options.workDir),
    );
    let perStep = 0;
    for (const command of commands) {
      perStep += await timeProcess(
        '/bin/sh',
        ['-e', '-c', command],
        options.workDir,
      );
    }
    result.shellPerStep.push(perStep);
    options.onProgress?.(r + 1);
  }
  return result;
}
