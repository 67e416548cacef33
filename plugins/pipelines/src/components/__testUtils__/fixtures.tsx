import { ReactElement } from 'react';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  PipelineRunView,
  PipelinesApi,
} from '@internal/plugin-pipelines-common';
import { SWRConfig } from 'swr';
import { pipelinesApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { PIPELINES_SIGNAL_CHANNEL } from '@internal/plugin-pipelines-common';

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
  const listeners = new Map<string, (m: any) => void>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, onMessage as (m: any) => void);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  return {
    api,
    push: (message: object) =>
      listeners.get(PIPELINES_SIGNAL_CHANNEL)?.(message),
  };
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
  const permissions = new MockPermissionApi(() =>
    options.allowed === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [permissionApiRef, permissions],
        [signalApiRef, options.signals ?? fakeSignals().api],
      ]}
    >
      {/* usePermission caches decisions in SWR; a cache per test keeps one
          test's answer from showing in the next. */}
      <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/pipelines': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      routeEntries: options.routeEntries,
    },
  );
}
