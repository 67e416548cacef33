import { useApi } from '@backstage/core-plugin-api';
import { useEachSignal } from '@internal/platform-react';
import {
  ENVIRONMENTS_SIGNAL_CHANNEL,
  EnvironmentsChangeSignal,
} from '@internal/plugin-environments-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';

/**
 * Everything the Environments tab shows for a component, read again whenever
 * the backend signals a change to one of its deployments or promotions.
 */
export function useComponentDeployments(component: string) {
  const api = useApi(environmentsApiRef);
  const state = useAsyncRetry(async () => {
    const [environments, current, history, promotions] = await Promise.all([
      api.listEnvironments(),
      api.listCurrentDeployments({ component }),
      api.listDeployments({ component, limit: 200 }),
      api.listPromotions({ component }),
    ]);
    return { environments, current, history, promotions };
  }, [api, component]);

  const { retry } = state;
  useEachSignal<EnvironmentsChangeSignal>(
    ENVIRONMENTS_SIGNAL_CHANNEL,
    signal => {
      if (signal.component === component) retry();
    },
  );

  return state;
}
