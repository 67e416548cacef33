/*
 * The backend the benchmark measures, started by index.ts as a child process
 * with a generated config (--config): the benchmarks' common backend (auth
 * with real signed user tokens for the runs API, the catalog for components
 * by repository, permission, events, signals, notifications; see
 * bench/shared/src/benchBackend.ts), the signed-webhooks ingress, the
 * pipelines plugin and its local executor. Environments is left out: the
 * deploy stage is not measured.
 */
import { createBenchBackend } from '@internal/bench-shared/backend';

const backend = createBenchBackend();
backend.add(import('@internal/plugin-events-backend-module-signed-webhooks'));
backend.add(import('@internal/plugin-pipelines-backend'));
backend.add(import('@internal/plugin-pipelines-backend-module-local-executor'));
backend.start();
