import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Grid, Tooltip, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { PipelineRunView } from '@internal/plugin-pipelines-common';
import { ReactNode } from 'react';
import {
  absoluteTime,
  formatDuration,
  refLabel,
  relativeTime,
  shortCommit,
  triggerLabel,
} from '../shared/format';
import { Author } from '../shared/Author';
import { StatusChip } from '../shared/StatusChip';

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Grid item xs={6} sm={4} md={3}>
    <Typography variant="overline" color="textSecondary" component="div">
      {label}
    </Typography>
    <Typography variant="body2" component="div">
      {children}
    </Typography>
  </Grid>
);

const Time = ({ at }: { at?: string }) =>
  at ? (
    <Tooltip title={absoluteTime(at) ?? ''}>
      <span>{relativeTime(at)}</span>
    </Tooltip>
  ) : (
    <>—</>
  );

function definitionLabel(source: PipelineRunView['definitionSource']) {
  if (source === 'repository') return '.platform/pipeline.yaml';
  if (source === 'default') return "the default of the component's type";
  return '—';
}

/**
 * What a run is about: the component, status, ref, commit, why it ran,
 * when, and why it failed or was cancelled.
 */
export const RunSummary = ({
  run,
  now,
  author,
  actions,
}: {
  run: PipelineRunView;
  now: number;
  author?: string;
  actions: ReactNode;
}) => {
  const trigger = run.trigger;
  const pullRequestUrl =
    trigger.type === 'pull_request' && typeof trigger.url === 'string'
      ? trigger.url
      : undefined;
  return (
    <InfoCard title={`Run #${run.number}`} action={actions}>
      {run.reason && (
        <Alert
          severity={run.status === 'failed' ? 'error' : 'info'}
          style={{ marginBottom: 16 }}
        >
          {run.reason}
        </Alert>
      )}
      <Grid container spacing={2}>
        <Field label="Component">
          <EntityRefLink entityRef={run.component} defaultKind="component" />
        </Field>
        <Field label="Status">
          <StatusChip status={run.status} />
        </Field>
        <Field label={run.trigger.type === 'tag' ? 'Tag' : 'Branch'}>
          {refLabel(run) ?? '—'}
        </Field>
        <Field label="Commit">
          {run.commit ? (
            <Tooltip title={run.commit}>
              <code>{shortCommit(run.commit)}</code>
            </Tooltip>
          ) : (
            "the branch's tip"
          )}
        </Field>
        <Field label="Trigger">
          {pullRequestUrl ? (
            <a href={pullRequestUrl} target="_blank" rel="noreferrer">
              {triggerLabel(trigger)}
            </a>
          ) : (
            triggerLabel(trigger)
          )}
          {author && (
            <>
              {' by '}
              <Author name={author} />
            </>
          )}
        </Field>
        <Field label="Repository">{run.repository ?? '—'}</Field>
        <Field label="Queued">
          <Time at={run.createdAt} />
        </Field>
        <Field label="Started">
          <Time at={run.startedAt} />
        </Field>
        <Field label="Finished">
          <Time at={run.finishedAt} />
        </Field>
        <Field label="Duration">
          {formatDuration(run.startedAt, run.finishedAt, now) ?? '—'}
        </Field>
        <Field label="Attempt">{run.attempt}</Field>
        <Field label="Definition">
          {definitionLabel(run.definitionSource)}
        </Field>
      </Grid>
    </InfoCard>
  );
};
