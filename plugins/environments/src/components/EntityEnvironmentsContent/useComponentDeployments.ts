import { useEffect, useRef } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
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

  const { lastSignal } = useSignal<EnvironmentsChangeSignal>(
    ENVIRONMENTS_SIGNAL_CHANNEL,
  );
  // Each signal reloads once, however often retry's identity changes.
  const handled = useRef<EnvironmentsChangeSignal | null>(null);
  const { retry } = state;
  useEffect(() => {
    if (lastSignal && lastSignal !== handled.current) {
      handled.current = lastSignal;
      if (lastSignal.component === component) retry();
    }
  }, [lastSignal, component, retry]);

  return state;
}
