import { Entity } from '@backstage/catalog-model';

/** The component the tests deploy, owned by team-payments. */
export const PAYMENTS_API = 'component:default/payments-api';

/**
 * payments-api as a catalog entity, for tests that mock the catalog
 * (`catalogServiceMock`) instead of starting it.
 */
export const paymentsApiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
  },
};

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const user = (name: string, memberOf: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [memberOf] },
});

/**
 * The catalog of the tests: payments-api, the two groups of
 * `testMemberships` that own environments and components, and a member of
 * each (the notifications backend finds a group's people in the catalog):
 * ada of platform-admins, priya of team-payments.
 */
export const testCatalogEntities: Entity[] = [
  paymentsApiEntity,
  group('platform-admins'),
  group('team-payments'),
  user('ada', 'platform-admins'),
  user('priya', 'team-payments'),
];
