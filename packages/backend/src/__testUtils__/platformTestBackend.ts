import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  authServiceWithActors,
  databasePerPlugin,
  testMemberships,
  userInfoWithMemberships,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';

/**
 * The features every cross-plugin suite of this package starts beside the
 * plugins under test: the real catalog, the permission backend with the
 * platform policy, the events service, the memberships of `testMemberships`
 * as ownership claims, on-behalf-of tokens that keep their actor, and a
 * database per plugin on the given engine.
 */
export function platformTestFeatures(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): BackendFeature[] {
  return [
    catalogPlugin,
    permissionPlugin,
    platformPolicy,
    eventsServiceFactory,
    userInfoWithMemberships(testMemberships),
    authServiceWithActors,
    databasePerPlugin(databases, databaseId),
  ];
}

/**
 * The config those features need: permissions on, the events service kept
 * in process, and a catalog reading the given files (absolute paths), which
 * allows only `kinds`. `catalog` adds to the catalog's config (providers).
 */
export function platformTestConfig<Catalog extends object = {}>(options: {
  kinds: string[];
  files: string[];
  catalog?: Catalog;
}) {
  return {
    permission: { enabled: true },
    events: { useEventBus: 'never' },
    catalog: {
      rules: [{ allow: options.kinds }],
      locations: options.files.map(target => ({ type: 'file', target })),
      ...options.catalog,
    },
  };
}

/** Starts a test backend of {@link platformTestFeatures} and `features`. */
export function startPlatformTestBackend(options: {
  databases: TestDatabases;
  databaseId: TestDatabaseId;
  /** The plugins under test, their modules, and the root config. */
  features: BackendFeature[];
}) {
  return startTestBackend({
    features: [
      ...options.features,
      ...platformTestFeatures(options.databases, options.databaseId),
    ],
  });
}
