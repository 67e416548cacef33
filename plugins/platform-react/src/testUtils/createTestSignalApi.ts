import { SignalApi } from '@backstage/plugin-signals-react';

/**
 * A signal API for tests, and `push` to deliver a message to whoever
 * subscribed to `channel`, as the signals backend would.
 *
 * @public
 */
export function createTestSignalApi(channel: string): {
  api: SignalApi;
  push: (message: object) => void;
} {
  const listeners = new Map<string, (message: any) => void>();
  const api: SignalApi = {
    subscribe(subscribed, onMessage) {
      listeners.set(subscribed, onMessage as (message: any) => void);
      return { unsubscribe: () => listeners.delete(subscribed) };
    },
  };
  return { api, push: message => listeners.get(channel)?.(message) };
}
