import { BenchClient, LatencySummary, summarize } from '@internal/bench-shared';
import { performance } from 'node:perf_hooks';
import { BenchRepository, commitTo } from './repositories';
import { FINAL, waitForRunOf } from './runsApi';
import { sendPush, signedPush } from './webhooks';

/** Push to run started, over several pushes. */
export interface StartLatencyResult {
  pushes: number;
  /** The push's answer (202: recorded, run queued). */
  accept: LatencySummary;
  /** From sending the push to the run's `startedAt` (the engine claimed it), by the backend's clock. */
  toStarted: LatencySummary;
  /** From sending the push to the client seeing the run running (polling every 10 ms). */
  toSeenRunning: LatencySummary;
  /** From the run's `createdAt` (queued) to its `startedAt`. */
  queuedToStarted: LatencySummary;
}

/**
 * One push at a time, each of a new commit, to a component whose
 * repository's pipeline is one `true` step: the time from sending it to the
 * run running. Each run is left to finish before the next push, so every
 * push meets an idle engine, and must succeed.
 */
export async function startLatencyPhase(options: {
  baseUrl: string;
  client: BenchClient;
  secret: string;
  repository: BenchRepository;
  component: string;
  pushes: number;
  onProgress?: (done: number) => void;
}): Promise<StartLatencyResult> {
  const accept: number[] = [];
  const toStarted: number[] = [];
  const toSeen: number[] = [];
  const queued: number[] = [];
  for (let i = 0; i < options.pushes; i++) {
    const commit = commitTo(options.repository, `push ${i + 1}`);
    const push = await signedPush(options.secret, options.repository, commit);
    const sentAt = Date.now();
    const sent = performance.now();
    const answer = await sendPush(options.baseUrl, push);
    if (answer.status !== 202) {
      throw new Error(
        `The push was answered ${answer.status}${
          answer.error ? ` (${answer.error})` : ''
        }`,
      );
    }
    const running = await waitForRunOf(
      options.client,
      options.component,
      commit,
      run => run.status !== 'queued',
      { intervalMs: 10, timeoutMs: 60_000 },
    );
    toSeen.push(performance.now() - sent);
    accept.push(answer.ms);
    toStarted.push(Date.parse(running.startedAt!) - sentAt);
    queued.push(Date.parse(running.startedAt!) - Date.parse(running.createdAt));
    const done = await waitForRunOf(
      options.client,
      options.component,
      commit,
      run => FINAL.has(run.status),
      { intervalMs: 100, timeoutMs: 120_000 },
    );
    if (done.status !== 'succeeded') {
      throw new Error(
        `The run of push ${i + 1} ${done.status}: ${done.reason ?? ''}`,
      );
    }
    options.onProgress?.(i + 1);
  }
  return {
    pushes: options.pushes,
    accept: summarize(accept),
    toStarted: summarize(toStarted),
    toSeenRunning: summarize(toSeen),
    queuedToStarted: summarize(queued),
  };
}
