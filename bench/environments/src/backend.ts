/*
 * The backend the benchmark measures, started by index.ts as a child process
 * with a generated config (--config): the benchmarks' common backend (auth,
 * catalog, permission, events, signals, notifications; see
 * bench/shared/src/benchBackend.ts) and the environments plugin.
 */
import { createBenchBackend } from '@internal/bench-shared/backend';

const backend = createBenchBackend();
backend.add(import('@internal/plugin-environments-backend'));
backend.start();
