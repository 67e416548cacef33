/*
 * The backend the benchmark measures, started by index.ts as a child process
 * with a generated config (--config). It wires the packages packages/backend
 * wires for webhooks and runs: auth with the guest provider (real signed
 * user tokens for the runs API), the catalog (components by repository),
 * the permission backend with the platform policy, the events backend with
 * the signed-webhooks ingress, signals and notifications (the pipelines
 * plugin signals run changes and notifies on failures), the pipelines
 * plugin and its local executor. Search, scaffolder, Kubernetes,
 * environments and the rest are left out: their background work would only
 * add noise to the figures.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@internal/plugin-permission-backend-module-platform-policy'),
);
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@internal/plugin-events-backend-module-signed-webhooks'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@internal/plugin-pipelines-backend'));
backend.add(import('@internal/plugin-pipelines-backend-module-local-executor'));
backend.start();
