import { ReactNode, useCallback, useMemo, useState } from 'react';
import {
  Link,
  Table,
  TableColumn,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  PipelineRunView,
  PipelinesRunSignal,
  RunStatus,
} from '@internal/plugin-pipelines-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { pipelinesApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { errorMessage } from '@internal/platform-react';
import {
  absoluteTime,
  authorOf,
  formatDuration,
  isFinal,
  refLabel,
  relativeTime,
  RUN_STATUSES,
  shortCommit,
  triggerLabel,
} from './format';
import { Author } from './Author';
import { statusLabel, StatusChip } from './StatusChip';
import { useLiveRefresh, useNow } from './useLiveRefresh';

/** Runs per page. */
export const PAGE_SIZE = 20;

type Filters = { component: string; status: '' | RunStatus; branch: string };

/**
 * Runs, newest first, with filters by status and branch (and component when
 * not fixed), a page at a time, kept current by signals and polling.
 */
export const RunsTable = ({
  component,
  title = 'Runs',
  toolbar,
  emptyState,
  reloadKey,
}: {
  /** The component whose runs to show; absent: every component's. */
  component?: string;
  title?: string;
  /** Buttons shown above the table (Run pipeline). */
  toolbar?: ReactNode;
  /** Shown instead of the table while no run exists at all. */
  emptyState: ReactNode;
  /** Changing it reads the runs again (after a run was started). */
  reloadKey?: unknown;
}) => {
  const api = useApi(pipelinesApiRef);
  const runLink = useRouteRef(runRouteRef);
  const [filters, setFilters] = useState<Filters>({
    component: '',
    status: '',
    branch: '',
  });
  // Typing filters once the typing pauses, not at every key.
  const [applied, setApplied] = useState(filters);
  useDebounce(() => setApplied(filters), 400, [filters]);
  const [page, setPage] = useState(0);

  const componentFilter = component ?? (applied.component.trim() || undefined);
  const state = useAsyncRetry(
    async () =>
      // One more than a page tells whether there is a next one.
      (
        await api.listRuns({
          component: componentFilter,
          status: applied.status || undefined,
          branch: applied.branch.trim() || undefined,
          limit: PAGE_SIZE + 1,
          offset: page * PAGE_SIZE,
        })
      ).items,
    [api, componentFilter, applied.status, applied.branch, page, reloadKey],
  );
  const runs = useMemo(() => state.value ?? [], [state.value]);
  // Kept between renders so that `concerns` changes only with the runs.
  const shown = useMemo(() => runs.slice(0, PAGE_SIZE), [runs]);
  const live = shown.some(r => !isFinal(r.status));
  const { retry } = state;
  const concerns = useCallback(
    (signal: PipelinesRunSignal) =>
      !componentFilter ||
      signal.component.toLocaleLowerCase('en-US') ===
        componentFilter.toLocaleLowerCase('en-US') ||
      shown.some(r => r.id === signal.runId),
    [componentFilter, shown],
  );
  useLiveRefresh({ refresh: retry, concerns, active: live });
  const now = useNow(live);
  const { authors, error: authorsError } = useDeliveryAuthors(
    shown,
    componentFilter,
  );

  const filtered = Boolean(
    applied.status ||
      applied.branch.trim() ||
      (!component && applied.component),
  );
  if (state.error && !state.value) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (state.value && runs.length === 0 && !filtered && page === 0) {
    return (
      <>
        {toolbar && (
          <Box display="flex" justifyContent="flex-end" mb={2}>
            {toolbar}
          </Box>
        )}
        {emptyState}
      </>
    );
  }

  const setFilter = (change: Partial<Filters>) => {
    setFilters(f => ({ ...f, ...change }));
    setPage(0);
  };

  const columns: TableColumn<PipelineRunView>[] = [
    {
      title: 'Run',
      field: 'number',
      render: run => <Link to={runLink({ runId: run.id })}>#{run.number}</Link>,
    },
    ...(component
      ? []
      : [
          {
            title: 'Component',
            field: 'component',
            render: (run: PipelineRunView) => (
              <EntityRefLink
                entityRef={run.component}
                defaultKind="component"
              />
            ),
          },
        ]),
    {
      title: 'Status',
      field: 'status',
      render: run =>
        run.reason ? (
          <Tooltip title={run.reason}>
            <span>
              <StatusChip status={run.status} />
            </span>
          </Tooltip>
        ) : (
          <StatusChip status={run.status} />
        ),
    },
    { title: 'Branch / tag', render: run => refLabel(run) ?? '—' },
    {
      title: 'Commit',
      render: run =>
        run.commit ? (
          <Tooltip title={run.commit}>
            <code>{shortCommit(run.commit)}</code>
          </Tooltip>
        ) : (
          <Tooltip title="No commit was named: the branch's tip when the run checked it out">
            <span>branch tip</span>
          </Tooltip>
        ),
    },
    {
      title: 'Author',
      render: run => <Author name={authorOf(run, authors)} />,
    },
    { title: 'Trigger', render: run => triggerLabel(run.trigger) },
    {
      title: 'Duration',
      render: run =>
        formatDuration(run.startedAt, run.finishedAt, now) ??
        (run.status === 'queued' ? 'waiting' : '—'),
    },
    {
      title: 'Started',
      render: run => {
        const at = run.startedAt ?? run.createdAt;
        return (
          <Tooltip title={absoluteTime(at) ?? ''}>
            <span>{relativeTime(at)}</span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <>
      <Box display="flex" alignItems="flex-end" mb={1} style={{ gap: 16 }}>
        {!component && (
          <TextField
            id="runs-component-filter"
            label="Component"
            placeholder="payments-api"
            value={filters.component}
            onChange={e => setFilter({ component: e.target.value })}
          />
        )}
        <FormControl style={{ minWidth: 140 }}>
          <InputLabel id="runs-status-filter">Status</InputLabel>
          <Select
            labelId="runs-status-filter"
            value={filters.status}
            onChange={e => {
              const status = e.target.value as Filters['status'];
              setFilter({ status });
              setApplied(a => ({ ...a, status }));
            }}
          >
            <MenuItem value="">Any</MenuItem>
            {RUN_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {statusLabel(s)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="runs-branch-filter"
          label="Branch"
          placeholder="main"
          value={filters.branch}
          onChange={e => setFilter({ branch: e.target.value })}
        />
        <Box flexGrow={1} />
        {toolbar}
      </Box>
      {authorsError && (
        <Alert severity="warning" style={{ marginBottom: 8 }}>
          Authors of pushed commits are not shown: the webhook deliveries could
          not be read ({errorMessage(authorsError)}).
        </Alert>
      )}
      {state.error && (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          {errorMessage(state.error)}
        </Alert>
      )}
      <Table<PipelineRunView>
        title={title}
        isLoading={state.loading && !state.value}
        columns={columns}
        data={shown}
        options={{ paging: false, search: false, padding: 'dense' }}
        emptyContent={
          <Box p={2}>
            <Typography>No runs match these filters.</Typography>
          </Box>
        }
      />
      <Box display="flex" justifyContent="flex-end" alignItems="center" mt={1}>
        <Typography variant="body2" style={{ marginRight: 16 }}>
          Page {page + 1}
        </Typography>
        <Button
          size="small"
          disabled={page === 0}
          onClick={() => setPage(p => p - 1)}
        >
          Newer
        </Button>
        <Button
          size="small"
          disabled={runs.length <= PAGE_SIZE}
          onClick={() => setPage(p => p + 1)}
        >
          Older
        </Button>
      </Box>
    </>
  );
};

/**
 * The commit authors of runs that deliveries started: only the delivery
 * records them. One read of the recent deliveries covers a page of runs.
 */
function useDeliveryAuthors(runs: PipelineRunView[], component?: string) {
  const api = useApi(pipelinesApiRef);
  const needed = runs.some(r => typeof r.trigger.deliveryId === 'number');
  const { value, error } = useAsync(async () => {
    if (!needed) return new Map<number, string>();
    const page = await api.listDeliveries({ component, limit: 100 });
    return new Map(
      page.items.flatMap(d => (d.author ? [[d.id, d.author] as const] : [])),
    );
  }, [api, component, needed]);
  return { authors: value ?? new Map<number, string>(), error };
}
