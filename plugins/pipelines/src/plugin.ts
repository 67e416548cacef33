import {
  createApiFactory,
  createPlugin,
  createComponentExtension,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { PipelinesClient } from '@internal/plugin-pipelines-common';
import { pipelinesApiRef } from './api';
import { rootRouteRef, runRouteRef } from './routes';

/** The Pipeline Engine's frontend plugin. @public */
export const pipelinesPlugin = createPlugin({
  id: 'pipelines',
  apis: [
    createApiFactory({
      api: pipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PipelinesClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, run: runRouteRef },
});

/**
 * The Pipelines page: runs of every component and the webhook deliveries,
 * and under `runs/:runId` the page of one run.
 *
 * @public
 */
export const PipelinesPage = pipelinesPlugin.provide(
  createRoutableExtension({
    name: 'PipelinesPage',
    component: () =>
      import('./components/PipelinesPage').then(m => m.PipelinesPage),
    mountPoint: rootRouteRef,
  }),
);

/** The Pipelines tab of a component page: its runs, and Run pipeline. @public */
export const EntityPipelinesContent = pipelinesPlugin.provide(
  createComponentExtension({
    name: 'EntityPipelinesContent',
    component: {
      lazy: () =>
        import('./components/EntityPipelinesContent').then(
          m => m.EntityPipelinesContent,
        ),
    },
  }),
);

/**
 * The DORA tab of a Component page (its figures) or a Group page (over the
 * components it owns): deployment frequency, lead time for changes, change
 * failure rate and time to restore, per week, with DORA's bands.
 *
 * @public
 */
export const EntityDoraContent = pipelinesPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraContent',
    component: {
      lazy: () =>
        import('./components/DoraCharts').then(m => m.EntityDoraContent),
    },
  }),
);
