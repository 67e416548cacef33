import {
  createApiFactory,
  createPlugin,
  createComponentExtension,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { EnvironmentsClient } from '@internal/plugin-environments-common';
import { environmentsApiRef } from './api';
import { rootRouteRef } from './routes';

/** The Environment Manager's frontend plugin. @public */
export const environmentsPlugin = createPlugin({
  id: 'environments',
  apis: [
    createApiFactory({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new EnvironmentsClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The Environments page: every environment, its tier, owner and target. @public */
export const EnvironmentsPage = environmentsPlugin.provide(
  createRoutableExtension({
    name: 'EnvironmentsPage',
    component: () =>
      import('./components/EnvironmentsPage').then(m => m.EnvironmentsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The Environments tab of a component page. @public */
export const EntityEnvironmentsContent = environmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentsContent',
    component: {
      lazy: () =>
        import('./components/EntityEnvironmentsContent').then(
          m => m.EntityEnvironmentsContent,
        ),
    },
  }),
);
