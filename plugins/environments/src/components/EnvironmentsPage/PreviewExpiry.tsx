import { Chip, Link, Tooltip, Typography } from '@material-ui/core';
import ErrorIcon from '@material-ui/icons/Error';
import { Environment } from '@internal/plugin-environments-common';
import { DateTime } from 'luxon';

/**
 * When a preview environment expires, the pull request it is for, and a
 * tear-down under way or failing; a dash for other environments.
 */
export const PreviewExpiry = ({
  environment,
  now = DateTime.now(),
}: {
  environment: Environment;
  now?: DateTime;
}) => {
  const preview = environment.preview;
  if (!preview) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  const expires = DateTime.fromISO(preview.expiresAt);
  const { pullRequest, teardown } = preview;
  const label = `PR #${pullRequest.number}`;
  return (
    <>
      <Tooltip title={expires.toLocaleString(DateTime.DATETIME_MED)}>
        <Typography variant="body2">
          {expires <= now
            ? `Expired ${expires.toRelative({ base: now })}`
            : `Expires ${expires.toRelative({ base: now })}`}
        </Typography>
      </Tooltip>
      <Typography variant="caption" color="textSecondary">
        {pullRequest.url ? (
          <Link href={pullRequest.url} target="_blank" rel="noopener">
            {label}
          </Link>
        ) : (
          label
        )}
        {pullRequest.branch ? ` (${pullRequest.branch})` : ''}
      </Typography>
      {teardown && (
        <Tooltip
          title={
            teardown.lastError
              ? `Attempt ${teardown.attempts}: ${teardown.lastError}. Retried by the scheduled task.`
              : `Requested by ${teardown.requestedBy}`
          }
        >
          <Chip
            size="small"
            color={teardown.lastError ? 'secondary' : 'default'}
            icon={teardown.lastError ? <ErrorIcon /> : undefined}
            label={teardown.lastError ? 'Tear-down failing' : 'Being torn down'}
          />
        </Tooltip>
      )}
    </>
  );
};
