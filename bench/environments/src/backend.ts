/*
 * The backend the benchmark measures, started by index.ts as a child process
 * with a generated config (--config). It wires the same packages as
 * packages/backend for the routes under test: auth with the guest provider
 * (real signed user tokens), the catalog, the permission backend with the
 * platform policy, the events backend, signals and notifications (the
 * environments plugin signals every deployment change and notifies on
 * failures) and the environments plugin. Search, scaffolder, Kubernetes and
 * the rest are left out: their background work (indexing, task polling)
 * would only add noise to the figures.
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
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@internal/plugin-environments-backend'));
backend.start();
