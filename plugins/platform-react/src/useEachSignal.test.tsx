import { act, render } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { createTestSignalApi } from './testUtils';
import { useEachSignal } from './useEachSignal';

function Listener(props: { onSignal: (signal: { n: number }) => void }) {
  // A new callback at every render, as components pass them.
  useEachSignal<{ n: number }>('test', signal => props.onSignal(signal));
  return null;
}

describe('useEachSignal', () => {
  it('calls back once per message, however often the component renders', () => {
    const signals = createTestSignalApi('test');
    const seen: number[] = [];
    const onSignal = (s: { n: number }) => seen.push(s.n);
    const tree = () => (
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        <Listener onSignal={onSignal} />
      </TestApiProvider>
    );
    const { rerender } = render(tree());
    act(() => signals.push({ n: 1 }));
    rerender(tree());
    rerender(tree());
    act(() => signals.push({ n: 2 }));
    rerender(tree());
    expect(seen).toEqual([1, 2]);
  });
});
