import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EnvironmentsApi,
  Environment,
} from '@internal/plugin-environments-common';
import { screen } from '@testing-library/react';
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
    <TestApiProvider apis={[[environmentsApiRef, api]]}>
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

  it('says what to do when there are no environments', async () => {
    await renderWith({
      listEnvironments: async () => [],
      listActiveLocks: async () => [],
    });
    expect(await screen.findByText('No environments yet')).toBeInTheDocument();
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
