import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  Deployment,
  Environment,
  EnvironmentsApi,
} from '@internal/plugin-environments-common';
import { screen } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { EntityEnvironmentsContent } from './EntityEnvironmentsContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

const env = (name: string, order: number): Environment => ({
  name,
  title: name[0].toUpperCase() + name.slice(1),
  tier: name === 'production' ? 'production' : 'development',
  promotionOrder: order,
  owner: 'group:default/platform-admins',
  target: { type: 'external' },
  protected: name === 'production',
  createdAt: '2026-11-25T10:00:00.000Z',
  createdBy: 'user:default/ada',
  updatedAt: '2026-11-25T10:00:00.000Z',
  updatedBy: 'user:default/ada',
});

const deployment = (
  version: string,
  status: Deployment['status'],
  createdAt: string,
): Deployment => ({
  id: `id-${version}`,
  component: 'component:default/payments-api',
  environment: 'dev',
  version,
  artifact: {
    image: `registry.local/payments-api:${version}`,
    digest: `sha256:${'c0ffee'.repeat(10)}abcd`,
  },
  status,
  trigger: { type: 'user', user: 'user:default/priya' },
  deployer: 'external',
  createdAt,
  ...(status === 'succeeded' ? { finishedAt: createdAt } : {}),
});

function renderWith(api: Partial<EnvironmentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[environmentsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityEnvironmentsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityEnvironmentsContent', () => {
  it('shows the latest version per environment and the history', async () => {
    const listDeployments = jest.fn(async () => [
      deployment('1.5.0', 'in_progress', '2026-11-25T12:00:00.000Z'),
      deployment('1.4.0', 'succeeded', '2026-11-25T11:00:00.000Z'),
    ]);
    await renderWith({
      listEnvironments: async () => [env('dev', 10), env('production', 30)],
      listDeployments,
    });
    expect(await screen.findByText('Deployed versions')).toBeInTheDocument();
    expect(listDeployments).toHaveBeenCalledWith({
      component: 'component:default/payments-api',
      limit: 200,
    });
    expect(screen.getByText('Not deployed')).toBeInTheDocument();
    expect(screen.getByText('Deployment history')).toBeInTheDocument();
    expect(screen.getAllByText('1.5.0')).toHaveLength(2);
    expect(screen.getAllByText('In progress').length).toBeGreaterThan(0);
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
  });

  it('says how to deploy when nothing is deployed yet', async () => {
    await renderWith({
      listEnvironments: async () => [env('dev', 10)],
      listDeployments: async () => [],
    });
    expect(
      await screen.findByText('Not deployed anywhere yet'),
    ).toBeInTheDocument();
  });
});
