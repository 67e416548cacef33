import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  Deployment,
  DeploymentHead,
  ENVIRONMENTS_SIGNAL_CHANNEL,
  Environment,
  EnvironmentsApi,
  Promotion,
} from '@internal/plugin-environments-common';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import {
  createTestSignalApi,
  renderWithPlatformApis,
} from '@internal/platform-react/testUtils';
import { environmentsApiRef } from '../../api';
import { EntityEnvironmentsContent } from './EntityEnvironmentsContent';

const component = 'component:default/payments-api';
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

const tiers: Record<string, Environment['tier']> = {
  dev: 'development',
  staging: 'staging',
  production: 'production',
};
const env = (name: string, order: number): Environment => ({
  name,
  title: name[0].toUpperCase() + name.slice(1),
  tier: tiers[name],
  promotionOrder: order,
  owner: 'group:default/platform-admins',
  target: { type: 'external' },
  protected: name === 'production',
  createdAt: '2026-11-25T10:00:00.000Z',
  createdBy: 'user:default/ada',
  updatedAt: '2026-11-25T10:00:00.000Z',
  updatedBy: 'user:default/ada',
});
const environments = [
  env('dev', 10),
  env('staging', 20),
  env('production', 30),
];

const deployment = (
  version: string,
  status: Deployment['status'],
  extra: Partial<Deployment> = {},
): Deployment => ({
  id: `id-${version}`,
  component,
  environment: 'dev',
  version,
  artifact: {
    image: `registry.local/payments-api:${version}`,
    digest: `sha256:${'c0ffee'.repeat(10)}abcd`,
  },
  status,
  trigger: { type: 'user', user: 'user:default/priya' },
  deployer: 'external',
  createdAt: '2026-11-25T11:00:00.000Z',
  ...(status === 'succeeded' ? { finishedAt: '2026-11-25T11:01:00.000Z' } : {}),
  ...extra,
});

const v140 = deployment('1.4.0', 'succeeded');
const v150 = deployment('1.5.0', 'succeeded', {
  previousDeploymentId: v140.id,
});
const v160 = deployment('1.6.0', 'failed', { message: 'crash loop' });
const devHead: DeploymentHead = {
  component,
  environment: 'dev',
  latest: v160,
  live: v150,
};

const awaiting: Promotion = {
  id: 'promo-1',
  component,
  from: 'staging',
  to: 'production',
  version: '1.4.0',
  artifact: v140.artifact,
  sourceDeploymentId: 'id-staging',
  status: 'awaiting_approval',
  requestedBy: 'user:default/priya',
  createdAt: '2026-11-25T12:00:00.000Z',
};

/** A signal API whose test pushes messages on the environments channel. */
function fakeSignals() {
  return createTestSignalApi(ENVIRONMENTS_SIGNAL_CHANNEL);
}

function renderWith(
  overrides: Partial<EnvironmentsApi>,
  options: { allowed?: boolean; signals?: SignalApi } = {},
) {
  const api: Partial<EnvironmentsApi> = {
    listEnvironments: async () => environments,
    listCurrentDeployments: async () => [devHead],
    listDeployments: async () => [v160, v150, v140],
    listPromotions: async () => [],
    ...overrides,
  };
  return renderWithPlatformApis(
    <EntityProvider entity={entity}>
      <EntityEnvironmentsContent />
    </EntityProvider>,
    { apis: [[environmentsApiRef, api]], ...options },
  );
}

