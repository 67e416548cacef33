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
import { pipelinesApiRef } from '../../api';
import { errorMessage } from '@internal/platform-react';
import { FigureCard } from './FigureCard';
import { DORA_FIGURE_NAMES, weekRows } from './figureViews';

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
  const { component, owner } = props;

  const { value, loading, error } = useAsync(
    () =>
      api.getDoraFigures({
        ...(component ? { component } : { owner: owner! }),
        environment,
        from: new Date(Date.now() - days * DAY_MS).toISOString(),
      }),
    [api, component, owner, environment, days],
  );

  const weeks = useMemo(() => weekRows(value?.weeks ?? []), [value]);

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
          {DORA_FIGURE_NAMES.map(figure => (
            <Grid item xs={12} md={6} key={figure}>
              <FigureCard figure={figure} figures={f} weeks={weeks} />
            </Grid>
          ))}
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
