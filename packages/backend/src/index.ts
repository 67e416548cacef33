/*
 * The portal's backend: wiring only. Each feature lives in its own package,
 * under plugins/ for ours and in node_modules for Backstage's.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@internal/platform-node';

const backend = createBackend();

// Loads config and refuses to start without the settings that production
// lists as required (platform.requiredConfig).
backend.add(rootConfigServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: guest in the embedded default; GitHub and OIDC in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// Catalog, with template entities and API specs resolved from $openapi refs.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-openapi'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// The platform plugins' OpenAPI specs, collated into the launchpad-api entity.
backend.add(
  import('@backstage/plugin-catalog-backend-module-backstage-openapi'),
);
// Environments as Resource entities, related to the components running there.
backend.add(import('@internal/plugin-catalog-backend-module-environments'));

// Scaffolder.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// environments:create and environments:deploy, on behalf of the template's user.
backend.add(import('@internal/plugin-scaffolder-backend-module-environments'));
// pipelines:trigger, on behalf of the template's user.
backend.add(import('@internal/plugin-scaffolder-backend-module-pipelines'));

// Permissions: the platform policy (roles from catalog group membership).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@internal/plugin-permission-backend-module-platform-policy'),
);

// Search: Postgres engine when the database is Postgres, Lunr otherwise.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Events: the bus, and the HTTP ingress with GitHub and GitLab validators
// (ours answer a missing or wrong signature with 401, where Backstage's
// github and gitlab modules answer 403; same config keys).
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@internal/plugin-events-backend-module-signed-webhooks'));

// Our plugins.
backend.add(import('@internal/plugin-environments-backend'));
// Deploys to environments whose target is a Kubernetes cluster
// (environments.kubernetes.clusters); the embedded default has none.
backend.add(import('@internal/plugin-environments-backend-module-kubernetes'));
// Pipelines: records the GitHub and GitLab webhook deliveries the events
// ingress above has verified, mapped to catalog components, and runs their
// pipelines with the executor pipelines.engine.executor names.
backend.add(import('@internal/plugin-pipelines-backend'));
// Runs pipeline steps as processes on this host (pipelines.executors.local;
// on in the embedded default, off in production).
backend.add(import('@internal/plugin-pipelines-backend-module-local-executor'));
// Runs pipeline steps as Jobs in a Kubernetes cluster
// (pipelines.executors.kubernetes): the executor for shared production
// backends, where steps must not run on the backend's host. Off unless
// configured.
backend.add(
  import('@internal/plugin-pipelines-backend-module-kubernetes-executor'),
);

backend.add(import('@backstage/plugin-kubernetes-backend'));
// The clusters environments deploy to, in the Kubernetes tab.
backend.add(
  import('@internal/plugin-kubernetes-backend-module-environment-clusters'),
);
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
