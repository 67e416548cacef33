import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';

/** What a signal carries: a JSON object. */
type SignalMessage = NonNullable<ReturnType<typeof useSignal>['lastSignal']>;

/**
 * Calls `onSignal` once for each message the backend sends on `channel`.
 * `useSignal` gives only the last message, and an effect on it runs again
 * whenever the callback's identity changes: this remembers the message it
 * handled, so a re-render never handles it twice.
 *
 * @public
 */
export function useEachSignal<TMessage extends SignalMessage>(
  channel: string,
  onSignal: (signal: TMessage) => void,
): void {
  const { lastSignal } = useSignal<TMessage>(channel);
  const handled = useRef<TMessage | null>(null);
  useEffect(() => {
    if (lastSignal && lastSignal !== handled.current) {
      handled.current = lastSignal;
      onSignal(lastSignal);
    }
  }, [lastSignal, onSignal]);
}
