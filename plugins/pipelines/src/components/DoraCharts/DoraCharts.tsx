import { useMemo, useState } from 'react';
import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  Box,
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert, Autocomplete } from '@material-ui/lab';
import { EnvironmentsClient } from '@internal/plugin-environments-common';
import { DoraFigures } from '@internal/plugin-pipelines-common';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { pipelinesApiRef } from '../../api';
import { errorMessage } from '@internal/platform-react';
import { BAND_HINTS, formatDuration, weekLabel } from './doraFormat';
import { FigureCard } from './FigureCard';

const WINDOWS = [30, 90, 180, 365];
const DAY_MS = 24 * 3600 * 1000;

/** Whose figures: one component, or the components a group owns. */
export type DoraChartsProps =
  | { component: string; owner?: undefined }
  | { owner: string; component?: undefined };

/** The environments to choose from, by promotion order; none if unreadable. */
function useEnvironmentNames(): string[] {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { value } = useAsync(async () => {
    const client = new EnvironmentsClient({ discoveryApi, fetchApi });
    const environments = await client.listEnvironments();
    return environments
      .filter(e => e.tier !== 'preview')
      .sort((a, b) => a.promotionOrder - b.promotionOrder)
      .map(e => e.name);
  }, [discoveryApi, fetchApi]);
  return value ?? [];
}

const hours = (seconds?: number) =>
  seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10;

function isEmpty(figures: DoraFigures): boolean {
  return (
    figures.changeFailureRate.total === 0 &&
    figures.deploymentFrequency.deployments === 0 &&
    figures.timeToRestore.restored + figures.timeToRestore.open === 0
  );
}

/**
 * DORA's four keys for a component or a team, per week over a window, in one
 * environment: deployment frequency, lead time for changes, change failure
 * rate and time to restore, each with its total and DORA's band.
 */
