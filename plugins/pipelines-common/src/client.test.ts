import { ResponseError } from '@backstage/errors';
import {
  ClientOperationCase,
  clientOnTheWire,
} from '@internal/platform-common/testUtils';
import { PipelinesApi, PipelinesClient } from './client';
import { DefaultApiClient } from './schema/openapi';

const run = { id: 'r-1', component: 'component:default/payments-api' };
const page = { items: [{ id: 4, status: 'matched' }], nextCursor: 'c-2' };

type Case = ClientOperationCase<PipelinesApi>;

// Every operation of the spec, through PipelinesClient, on the wire.
const cases: Record<string, Case> = {
  listDeliveries: {
    call: api =>
      api.listDeliveries({ status: 'unmatched', limit: 50, cursor: 'c-1' }),
    method: 'GET',
    url: '/deliveries?status=unmatched&limit=50&cursor=c-1',
    returns: page,
  },
  getDelivery: {
    call: api => api.getDelivery(4),
    method: 'GET',
    url: '/deliveries/4',
    returns: page.items[0],
  },
  listRuns: {
    call: api =>
      api.listRuns({
        component: 'component:default/payments-api',
        status: 'failed',
        offset: 20,
      }),
    method: 'GET',
    url: '/runs?component=component%3Adefault%2Fpayments-api&status=failed&offset=20',
    returns: { items: [run] },
  },
  getRun: {
    call: api => api.getRun('r-1'),
    method: 'GET',
    url: '/runs/r-1',
    returns: run,
  },
  triggerRun: {
    call: api =>
      api.triggerRun({ component: 'payments-api', branch: 'release/1.x' }),
    method: 'POST',
    url: '/runs',
    body: { component: 'payments-api', branch: 'release/1.x' },
    status: 201,
    returns: run,
  },
  cancelRun: {
    call: api => api.cancelRun('r-1'),
    method: 'POST',
    url: '/runs/r-1/cancel',
    returns: run,
  },
  rerunRun: {
    call: api => api.rerunRun('r-1', { failedOnly: true }),
    method: 'POST',
    url: '/runs/r-1/rerun',
    body: { failedOnly: true },
    returns: run,
  },
  getStepLogs: {
    call: api =>
      api.getStepLogs({ runId: 'r-1', step: '.checkout', after: 12, limit: 3 }),
    method: 'GET',
    url: '/runs/r-1/steps/.checkout/logs?after=12&limit=3',
    returns: { items: [], complete: true },
  },
  getDoraFigures: {
    call: api =>
      api.getDoraFigures({
        owner: 'group:default/team-payments',
        from: '2026-09-01',
      }),
    method: 'GET',
    url: '/dora?owner=group%3Adefault%2Fteam-payments&from=2026-09-01',
    returns: { environment: 'production', weeks: [] },
  },
};

const wire = clientOnTheWire({
  pluginId: 'pipelines',
  createClient: discoveryApi => new PipelinesClient({ discoveryApi }),
  clientClass: PipelinesClient,
  generatedClass: DefaultApiClient,
  cases,
});

describe('PipelinesClient', () => {
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
      body: run,
    }));
    await client.getRun('r-1', { token: 'service-token' });
    expect(requests[0].headers.authorization).toBe('Bearer service-token');
  });

  it('raises the backend error as a ResponseError with its status and message', async () => {
    const { client } = await wire.clientAnswering(() => ({
      status: 409,
      body: {
        error: { name: 'ConflictError', message: 'Run r-1 is still running' },
        request: { method: 'POST', url: '/api/pipelines/runs/r-1/rerun' },
        response: { statusCode: 409 },
      },
    }));
    const error = await client.rerunRun('r-1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('Run r-1 is still running');
  });
});
