import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { pipelinesApiRef } from '../../api';
import { appendChunks, LogLine } from './logLines';

/** How long to wait before asking for more of a step's log that is still being written. */
export const LOG_POLL_MS = 1000;
/** Chunks per request; a full page is followed at once by the next. */
export const LOG_PAGE = 1000;

type StepLogState = {
  lines: LogLine[];
  complete: boolean;
  loading: boolean;
  error?: Error;
};

/**
 * Follows a step's log: reads the chunks after the last sequence number it
 * has, again and again while the step can still write, until the backend
 * says the log is complete. Starts over when the step or attempt changes.
 */
export function useStepLog(options: {
  runId: string;
  step?: string;
  attempt: number;
}): StepLogState & { retry: () => void } {
  const { runId, step, attempt } = options;
  const api = useApi(pipelinesApiRef);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<StepLogState>({
    lines: [],
    complete: false,
    loading: true,
  });

  useEffect(() => {
    setState({ lines: [], complete: false, loading: true });
    if (!step) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let after = 0;
    let lines: LogLine[] = [];
    const poll = async () => {
      try {
        const page = await api.getStepLogs({
          runId,
          step,
          attempt,
          after,
          limit: LOG_PAGE,
        });
        if (stopped) return;
        if (page.items.length > 0) {
          after = page.items[page.items.length - 1].seq;
          lines = appendChunks(lines, page.items);
        }
        // A poll that brought nothing new keeps the state, so the log
        // viewer does not render again every second while a step is quiet.
        const complete = page.complete;
        setState(prev =>
          prev.lines === lines &&
          prev.complete === complete &&
          !prev.loading &&
          !prev.error
            ? prev
            : { lines, complete, loading: false },
        );
        if (page.complete) return;
        timer = setTimeout(
          poll,
          page.items.length >= LOG_PAGE ? 0 : LOG_POLL_MS,
        );
      } catch (error) {
        // Stops following: a refusal (logs are for the component's owners)
        // or a missing step does not change by asking again.
        if (!stopped) {
          setState({
            lines,
            complete: false,
            loading: false,
            error: error as Error,
          });
        }
      }
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, step, attempt, generation]);

  return { ...state, retry: () => setGeneration(g => g + 1) };
}
