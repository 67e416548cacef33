import { BenchClient } from '@internal/bench-shared';
import {
  FINAL_RUN_STATUSES,
  PipelineRunView,
} from '@internal/plugin-pipelines-common';
import { setTimeout as sleep } from 'node:timers/promises';

export const FINAL = new Set<string>(FINAL_RUN_STATUSES);

// Runs are read through the bench's own BenchClient, which every request of
// the bench goes through; only their type (the spec's) comes from the
// generated client.

/** The component's latest runs, newest first. */
export async function latestRuns(
  client: BenchClient,
  component: string,
  limit = 10,
): Promise<PipelineRunView[]> {
  const { data } = await client.expect<{ items: PipelineRunView[] }>(
    200,
    'GET',
    `/api/pipelines/runs?component=${encodeURIComponent(
      component,
    )}&limit=${limit}`,
  );
  return data.items;
}

export async function getRun(
  client: BenchClient,
  id: string,
): Promise<PipelineRunView> {
  const { data } = await client.expect<PipelineRunView>(
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
  done: (run: PipelineRunView) => boolean,
  options: { intervalMs: number; timeoutMs: number },
): Promise<PipelineRunView> {
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
