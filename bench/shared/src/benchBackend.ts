/*
 * The backend every benchmark measures on, for its `src/backend.ts` (the
 * child process startBenchBackend runs): kept out of the package's index so
 * the process that sends the load does not load the backend's packages.
 */
import { createBackend } from '@backstage/backend-defaults';

/**
 * A backend with what packages/backend wires around the plugin under test:
 * auth with the guest provider (real signed user tokens), the catalog, the
 * permission backend with the platform policy, the events backend, signals
 * and notifications (the platform's plugins signal changes and notify on
 * failures). The benchmark adds its plugin and starts it. Search,
 * scaffolder, Kubernetes and the rest are left out: their background work
 * (indexing, task polling) would only add noise to the figures.
 */
export function createBenchBackend() {
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
  return backend;
}
