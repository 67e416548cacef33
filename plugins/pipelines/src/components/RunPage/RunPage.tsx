import { useCallback, useMemo, useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Grid, Typography } from '@material-ui/core';
import {
  PipelineRunView,
  PipelinesRunSignal,
  PipelineStepRunView,
} from '@internal/plugin-pipelines-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { pipelinesApiRef } from '../../api';
import { rootRouteRef, runRouteRef } from '../../routes';
import { isFinal } from '../shared/format';
import { useLiveRefresh, useNow } from '../shared/useLiveRefresh';
import { ArtifactsTable } from './ArtifactsTable';
import { deploymentsOf, DeploymentsList } from './DeploymentsList';
import { RunActions } from './RunActions';
import { RunSummary } from './RunSummary';
import { StageGraph, stepTitle, waitingText } from './StageGraph';
import { stageGraph, stageGraphFromOutline } from './stageGraph';
import { StepLog } from './StepLog';

/**
 * The step whose log to show when no one chose one: the first that failed,
 * else one running, else the one a cancel stopped, else the last.
 */
export function defaultStep(
  steps: PipelineStepRunView[],
): PipelineStepRunView | undefined {
  return (
    steps.find(s => s.status === 'failed') ??
    steps.find(s => s.status === 'running') ??
    steps.find(s => s.status === 'cancelled' && s.startedAt) ??
    steps[steps.length - 1]
  );
}

/** The run with a given id, kept current while it can change. */
function useRun(runId: string) {
  const api = useApi(pipelinesApiRef);
  const state = useAsyncRetry(() => api.getRun(runId), [api, runId]);
  const concerns = useCallback(
    (signal: PipelinesRunSignal) => signal.runId === runId,
    [runId],
  );
  useLiveRefresh({
    refresh: state.retry,
    concerns,
    active: Boolean(state.value && !isFinal(state.value.status)),
  });
  return state;
}

/**
 * One run of a pipeline: what it ran for, its stages and steps as a graph,
 * the selected step's log as it is written, what it deployed and built,
 * and Re-run or Cancel.
 */
export const RunPage = () => {
  const { runId } = useRouteRefParams(runRouteRef);
  const api = useApi(pipelinesApiRef);
  const pipelinesLink = useRouteRef(rootRouteRef);
  const { value: run, loading, error, retry } = useRun(runId);
  const [chosen, setChosen] = useState<string>();
  const now = useNow(Boolean(run && !isFinal(run.status)));

  const deliveryId =
    typeof run?.trigger.deliveryId === 'number'
      ? run.trigger.deliveryId
      : undefined;
  // The commit's author is on the delivery; a failure only leaves it out.
  const author = useAsync(async () => {
    if (deliveryId === undefined) return undefined;
    return (await api.getDelivery(deliveryId)).author;
  }, [api, deliveryId]);

  const steps = useMemo(() => run?.steps ?? [], [run]);
  const outline = run?.stages;
  const columns = useMemo(
    () => (outline ? stageGraphFromOutline(outline, steps) : stageGraph(steps)),
    [outline, steps],
  );

  if (!run && loading) return <Progress />;
  if (!run) {
    return (
      <Page themeId="tool">
        <Header title="Pipeline run" />
        <Content>
          <ResponseErrorPanel error={error ?? new Error('No such run')} />
        </Content>
      </Page>
    );
  }

  const selected = steps.find(s => s.step === chosen) ?? defaultStep(steps);
  const deployments = deploymentsOf(steps);
  const artifacts = run.artifacts ?? [];
  const requestedBy =
    typeof run.trigger.requestedBy === 'string'
      ? run.trigger.requestedBy
      : undefined;
  const onChanged = (_: PipelineRunView) => {
    setChosen(undefined);
    retry();
  };

  return (
    <Page themeId="tool">
      <Header
        title={`${parseEntityRef(run.component).name} #${run.number}`}
        subtitle={run.component}
        type="Pipelines"
        typeLink={pipelinesLink()}
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <RunSummary
              run={run}
              now={now}
              author={requestedBy ?? author.value}
              actions={<RunActions run={run} onChanged={onChanged} />}
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard
              title="Stages"
              subheader={
                !isFinal(run.status)
                  ? 'Stages appear as they start.'
                  : `Attempt ${run.attempt}`
              }
            >
              {steps.length === 0 ? (
                <Typography color="textSecondary">
                  {run.status === 'queued'
                    ? 'Waiting for an executor to take the run.'
                    : 'No step ran.'}
                </Typography>
              ) : (
                <StageGraph
                  columns={columns}
                  selected={selected?.step}
                  onSelect={s => setChosen(s.step)}
                  now={now}
                />
              )}
            </InfoCard>
          </Grid>
          {selected && (
            <Grid item xs={12}>
              <InfoCard
                title={`Log: ${stepTitle(selected.step)}`}
                subheader={selected.reason ?? waitingText(selected)}
              >
                <StepLog
                  runId={run.id}
                  step={selected.step}
                  attempt={run.attempt}
                />
              </InfoCard>
            </Grid>
          )}
          {deployments.length > 0 && (
            <Grid item xs={12} md={6}>
              <DeploymentsList
                component={run.component}
                deployments={deployments}
              />
            </Grid>
          )}
          {artifacts.length > 0 && (
            <Grid item xs={12}>
              <ArtifactsTable artifacts={artifacts} />
            </Grid>
          )}
        </Grid>
      </Content>
    </Page>
  );
};
