import { createApiRef } from '@backstage/core-plugin-api';
import { PipelinesApi } from '@internal/plugin-pipelines-common';

/** The pipelines API in the frontend. @public */
export const pipelinesApiRef = createApiRef<PipelinesApi>({
  id: 'plugin.pipelines.service',
});
