import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  Environment,
  EnvironmentsApi,
} from '@internal/plugin-environments-common';
import { CombinedClustersSupplier } from './CombinedClustersSupplier';
import { EnvironmentClustersSupplier } from './EnvironmentClustersSupplier';

const connection = (name: string) => ({
  name,
  url: `https://${name}.example.com:6443`,
  serviceAccountToken: `token-${name}`,
  skipTLSVerify: false,
  skipMetricsLookup: true,
});

const environment = (name: string, target: Environment['target']) =>
  ({ name, target } as Environment);

const credentials = mockCredentials.service();

describe('EnvironmentClustersSupplier', () => {
  const logger = mockServices.logger.mock();
  let environments: Environment[];
  let failure: Error | undefined;
  const tokens: Array<string | undefined> = [];
  const api = {
    async listEnvironments(options?: { token?: string }) {
      tokens.push(options?.token);
      if (failure) throw failure;
      return environments;
    },
  } as Partial<EnvironmentsApi> as EnvironmentsApi;

  beforeEach(() => {
    jest.clearAllMocks();
    failure = undefined;
    tokens.length = 0;
    environments = [
      environment('dev', {
        type: 'kubernetes',
        cluster: 'a',
        namespacePattern: '{component}',
      }),
      environment('qa', {
        type: 'kubernetes',
        cluster: 'a',
        namespacePattern: 'qa',
      }),
      environment('prod', {
        type: 'kubernetes',
        cluster: 'missing',
        namespacePattern: 'p',
      }),
      environment('ext', { type: 'external' }),
    ];
  });

  function supplier() {
    return new EnvironmentClustersSupplier({
      connections: [connection('a'), connection('b')],
      environments: api,
      auth: mockServices.auth(),
      logger,
    });
  }

  it('supplies each cluster environments use once, with its connection', async () => {
    const clusters = await supplier().getClusters();
    expect(clusters).toEqual([
      {
        name: 'a',
        url: 'https://a.example.com:6443',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'token-a',
        },
        skipTLSVerify: false,
        skipMetricsLookup: true,
      },
    ]);
    // Read with a service token for the environments plugin.
    expect(tokens).toEqual([expect.stringContaining('environments')]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      "Environments prod deploy to cluster 'missing', which environments.kubernetes.clusters does not configure; the Kubernetes plugin leaves it out",
    );
  });

  it('keeps the clusters it had when reading the environments fails', async () => {
    const target = supplier();
    await target.refresh();
    failure = new Error('environments backend down');
    await expect(target.refresh()).rejects.toThrow('environments backend down');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('Could not read the environments'),
      failure,
    );
    expect((await target.getClusters()).map(c => c.name)).toEqual(['a']);

    failure = undefined;
    environments.push(
      environment('staging', {
        type: 'kubernetes',
        cluster: 'b',
        namespacePattern: 's',
      }),
    );
    await target.refresh();
    expect((await target.getClusters()).map(c => c.name)).toEqual(['a', 'b']);
  });
});

describe('CombinedClustersSupplier', () => {
  it('keeps the configured clusters first, and they win over a namesake', async () => {
    const logger = mockServices.logger.mock();
    const cluster = (name: string, url: string) =>
      ({ name, url, authMetadata: {} } as ClusterDetails);
    const combined = new CombinedClustersSupplier(
      { getClusters: async () => [cluster('shared', 'https://configured')] },
      {
        getClusters: async () => [
          cluster('shared', 'https://environments'),
          cluster('env-only', 'https://environments'),
        ],
      },
      logger,
    );
    const clusters = await combined.getClusters({ credentials });
    expect(clusters.map(c => [c.name, c.url])).toEqual([
      ['shared', 'https://configured'],
      ['env-only', 'https://environments'],
    ]);
    await combined.getClusters({ credentials });
    expect(logger.warn).toHaveBeenCalledTimes(1);

    const withoutConfigured = new CombinedClustersSupplier(
      undefined,
      { getClusters: async () => [cluster('env-only', 'https://e')] },
      logger,
    );
    expect(await withoutConfigured.getClusters({ credentials })).toHaveLength(
      1,
    );
  });
});
