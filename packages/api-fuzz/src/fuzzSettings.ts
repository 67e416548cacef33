/*
 * The pass's settings, from the environment: the seed that replays a pass,
 * its time budget and its size.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { resolve } from 'node:path';

/** What a pass runs with. */
export interface FuzzSettings {
  root: string;
  /** FUZZ_SEED, else a fresh one; printed so that a failure replays. */
  seed: number;
  /** FUZZ_SECONDS: the time for all generated requests (not the start-up). */
  seconds: number;
  /** FUZZ_ROUNDS: how often every operation is fuzzed, each time with what the others created. */
  rounds: number;
  /** FUZZ_MAX_RUNS: the most requests per operation and round. */
  maxRuns: number;
  /** FUZZ_OPERATIONS: operation ids, comma-separated, to fuzz only those. */
  operations?: string[];
  /** FUZZ_OUTPUT_DIR: where the findings and the backend's log go. */
  outputDir: string;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new Error(`${name} must be a whole number, not '${raw}'`);
  }
  return Number(raw);
}

export function readFuzzSettings(): FuzzSettings {
  const root = resolvePackagePath('@internal/api-fuzz', '..', '..');
  return {
    root,
    seed: wholeNumber('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31)),
    seconds: wholeNumber('FUZZ_SECONDS', 110),
    rounds: Math.max(1, wholeNumber('FUZZ_ROUNDS', 2)),
    maxRuns: Math.max(1, wholeNumber('FUZZ_MAX_RUNS', 2000)),
    operations: process.env.FUZZ_OPERATIONS?.split(',')
      .map(s => s.trim())
      .filter(Boolean),
    outputDir: resolve(
      process.env.FUZZ_OUTPUT_DIR ?? resolve(root, 'test-results', 'api-fuzz'),
    ),
  };
}

/** A seed per operation and round, so that each replays on its own. */
export function seedFor(base: number, ...parts: string[]): number {
  let hash = base >>> 0;
  for (const char of parts.join('\u0000')) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  }
  return hash & 0x7fffffff;
}
