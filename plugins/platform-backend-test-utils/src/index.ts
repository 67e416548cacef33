/**
 * Test helpers for the platform's backend plugins.
 *
 * @packageDocumentation
 */
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';

/**
 * A user info service that gives each user the groups listed for them, as
 * the sign-in resolver puts catalog memberships into the ownership claims.
 *
 * @public
 */
export function userInfoWithMemberships(memberships: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const user = (credentials.principal as BackstageUserPrincipal)
          .userEntityRef;
        return {
          userEntityRef: user,
          ownershipEntityRefs: [user, ...(memberships[user] ?? [])],
        };
      },
    }),
  });
}

/**
 * An auth service whose on-behalf-of tokens keep the calling plugin as the
 * actor, as the real one does. The mock turns them back into bare user
 * tokens, which the permission backend refuses for resource permissions.
 *
 * @public
 */
export const authServiceWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const pluginId = plugin.getId();
    const auth = mockServices.auth({ pluginId });
    return Object.assign(Object.create(auth), {
      async getPluginRequestToken(options: {
        onBehalfOf: BackstageCredentials;
        targetPluginId: string;
      }) {
        const principal = options.onBehalfOf.principal as
          | BackstageUserPrincipal
          | { type: string };
        if ('userEntityRef' in principal) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${pluginId}` },
            }),
          };
        }
        return auth.getPluginRequestToken(options);
      },
    });
  },
});

/**
 * An Authorization header for a user of the default namespace.
 *
 * @public
 */
export function bearerFor(userName: string): string {
  return `Bearer ${mockCredentials.user.token(`user:default/${userName}`)}`;
}

/**
 * A database service that gives each plugin a fresh database of its own on
 * the given engine, as the real service does; sharing one would make their
 * migrations collide.
 *
 * @public
 */
export function databasePerPlugin(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    async factory() {
      const knex = await databases.init(databaseId);
      return { getClient: async () => knex };
    },
  });
}

/**
 * Group memberships of the sample people the platform's tests use: an admin,
 * and members of two teams.
 *
 * @public
 */
export const testMemberships: Record<string, string[]> = {
  'user:default/ada': ['group:default/platform-admins'],
  'user:default/priya': ['group:default/team-payments'],
  'user:default/otto': ['group:default/team-storefront'],
};

/**
 * A plugin that records what is published on the given topics of the
 * events service, for tests to look at.
 *
 * @public
 */
export function recordEvents(topics: string[]) {
  const events: EventParams[] = [];
  const feature = createBackendPlugin({
    pluginId: 'event-recorder',
    register(env) {
      env.registerInit({
        deps: { eventsService: eventsServiceRef },
        async init({ eventsService }) {
          await eventsService.subscribe({
            id: 'event-recorder',
            topics,
            onEvent: async event => {
              events.push(event);
            },
          });
        },
      });
    },
  });
  return { feature, events };
}

export * from './kubernetes';
export * from './registry';
export * from './pipelineRepository';
export * from './imageFiles';
export * from './dumbHttpRepository';
export * from './scaffolderTasks';
export * from './catalogStitching';
