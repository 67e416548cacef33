import { ReactElement } from 'react';
import { ApiRef } from '@backstage/core-plugin-api';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
  TestAppOptions,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { SWRConfig } from 'swr';
import { createTestSignalApi } from './createTestSignalApi';

/**
 * Options of {@link renderWithPlatformApis}.
 *
 * @public
 */
export type RenderWithPlatformApisOptions = Pick<
  TestAppOptions,
  'mountedRoutes' | 'routeEntries'
> & {
  /** The plugin's own APIs (and any other), as pairs of ref and implementation. */
  apis?: ReadonlyArray<readonly [ApiRef<any>, object]>;
  /** Whether the permission API allows every request; default true. */
  allowed?: boolean;
  /** The signal API; default one nobody pushes on. */
  signals?: SignalApi;
};

/**
 * Renders `element` in a test app as the platform's plugin pages run: with
 * the given APIs, a permission API that allows (or denies) everything, a
 * signal API, and a fresh SWR cache.
 *
 * @public
 */
export function renderWithPlatformApis(
  element: ReactElement,
  options: RenderWithPlatformApisOptions = {},
) {
  const permissions = new MockPermissionApi(() =>
    options.allowed === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  );
  const apis: Array<readonly [ApiRef<any>, object]> = [
    ...(options.apis ?? []),
    [permissionApiRef, permissions],
    [signalApiRef, options.signals ?? createTestSignalApi('').api],
  ];
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      {/* usePermission caches decisions in SWR; a cache per test keeps one
          test's answer from showing in the next. */}
      <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: options.mountedRoutes,
      routeEntries: options.routeEntries,
    },
  );
}
