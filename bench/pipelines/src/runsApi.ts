import { BenchClient } from '@internal/bench-shared';
import { setTimeout as sleep } from 'node:timers/promises';

/** A run as GET /api/pipelines/runs answers it (the fields used here). */
export interface ApiRun {
  id: string;
  component: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  commit?: string;
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  steps?: Array<{
    stage: string;
    step: string;
    status: string;
    startedAt?: string;
    finishedAt?: string;
  }>;
}

export const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The component's latest runs, newest first. */
export async function latestRuns(
  client: BenchClient,
  component: string,
  limit = 10,
): Promise<ApiRun[]> {
  const { data } = await client.expect<{ items: ApiRun[] }>(
    200,
    'GET',
    `/api/pipelines/runs?component=${encodeURIComponent(
      component,
    )}&limit=${limit}`,
  );
  return data.items;
}

export async function getRun(client: BenchClient, id: string): Promise<ApiRun> {
  const { data } = await client.expect<ApiRun>(
    200,
    'GET',
    `/api/pipelines/runs/${encodeURIComponent(id)}`,
  );
  return data;
}

/**
 * Polls until the run of `commit` matches `done`; the poll's own requests
 * are what keeps it from being exact, so the interval is short.
 */
export async function waitForRunOf(
  client: BenchClient,
  component: string,
  commit: string,
  done: (run: ApiRun) => boolean,
  options: { intervalMs: number; timeoutMs: number },
): Promise<ApiRun> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const run = (await latestRuns(client, component, 5)).find(
      r => r.commit === commit,
    );
    if (run && done(run)) return run;
    if (Date.now() > deadline) {
      throw new Error(
        `The run of ${component} at ${commit.slice(0, 7)} was ${
          run ? `still ${run.status}` : 'not queued'
        } after ${options.timeoutMs / 1000} s`,
      );
    }
    await sleep(options.intervalMs);
  }
}

/** Waits until the component has no queued or running run. */
export async function waitUntilIdle(
  client: BenchClient,
  component: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const active = (await latestRuns(client, component, 20)).filter(
      r => !FINAL.has(r.status),
    );
    if (active.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${component} still had ${active.length} runs queued or running after ${
          timeoutMs / 1000
        } s`,
      );
    }
    await sleep(250);
  }
}
