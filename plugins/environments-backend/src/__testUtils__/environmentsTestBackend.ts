import {
  AuditorService,
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import {
  authServiceWithActors,
  databasePerPlugin,
  testMemberships,
  userInfoWithMemberships,
  waitForStitchedComponent,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import { environmentsPlugin } from '../plugin';
import { testCatalogEntities } from './testCatalog';

// The test catalog as the catalog reads it from a file location: one
// document per entity (JSON is YAML).
const catalogFiles = createMockDirectory({
  content: {
    'catalog.yaml': testCatalogEntities
      .map(entity => JSON.stringify(entity))
      .join('\n---\n'),
  },
});

/** What a test changes of {@link startEnvironmentsTestBackend}'s backend. */
export interface EnvironmentsTestBackendOptions {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  /**
   * The `environments` config: initial environments, secrets, previews.
   * Without `kubernetes`, the one cluster is {@link TEST_CLUSTER}.
   */
  environments?: JsonObject;
  /** Further top-level config, beside catalog, permission and events. */
  config?: JsonObject;
  /**
   * Features besides the standard ones: event listeners, deployer modules,
   * mocked services (auditor, scheduler), other plugins.
   */
  features?: BackendFeature[];
  /** The permission policy module; the platform policy when absent. */
  policy?: BackendFeature;
  /**
   * The environments plugin's auditor, e.g. `mockServices.auditor.mock()`,
   * to look at its audit events; the other plugins' (the catalog's reads
   * among them) go nowhere then, so they do not count as its events.
   */
  auditor?: AuditorService;
}

/**
 * The cluster the test backend configures in `environments.kubernetes.clusters`
 * unless a test gives its own: a Kubernetes target must name a configured
 * cluster. Nothing is deployed there without the Kubernetes deployer module.
 */
export const TEST_CLUSTER = {
  name: 'eu-1',
  url: 'https://eu-1.k8s.example.test',
  serviceAccountToken: 'test-token',
};

/** An auditor that records nothing, for the plugins a test does not look at. */
const silentAuditor: AuditorService = {
  async createEvent() {
    return { async success() {}, async fail() {} };
  },
};

/** Gives `auditor` to the environments plugin and a silent one to the others. */
function environmentsAuditor(auditor: AuditorService) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) =>
      plugin.getId() === 'environments' ? auditor : silentAuditor,
  });
}

/**
 * Starts a backend with the environments plugin as its tests run it: the
 * permission backend with the platform policy, the events service, the real
 * catalog holding `testCatalogEntities` (its ownership rule decides the
 * deploy permissions), the memberships of `testMemberships` as ownership
 * claims, on-behalf-of tokens that keep their actor, and a database per
 * plugin. Returns once the catalog has stitched payments-api: before that,
 * the ownership rule sees no owner.
 */
export async function startEnvironmentsTestBackend(
  options: EnvironmentsTestBackendOptions,
) {
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      permissionPlugin,
      options.policy ?? platformPolicy,
      eventsServiceFactory,
      catalogPlugin,
      userInfoWithMemberships(testMemberships),
      authServiceWithActors,
      databasePerPlugin(options.databases, options.databaseId),
      ...(options.auditor ? [environmentsAuditor(options.auditor)] : []),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User'] }],
            locations: [
              { type: 'file', target: catalogFiles.resolve('catalog.yaml') },
            ],
          },
          permission: { enabled: true },
          events: { useEventBus: 'never' },
          environments: {
            kubernetes: { clusters: [TEST_CLUSTER] },
            ...options.environments,
          },
          ...options.config,
        },
      }),
    ],
  });
  await waitForStitchedComponent(backend.server, 'payments-api');
  return backend;
}
