import { ReactElement } from 'react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  PIPELINES_SIGNAL_CHANNEL,
  PipelineRunView,
  PipelinesApi,
} from '@internal/plugin-pipelines-common';
import {
  createTestSignalApi,
  renderWithPlatformApis,
} from '@internal/platform-react/testUtils';
import { pipelinesApiRef } from '../../api';
import { rootRouteRef } from '../../routes';

export const component = 'component:default/payments-api';

export const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

const commit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A run with sensible defaults. */
export function aRun(extra: Partial<PipelineRunView> = {}): PipelineRunView {
  return {
    id: 'run-1',
    component,
    number: 1,
    repository: 'launchpad-examples/payments-api',
    ref: 'refs/heads/main',
    branch: 'main',
    commit,
    trigger: { type: 'push', branch: 'main', commit, deliveryId: 7 },
    status: 'succeeded',
    attempt: 1,
    definitionSource: 'repository',
    createdAt: '2026-11-25T10:00:00.000Z',
    startedAt: '2026-11-25T10:00:01.000Z',
    finishedAt: '2026-11-25T10:02:01.000Z',
    ...extra,
  };
}

/** A signal API whose test pushes messages on the pipelines channel. */
export function fakeSignals() {
  return createTestSignalApi(PIPELINES_SIGNAL_CHANNEL);
}

/**
 * Renders `element` with a pipelines API of `overrides`, a permission API
 * allowing or denying everything, and the routes its links need.
 */
export function renderWithApis(
  element: ReactElement,
  overrides: Partial<PipelinesApi>,
  options: {
    allowed?: boolean;
    signals?: SignalApi;
    routeEntries?: string[];
  } = {},
) {
  const api: Partial<PipelinesApi> = {
    listRuns: async () => ({ items: [] }),
    listDeliveries: async () => ({ items: [] }),
    ...overrides,
  };
  return renderWithPlatformApis(element, {
    apis: [[pipelinesApiRef, api]],
    allowed: options.allowed,
    signals: options.signals,
    mountedRoutes: {
      '/pipelines': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    routeEntries: options.routeEntries,
  });
}
