import { pollUntil } from './pollUntil';

describe('pollUntil', () => {
  const statuses = (...values: string[]) => {
    const read = jest.fn(async () => values.shift() ?? 'running');
    return read;
  };

  it('reads until done and returns the reading that was', async () => {
    const read = statuses('running', 'succeeded');
    await expect(
      pollUntil({
        initial: 'queued',
        done: s => s === 'succeeded',
        read,
        timeoutMs: 5000,
        intervalMs: 1,
        onTimeout: s => new Error(s),
      }),
    ).resolves.toBe('succeeded');
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reads nothing when the start is done already', async () => {
    const read = statuses();
    await pollUntil({
      initial: 'failed',
      done: () => true,
      read,
      timeoutMs: 0,
      intervalMs: 1,
      onTimeout: s => new Error(s),
    });
    expect(read).not.toHaveBeenCalled();
  });

  it('gives up past the time with what onTimeout says of the last reading', async () => {
    await expect(
      pollUntil({
        initial: 'queued',
        done: () => false,
        read: statuses('running'),
        timeoutMs: 30,
        intervalMs: 10,
        onTimeout: s => new Error(`still ${s}`),
      }),
    ).rejects.toThrow('still running');
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    const waiting = pollUntil({
      initial: 'queued',
      done: () => false,
      read: statuses(),
      timeoutMs: 60_000,
      intervalMs: 60_000,
      onTimeout: s => new Error(s),
      signal: controller.signal,
    });
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});
