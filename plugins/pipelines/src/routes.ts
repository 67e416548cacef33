import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The Pipelines page. */
export const rootRouteRef = createRouteRef({ id: 'pipelines' });

/** One run: its stages, logs, artifacts and deployments. */
export const runRouteRef = createSubRouteRef({
  id: 'pipelines/run',
  parent: rootRouteRef,
  path: '/runs/:runId',
});