describe('EntityEnvironmentsContent', () => {
  it('shows what runs in each environment, the latest attempt and the history', async () => {
    const listCurrentDeployments = jest.fn(async () => [devHead]);
    await renderWith({ listCurrentDeployments });
    expect(await screen.findByText('Deployed versions')).toBeInTheDocument();
    expect(listCurrentDeployments).toHaveBeenCalledWith({ component });
    // dev runs 1.5.0; the failed 1.6.0 is shown with its reason.
    expect(screen.getByText('1.6.0: crash loop')).toBeInTheDocument();
    expect(screen.getAllByText('Not deployed')).toHaveLength(2);
    expect(screen.getByText('Deployment history')).toBeInTheDocument();
    expect(screen.getAllByText('Failed').length).toBeGreaterThan(0);
  });

  it('promotes after confirmation, to the next environment of the path', async () => {
    const promote = jest.fn(async () => ({
      ...awaiting,
      from: 'dev',
      to: 'staging',
      status: 'deployed' as const,
    }));
    await renderWith({ promote });
    fireEvent.click(await screen.findByText('Promote to Staging'));
    expect(screen.getByText('Promote 1.5.0 to Staging?')).toBeInTheDocument();
    expect(promote).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
    await waitFor(() =>
      expect(promote).toHaveBeenCalledWith({
        component,
        from: 'dev',
        to: 'staging',
      }),
    );
  });

  it('rolls back after confirmation, and names the version it restores', async () => {
    const rollback = jest.fn(async () => deployment('1.4.0', 'pending'));
    await renderWith({ rollback });
    fireEvent.click(await screen.findByText('Roll back'));
    expect(
      screen.getByText(/replaced by the version it replaced, 1\.4\.0/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(rollback).toHaveBeenCalledWith({ component, environment: 'dev' }),
    );
  });

  it('approves a waiting promotion, and shows why when the backend refuses', async () => {
    const approvePromotion = jest.fn(async () => {
      throw new Error('You requested this promotion; someone else must');
    });
    await renderWith({
      listPromotions: async () => [awaiting],
      approvePromotion,
    });
    expect(await screen.findByText('Waiting for approval')).toBeInTheDocument();
    expect(screen.getByText('1.4.0: staging → production')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    fireEvent.click(screen.getByRole('button', { name: 'Approve and deploy' }));
    expect(
      await screen.findByText(
        'You requested this promotion; someone else must',
      ),
    ).toBeInTheDocument();
    expect(approvePromotion).toHaveBeenCalledWith('promo-1');
  });

  it('deploys from the dialog, which checks the fields and leaves protected environments out', async () => {
    const createDeployment = jest.fn(async () =>
      deployment('1.7.0', 'pending'),
    );
    await renderWith({ createDeployment });
    fireEvent.click(await screen.findByRole('button', { name: 'Deploy' }));
    const dialog = await screen.findByRole('dialog');
    const digest = screen.getByLabelText('Digest');
    fireEvent.change(screen.getByLabelText('Version'), {
      target: { value: '1.7.0' },
    });
    fireEvent.change(digest, { target: { value: 'md5:nope' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Deploy' }).pop()!);
    expect(
      await screen.findByText('Digest: sha256: and 64 hex digits'),
    ).toBeInTheDocument();
    expect(createDeployment).not.toHaveBeenCalled();

    fireEvent.mouseDown(screen.getByLabelText('Environment'));
    expect(screen.queryByRole('option', { name: 'Production' })).toBeNull();
    fireEvent.click(screen.getByRole('option', { name: 'Staging' }));
    fireEvent.change(digest, {
      target: { value: `sha256:${'ab'.repeat(32)}` },
    });
    fireEvent.click(screen.getAllByRole('button', { name: 'Deploy' }).pop()!);
    await waitFor(() =>
      expect(createDeployment).toHaveBeenCalledWith({
        component,
        environment: 'staging',
        version: '1.7.0',
        artifact: {
          image: v160.artifact.image,
          digest: `sha256:${'ab'.repeat(32)}`,
        },
      }),
    );
    expect(dialog).not.toBeInTheDocument();
  });

  it('offers no actions to those who may not deploy the component', async () => {
    await renderWith({}, { allowed: false });
    expect(await screen.findByText('Deployed versions')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText('Promote to Staging')).toBeNull(),
    );
    expect(screen.queryByText('Roll back')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Deploy' })).toBeNull();
  });

  it('reads again when the backend signals a change to this component', async () => {
    const signals = fakeSignals();
    const listCurrentDeployments = jest
      .fn()
      .mockResolvedValueOnce([])
      .mockResolvedValue([devHead]);
    await renderWith({ listCurrentDeployments }, { signals: signals.api });
    expect(await screen.findAllByText('Not deployed')).toHaveLength(3);
    act(() =>
      signals.push({
        kind: 'deployment',
        component: 'component:default/other',
        environment: 'dev',
        id: 'x',
        status: 'pending',
      }),
    );
    expect(listCurrentDeployments).toHaveBeenCalledTimes(1);
    act(() =>
      signals.push({
        kind: 'deployment',
        component,
        environment: 'dev',
        id: v160.id,
        status: 'failed',
      }),
    );
    expect(await screen.findByText('1.6.0: crash loop')).toBeInTheDocument();
    expect(listCurrentDeployments).toHaveBeenCalledTimes(2);
  });

  it('says how to deploy when nothing is deployed yet', async () => {
    await renderWith({
      listCurrentDeployments: async () => [],
      listDeployments: async () => [],
    });
    expect(
      await screen.findByText('Not deployed anywhere yet'),
    ).toBeInTheDocument();
  });
});
