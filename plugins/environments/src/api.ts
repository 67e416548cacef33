import { createApiRef } from '@backstage/core-plugin-api';
import { EnvironmentsApi } from '@internal/plugin-environments-common';

/** The environments API in the frontend. @public */
export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.service',
});
