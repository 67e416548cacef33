import { useEffect, useState } from 'react';
import { useEachSignal } from '@internal/platform-react';
import {
  PIPELINES_SIGNAL_CHANNEL,
  PipelinesRunSignal,
} from '@internal/plugin-pipelines-common';

/** How often to read again while something shown can still change. */
export const POLL_INTERVAL_MS = 5000;

/**
 * Calls `refresh` when the backend signals a change that `concerns` the
 * view, and every 5 s while `active` (something shown is not final): the
 * polling keeps the view current where signals are not delivered.
 */
export function useLiveRefresh(options: {
  refresh: () => void;
  concerns: (signal: PipelinesRunSignal) => boolean;
  active: boolean;
}) {
  const { refresh, concerns, active } = options;
  useEachSignal<PipelinesRunSignal>(PIPELINES_SIGNAL_CHANNEL, signal => {
    if (concerns(signal)) refresh();
  });

  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(refresh, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [active, refresh]);
}

/** The current time, ticking every second while `ticking` (live durations). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
