import { Config } from '@backstage/config';
import { formatDuration } from '@internal/plugin-pipelines-node';

/** The config key of the external access entries (`backend.auth.externalAccess`). */
const EXTERNAL_ACCESS_KEY = 'backend.auth.externalAccess';

/**
 * How an outside CD system reports on a deployment to an `external`
 * environment: the endpoint it POSTs the status to, and the config key of
 * the static token it authenticates with (absent when no such token is
 * configured).
 */
export type ExternalCdReport = {
  url: string;
  tokenConfigKey?: string;
};

/**
 * The config key of the first static external access token that reaches
 * the Environments plugin (one with no access restrictions, or one that
 * names `environments`), e.g. `backend.auth.externalAccess[0].options.token`.
 * Undefined when there is none: then no CD system can report.
 */
export function cdTokenConfigKey(config: Config): string | undefined {
  const entries = config.getOptionalConfigArray(EXTERNAL_ACCESS_KEY) ?? [];
  const index = entries.findIndex(entry => {
    if (entry.getOptionalString('type') !== 'static') return false;
    const restrictions = entry.getOptionalConfigArray('accessRestrictions');
    return (
      !restrictions ||
      restrictions.some(r => r.getOptionalString('plugin') === 'environments')
    );
  });
  return index < 0
    ? undefined
    : `${EXTERNAL_ACCESS_KEY}[${index}].options.token`;
}

/** What a deploy step says while it waits for an external CD system. */
export function externalWaitTexts(options: {
  deploymentId: string;
  environment: string;
  report: ExternalCdReport;
  timeoutMs: number;
  deadline: Date;
}): { log: string; waitingFor: string } {
  const { deploymentId, environment, report, timeoutMs, deadline } = options;
  const token = report.tokenConfigKey
    ? `with the static token of ${report.tokenConfigKey}`
    : `with a static token, but ${EXTERNAL_ACCESS_KEY} has none that reaches the environments plugin`;
  const until = `${deadline.toISOString()} (pipelines.engine.deployTimeout, ${formatDuration(
    timeoutMs,
  )})`;
  return {
    log:
      `Waiting for the external CD system to report the status of deployment ${deploymentId} to '${environment}': ` +
      `it POSTs to ${report.url} ${token}. The stage fails if no final status is reported by ${until}.`,
    waitingFor: `a final status report from the external CD system for '${environment}' (POST ${report.url}) until ${until}`,
  };
}

/** Why a deploy step failed when the external CD system did not report in time. */
export function externalTimeoutReason(options: {
  deploymentId: string;
  environment: string;
  status: string;
  report: ExternalCdReport;
  timeoutMs: number;
}): string {
  const { deploymentId, environment, status, report, timeoutMs } = options;
  // A CD system that said `in_progress` did report, just not an end.
  const what =
    status === 'pending' ? 'no status report' : 'no final status report';
  const last = status === 'pending' ? '' : ` (it last reported ${status})`;
  return (
    `${what} from the external CD system for '${environment}' within ${formatDuration(
      timeoutMs,
    )}${last}; it reports to POST ${report.url}` +
    ` (deployment ${deploymentId} goes on in the Environments plugin)`
  );
}
