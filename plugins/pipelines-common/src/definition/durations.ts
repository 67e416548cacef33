const DURATION = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** A step attempt's timeout when the file gives none: 30 minutes. @public */
export const DEFAULT_STEP_TIMEOUT_MS = 30 * 60_000;

/** A whole run's timeout when the file gives none: 2 hours. @public */
export const DEFAULT_RUN_TIMEOUT_MS = 2 * 60 * 60_000;

/** The longest timeout a pipeline file may set: 24 hours. @public */
export const MAX_TIMEOUT_MS = 24 * 60 * 60_000;

/**
 * The milliseconds of a duration as pipeline files write it (`90s`, `10m`,
 * `1h30m`), or undefined when it is not one.
 *
 * @public
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  return (
    (Number(hours ?? 0) * 3600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)) *
    1000
  );
}
