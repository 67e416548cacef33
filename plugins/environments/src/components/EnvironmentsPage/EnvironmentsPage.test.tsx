import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EnvironmentsApi,
  Environment,
} from '@internal/plugin-environments-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { environmentsApiRef } from '../../api';
import { EnvironmentsPage } from './EnvironmentsPage';

const environment = (overrides: Partial<Environment>): Environment => ({
  name: 'dev',
  tier: 'development',
  promotionOrder: 10,
  owner: 'group:default/platform-admins',
  target: { type: 'external', system: 'argocd' },
  protected: false,
  createdAt: '2026-11-25T10:00:00.000Z',
  createdBy: 'user:default/ada',
  updatedAt: '2026-11-25T10:00:00.000Z',
  updatedBy: 'user:default/ada',
  ...overrides,
});

function renderWith(api: Partial<EnvironmentsApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          environmentsApiRef,
          { listCurrentDeployments: async () => [], ...api },
        ],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EnvironmentsPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EnvironmentsPage', () => {
  it('lists environments with their tier, owner, target and protection', async () => {
    await renderWith({
      listActiveLocks: async () => [
        {
          id: 'l1',
          environment: 'production',
          reason: 'Black Friday freeze',
          createdBy: 'user:default/ada',
          createdAt: '2026-11-25T10:00:00.000Z',
        },
      ],
      listEnvironments: async () => [
        environment({}),
        environment({
          name: 'production',
          title: 'Production',
          tier: 'production',
          promotionOrder: 30,
          protected: true,
          target: {
            type: 'kubernetes',
            cluster: 'eu-1',
            namespacePattern: '{component}-prod',
          },
        }),
      ],
    });
    expect(await screen.findByText('Environments (2)')).toBeInTheDocument();
    expect(screen.getByText('Production')).toBeInTheDocument();
    expect(
      screen.getByText('Kubernetes eu-1 / {component}-prod'),
    ).toBeInTheDocument();
    expect(screen.getByText('External (argocd)')).toBeInTheDocument();
    expect(screen.getByText('Protected')).toBeInTheDocument();
    expect(screen.getAllByText('platform-admins')).toHaveLength(2);
    expect(screen.getByText('Locked: Black Friday freeze')).toBeInTheDocument();
    expect(screen.getByText('Deployable')).toBeInTheDocument();
  });

  it('shows when previews expire, for which pull request, and a failing tear-down', async () => {
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000 + 600_000);
    const preview = (name: string, number: number, extra = {}) =>
      environment({
        name,
        tier: 'preview',
        promotionOrder: 5,
        preview: {
          component: 'component:default/payments-api',
          pullRequest: {
            number,
            url: `https://git.example.com/pulls/${number}`,
            branch: `feature/${number}`,
          },
          expiresAt: inTwoDays.toISOString(),
          ...extra,
        },
      });
    await renderWith({
      listActiveLocks: async () => [],
      listEnvironments: async () => [
        environment({}),
        preview('payments-api-pr-42', 42),
        preview('payments-api-pr-7', 7, {
          expiresAt: new Date(Date.now() - 3_600_000).toISOString(),
          teardown: {
            startedAt: new Date().toISOString(),
            requestedBy: 'plugin:environments/preview-ttl',
            removed: [],
            attempts: 2,
            lastError: 'Error: cluster unreachable',
          },
        }),
      ],
    });
    expect(await screen.findByText('Expires in 2 days')).toBeInTheDocument();
    expect(screen.getByText('PR #42').closest('a')).toHaveAttribute(
      'href',
      'https://git.example.com/pulls/42',
    );
    expect(screen.getByText(/feature\/42/)).toBeInTheDocument();
    expect(screen.getByText('Expired 1 hour ago')).toBeInTheDocument();
    expect(screen.getByText('Tear-down failing')).toBeInTheDocument();
  });

  it('opens the variables of an environment', async () => {
    const listVariables = jest.fn(async () => [
      {
        name: 'API_KEY',
        secret: true,
        updatedAt: '2026-11-25T10:00:00.000Z',
        updatedBy: 'user:default/ada',
      },
    ]);
    await renderWith({
      listActiveLocks: async () => [],
      listEnvironments: async () => [environment({})],
      listVariables,
    });
    fireEvent.click(await screen.findByLabelText('Variables of dev'));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('API_KEY')).toBeInTheDocument();
    expect(within(dialog).getByText('••••••••')).toBeInTheDocument();
    expect(listVariables).toHaveBeenCalledWith('dev');
  });

  it('shows what runs in each environment', async () => {
    const head = (component: string, version: string, live = true) => {
      const deployment = {
        id: `${component}-${version}`,
        component,
        environment: 'dev',
        version,
        artifact: {
          image: 'registry.local/x',
          digest: `sha256:${'a'.repeat(64)}`,
        },
        status: 'succeeded' as const,
        trigger: { type: 'user' as const, user: 'user:default/ada' },
        deployer: 'external',
        createdAt: '2026-11-25T10:00:00.000Z',
      };
      return {
        component,
        environment: 'dev',
        latest: deployment,
        ...(live ? { live: deployment } : {}),
      };
    };
    const listCurrentDeployments = jest.fn(
      async ({ environment: name }: { environment?: string }) =>
        name === 'dev'
          ? [
              head('component:default/payments-api', '1.4.0'),
              head('component:default/web-shop', '2.0.0'),
              // Deployed but never succeeded: nothing runs there yet.
              head('component:default/refunds-worker', '0.1.0', false),
            ]
          : [],
    );
    await renderWith({
      listActiveLocks: async () => [],
      listEnvironments: async () => [
        environment({}),
        environment({ name: 'staging', tier: 'staging', promotionOrder: 20 }),
      ],
      listCurrentDeployments,
    });
    expect(await screen.findByText('payments-api')).toBeInTheDocument();
    expect(screen.getByText('web-shop')).toBeInTheDocument();
    expect(screen.queryByText('refunds-worker')).toBeNull();
    expect(screen.getByText('Nothing yet')).toBeInTheDocument();
    expect(listCurrentDeployments).toHaveBeenCalledWith({ environment: 'dev' });
    expect(listCurrentDeployments).toHaveBeenCalledWith({
      environment: 'staging',
    });
  });

  it('says what to do when there are no environments', async () => {
    await renderWith({
      listEnvironments: async () => [],
      listActiveLocks: async () => [],
    });
    expect(await screen.findByText('No environments yet')).toBeInTheDocument();
    expect(screen.getByText(/Create an environment/)).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderWith({
      listEnvironments: async () => {
        throw new Error('backend down');
      },
      listActiveLocks: async () => [],
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
