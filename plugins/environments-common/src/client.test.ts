import { ResponseError } from '@backstage/errors';
import {
  ClientOperationCase,
  clientOnTheWire,
} from '@internal/platform-common/testUtils';
import { EnvironmentsApi, EnvironmentsClient } from './client';
import { DefaultApiClient } from './schema/openapi';

const lock = {
  id: '6f1c1f7e-8a57-4d0e-9d55-0c7a3b0f5d11',
  environment: 'production',
  reason: 'release freeze',
  createdBy: 'user:default/ada',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const environment = { name: 'qa', tier: 'staging' };
const deployment = { id: 'd-1', status: 'pending' };
const promotion = { id: 'p-1', status: 'awaiting_approval' };

type Case = ClientOperationCase<EnvironmentsApi>;

// Every operation of the spec, through EnvironmentsClient, on the wire.
const cases: Record<string, Case> = {
  listEnvironments: {
    call: api => api.listEnvironments(),
    method: 'GET',
    url: '/environments',
    answer: { items: [environment] },
    returns: [environment],
  },
  getEnvironment: {
    call: api => api.getEnvironment('qa'),
    method: 'GET',
    url: '/environments/qa',
    returns: environment,
  },
  createEnvironment: {
    call: api =>
      api.createEnvironment({
        name: 'qa',
        tier: 'staging',
        promotionOrder: 15,
        owner: 'group:default/platform-admins',
        target: { type: 'external' },
      }),
    method: 'POST',
    url: '/environments',
    body: {
      name: 'qa',
      tier: 'staging',
      promotionOrder: 15,
      owner: 'group:default/platform-admins',
      target: { type: 'external' },
    },
    status: 201,
    returns: environment,
  },
  updateEnvironment: {
    call: api => api.updateEnvironment('qa', { protected: true }),
    method: 'PATCH',
    url: '/environments/qa',
    body: { protected: true },
    returns: environment,
  },
  deleteEnvironment: {
    call: api => api.deleteEnvironment('qa'),
    method: 'DELETE',
    url: '/environments/qa',
    status: 204,
  },
  listActiveLocks: {
    call: api => api.listActiveLocks(),
    method: 'GET',
    url: '/locks',
    answer: { items: [lock] },
    returns: [lock],
  },
  listEnvironmentLocks: {
    call: api => api.listEnvironmentLocks('production'),
    method: 'GET',
    url: '/environments/production/locks',
    answer: { items: [lock] },
    returns: [lock],
  },
  lockEnvironment: {
    call: api =>
      api.lockEnvironment('production', {
        reason: 'release freeze',
        expiresAt: '2026-01-02T00:00:00.000Z',
      }),
    method: 'POST',
    url: '/environments/production/locks',
    body: { reason: 'release freeze', expiresAt: '2026-01-02T00:00:00.000Z' },
    status: 201,
    returns: lock,
  },
  releaseEnvironmentLock: {
    call: api => api.releaseEnvironmentLock('production', lock.id),
    method: 'DELETE',
    url: `/environments/production/locks/${lock.id}`,
    status: 204,
  },
  listDeployments: {
    call: api =>
      api.listDeployments({
        component: 'component:default/payments-api',
        environment: 'qa',
        limit: 5,
      }),
    method: 'GET',
    url: '/deployments?component=component%3Adefault%2Fpayments-api&environment=qa&limit=5',
    answer: { items: [deployment] },
    returns: [deployment],
  },
  listCurrentDeployments: {
    call: api => api.listCurrentDeployments({ environment: 'qa' }),
    method: 'GET',
    url: '/deployments/current?environment=qa',
    answer: { items: [] },
    returns: [],
  },
  getDeployment: {
    call: api => api.getDeployment('d-1'),
    method: 'GET',
    url: '/deployments/d-1',
    returns: deployment,
  },
  createDeployment: {
    call: api =>
      api.createDeployment({
        component: 'component:default/payments-api',
        environment: 'qa',
        version: '1.0.0',
        artifact: { image: 'registry/payments-api:1.0.0', digest: 'sha256:x' },
      }),
    method: 'POST',
    url: '/deployments',
    body: {
      component: 'component:default/payments-api',
      environment: 'qa',
      version: '1.0.0',
      artifact: { image: 'registry/payments-api:1.0.0', digest: 'sha256:x' },
    },
    status: 201,
    returns: deployment,
  },
  reportDeploymentStatus: {
    call: api => api.reportDeploymentStatus('d-1', { status: 'succeeded' }),
    method: 'POST',
    url: '/deployments/d-1/status',
    body: { status: 'succeeded' },
    returns: deployment,
  },
  listPromotions: {
    call: api => api.listPromotions({}),
    method: 'GET',
    url: '/promotions',
    answer: { items: [promotion] },
    returns: [promotion],
  },
  promote: {
    call: api =>
      api.promote({ component: 'component:default/payments-api', from: 'qa' }),
    method: 'POST',
    url: '/promotions',
    body: { component: 'component:default/payments-api', from: 'qa' },
    status: 202,
    returns: promotion,
  },
  approvePromotion: {
    call: api => api.approvePromotion('p-1'),
    method: 'POST',
    url: '/promotions/p-1/approve',
    returns: promotion,
  },
  rollback: {
    call: api =>
      api.rollback({
        component: 'component:default/payments-api',
        environment: 'qa',
      }),
    method: 'POST',
    url: '/rollbacks',
    body: { component: 'component:default/payments-api', environment: 'qa' },
    status: 201,
    returns: deployment,
  },
  listVariables: {
    call: api => api.listVariables('qa'),
    method: 'GET',
    url: '/environments/qa/variables',
    answer: { items: [{ name: 'LOG_LEVEL', value: 'info' }] },
    returns: [{ name: 'LOG_LEVEL', value: 'info' }],
  },
  setVariable: {
    call: api =>
      api.setVariable('qa', 'API_KEY', { value: 'k-1', secret: true }),
    method: 'PUT',
    url: '/environments/qa/variables/API_KEY',
    body: { value: 'k-1', secret: true },
    returns: { name: 'API_KEY', secret: true },
  },
  deleteVariable: {
    call: api => api.deleteVariable('qa', 'API_KEY'),
    method: 'DELETE',
    url: '/environments/qa/variables/API_KEY',
    status: 204,
  },
  createPreview: {
    call: api =>
      api.createPreview({
        component: 'component:default/payments-api',
        pullRequest: { number: 9 },
      }),
    method: 'POST',
    url: '/previews',
    body: {
      component: 'component:default/payments-api',
      pullRequest: { number: 9 },
    },
    status: 201,
    returns: environment,
  },
  tearDownPreview: {
    call: api => api.tearDownPreview('payments-api-pr-9'),
    method: 'DELETE',
    url: '/previews/payments-api-pr-9',
    status: 204,
  },
};

const wire = clientOnTheWire({
  pluginId: 'environments',
  createClient: discoveryApi => new EnvironmentsClient({ discoveryApi }),
  clientClass: EnvironmentsClient,
  generatedClass: DefaultApiClient,
  cases,
});

describe('EnvironmentsClient', () => {
  afterEach(() => wire.close());

  it.each(Object.entries(cases))(
    '%s sends its operation and gives back the body',
    (_, c) => wire.expectOperation(c),
  );

  it('tests every method of the API, and they reach every operation of the spec', () =>
    wire.expectEveryOperation());

  it('sends the token of a service-to-service call', async () => {
    const { client, requests } = await wire.clientAnswering(() => ({
      status: 200,
      body: { items: [] },
    }));
    await client.listActiveLocks({ token: 'service-token' });
    expect(requests[0].headers.authorization).toBe('Bearer service-token');
  });

  it('raises the backend error as a ResponseError with its status and message', async () => {
    const { client } = await wire.clientAnswering(() => ({
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: "Environment 'production' is locked",
        },
        request: { method: 'POST', url: '/api/environments/deployments' },
        response: { statusCode: 409 },
      },
    }));
    const error = await client
      .lockEnvironment('production', { reason: 'again' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe("Environment 'production' is locked");
  });
});