export function DoraCharts(props: DoraChartsProps) {
  const api = useApi(pipelinesApiRef);
  const environments = useEnvironmentNames();
  const [environment, setEnvironment] = useState('production');
  const [days, setDays] = useState(90);
  const subject = props.component
    ? { component: props.component }
    : { owner: props.owner! };
  const key = props.component ?? props.owner;

  const { value, loading, error } = useAsync(
    () =>
      api.getDoraFigures({
        ...subject,
        environment,
        from: new Date(Date.now() - days * DAY_MS).toISOString(),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, environment, days],
  );

  const weeks = useMemo(
    () =>
      (value?.weeks ?? []).map(w => ({
        week: weekLabel(w.start),
        deployments: w.deployments,
        leadTimeHours: hours(w.leadTimeSeconds),
        failed: w.failedChanges,
        succeeded: w.changes - w.failedChanges,
        timeToRestoreHours: hours(w.timeToRestoreSeconds),
      })),
    [value],
  );

  const options = environments.includes(environment)
    ? environments
    : [...environments, environment];

  const controls = (
    <Box display="flex" alignItems="flex-start" mb={2}>
      <Autocomplete
        freeSolo
        disableClearable
        options={options}
        value={environment}
        onChange={(_, next) => next && setEnvironment(String(next).trim())}
        style={{ width: 240 }}
        renderInput={params => (
          <TextField
            {...params}
            label="Environment"
            helperText="Deployments into it count"
          />
        )}
      />
      <Box ml={3}>
        <FormControl>
          <InputLabel id="dora-window">Window</InputLabel>
          <Select
            labelId="dora-window"
            value={days}
            onChange={e => setDays(Number(e.target.value))}
          >
            {WINDOWS.map(d => (
              <MenuItem key={d} value={d}>
                Last {d} days
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
    </Box>
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not load the DORA figures"
        message={errorMessage(error)}
      />
    );
  } else if (!value || isEmpty(value)) {
    body = (
      <EmptyState
        missing="data"
        title={`No deployments into ${environment} in the last ${days} days`}
        description={
          <Typography component="span">
            DORA figures come from deployments into the environment, as the
            Environments plugin records them: made by the deploy stages of
            pipeline runs, by promotions, or reported by an external CD system.
            Lead times need the pipeline run that built the deployed image. Pick
            the environment your{' '}
            {props.owner ? "team's components are" : 'component is'} deployed
            into, or add a <code>deploy</code> stage to the pipeline.
          </Typography>
        }
      />
    );
  } else {
    const f = value;
    const tick = { fontSize: 12 };
    body = (
      <>
        {props.owner && (
          <Typography variant="body2" color="textSecondary" paragraph>
            Across {f.components.length} component
            {f.components.length === 1 ? '' : 's'} the team owns that you may
            read.
          </Typography>
        )}
        {f.truncated.length > 0 && (
          <Box mb={2}>
            <Alert severity="warning">
              More deployments than one request returns: the oldest in the
              window are not counted for {f.truncated.join(', ')}.
            </Alert>
          </Box>
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            <FigureCard
              title="Deployment frequency"
              headline={`${f.deploymentFrequency.perWeek.toFixed(1)} / week`}
              detail={`${f.deploymentFrequency.deployments} deployment${
                f.deploymentFrequency.deployments === 1 ? '' : 's'
              } into ${f.environment}`}
              band={f.deploymentFrequency.band}
              bandHint={BAND_HINTS.deploymentFrequency}
            >
              <BarChart data={weeks}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="week" tick={tick} />
                <YAxis allowDecimals={false} tick={tick} />
                <Tooltip />
                <Bar dataKey="deployments" name="Deployments" fill="#1976d2" />
              </BarChart>
            </FigureCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <FigureCard
              title="Lead time for changes"
              headline={
                f.leadTime.medianSeconds === undefined
                  ? '–'
                  : formatDuration(f.leadTime.medianSeconds)
              }
              detail={`Median from run start to deployment, ${
                f.leadTime.samples
              } measured${
                f.leadTime.withoutRun
                  ? `, ${f.leadTime.withoutRun} without a known run`
                  : ''
              }`}
              band={f.leadTime.band}
              bandHint={BAND_HINTS.leadTime}
            >
              <LineChart data={weeks}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="week" tick={tick} />
                <YAxis unit=" h" tick={tick} />
                <Tooltip />
                <Line
                  dataKey="leadTimeHours"
                  name="Median lead time (h)"
                  stroke="#6a1b9a"
                  connectNulls
                />
              </LineChart>
            </FigureCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <FigureCard
              title="Change failure rate"
              headline={
                f.changeFailureRate.rate === undefined
                  ? '–'
                  : `${Math.round(f.changeFailureRate.rate * 100)} %`
              }
              detail={`${f.changeFailureRate.failed} of ${f.changeFailureRate.total} changes failed or were rolled back`}
              band={f.changeFailureRate.band}
              bandHint={BAND_HINTS.changeFailureRate}
            >
              <BarChart data={weeks}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="week" tick={tick} />
                <YAxis allowDecimals={false} tick={tick} />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="succeeded"
                  name="Succeeded"
                  stackId="changes"
                  fill="#2e7d32"
                />
                <Bar
                  dataKey="failed"
                  name="Failed"
                  stackId="changes"
                  fill="#c62828"
                />
              </BarChart>
            </FigureCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <FigureCard
              title="Time to restore"
              headline={
                f.timeToRestore.medianSeconds === undefined
                  ? '–'
                  : formatDuration(f.timeToRestore.medianSeconds)
              }
              detail={`Median over ${f.timeToRestore.restored} restored outage${
                f.timeToRestore.restored === 1 ? '' : 's'
              }${f.timeToRestore.open ? `, ${f.timeToRestore.open} open` : ''}`}
              band={f.timeToRestore.band}
              bandHint={BAND_HINTS.timeToRestore}
            >
              <LineChart data={weeks}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="week" tick={tick} />
                <YAxis unit=" h" tick={tick} />
                <Tooltip />
                <Line
                  dataKey="timeToRestoreHours"
                  name="Median time to restore (h)"
                  stroke="#ef6c00"
                  connectNulls
                />
              </LineChart>
            </FigureCard>
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <>
      {controls}
      {body}
    </>
  );
}
