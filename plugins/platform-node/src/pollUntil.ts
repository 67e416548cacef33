import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads a thing again every `intervalMs` until `done` says it has arrived
 * where it was going (a run or a deployment in a final state), and returns
 * it. Past `timeoutMs` it throws what `onTimeout` makes of the last reading;
 * an aborted `signal` stops the wait with its reason.
 *
 * @public
 */
export async function pollUntil<T>(options: {
  /** The reading to start from; returned as it is when already done. */
  initial: T;
  done: (value: T) => boolean;
  /** The next reading, from the last one. */
  read: (last: T) => Promise<T>;
  timeoutMs: number;
  intervalMs: number;
  onTimeout: (last: T) => Error;
  signal?: AbortSignal;
}): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let current = options.initial;
  while (!options.done(current)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw options.onTimeout(current);
    }
    await sleep(Math.min(options.intervalMs, left), undefined, {
      signal: options.signal,
    });
    current = await options.read(current);
  }
  return current;
}
