import { useState } from 'react';
import { EmptyState } from '@backstage/core-components';
import { alertApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, Typography } from '@material-ui/core';
import PlayArrow from '@material-ui/icons/PlayArrow';
import { pipelinesRunTriggerPermission } from '@internal/plugin-pipelines-common';
import { useNavigate } from 'react-router-dom';
import { pipelinesApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { RunsTable } from '../shared/RunsTable';
import { TriggerRunDialog } from '../shared/TriggerRunDialog';

/**
 * The Pipelines tab of a component: its runs with their status, ref,
 * commit, author, trigger and timings, filtered by status and branch, kept
 * current as runs change; Run pipeline for those allowed to start one.
 */
export const EntityPipelinesContent = () => {
  const { entity } = useEntity();
  const api = useApi(pipelinesApiRef);
  const alertApi = useApi(alertApiRef);
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const component = stringifyEntityRef(entity);
  const { allowed: mayTrigger } = usePermission({
    permission: pipelinesRunTriggerPermission,
    resourceRef: component,
  });
  const [triggering, setTriggering] = useState(false);

  const runButton = mayTrigger && (
    <Button
      variant="contained"
      color="primary"
      size="small"
      startIcon={<PlayArrow />}
      onClick={() => setTriggering(true)}
    >
      Run pipeline
    </Button>
  );

  return (
    <>
      <RunsTable
        component={component}
        title="Pipeline runs"
        toolbar={runButton}
        emptyState={
          <EmptyState
            missing="content"
            title="No pipeline runs yet"
            description={
              <Typography component="span">
                A run starts when commits are pushed to the component's
                repository with the platform's webhook configured, or by hand
                with Run pipeline. What runs is the repository's{' '}
                <code>.platform/pipeline.yaml</code>, or the default pipeline of
                the component's type when there is none.
              </Typography>
            }
          />
        }
      />
      {triggering && (
        <TriggerRunDialog
          component={component}
          onTrigger={request => api.triggerRun(request)}
          onClose={run => {
            setTriggering(false);
            if (run) {
              alertApi.post({
                message: `Run #${run.number} queued`,
                severity: 'success',
                display: 'transient',
              });
              navigate(runLink({ runId: run.id }));
            }
          }}
        />
      )}
    </>
  );
};
