import { useMemo, useState } from 'react';
import {
  EmptyState,
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  Delivery,
  DELIVERY_STATUSES,
  DeliveryStatus,
  PIPELINES_SIGNAL_CHANNEL,
  PipelineRunView,
} from '@internal/plugin-pipelines-common';
import { useEachSignal } from '@internal/platform-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { pipelinesApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { absoluteTime, relativeTime, shortCommit } from '../shared/format';

const statusColours: Record<DeliveryStatus, string> = {
  matched: '#2e7d32',
  unmatched: '#ed6c02',
  ignored: '#757575',
  rejected: '#c62828',
};

/** How many recent runs are read to link deliveries to the runs they started. */
const RECENT_RUNS = 100;

/**
 * The webhook deliveries, newest first: where each came from, which
 * components it maps to, and what came of it (the runs it started, or why
 * it started none).
 */
export const DeliveriesTable = () => {
  const api = useApi(pipelinesApiRef);
  const runLink = useRouteRef(runRouteRef);
  const [status, setStatus] = useState<'' | DeliveryStatus>('');
  const [repository, setRepository] = useState('');
  const [appliedRepository, setAppliedRepository] = useState('');
  useDebounce(() => setAppliedRepository(repository.trim()), 400, [repository]);
  // The cursors of the pages before, to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const state = useAsyncRetry(async () => {
    const [page, runs] = await Promise.all([
      api.listDeliveries({
        status: status || undefined,
        repository: appliedRepository || undefined,
        cursor,
        limit: 20,
      }),
      // Runs do not list by delivery; the recent ones cover recent deliveries.
      api.listRuns({ limit: RECENT_RUNS }),
    ]);
    const byDelivery = new Map<number, PipelineRunView[]>();
    for (const run of runs.items) {
      const id = run.trigger.deliveryId;
      if (typeof id === 'number') {
        byDelivery.set(id, [...(byDelivery.get(id) ?? []), run]);
      }
    }
    return { page, byDelivery };
  }, [api, status, appliedRepository, cursor]);
  // A new delivery starts runs: their signals bring it in. Nothing here
  // needs polling: a delivery's record does not change.
  useEachSignal(PIPELINES_SIGNAL_CHANNEL, () => state.retry());

  const columns: TableColumn<Delivery>[] = useMemo(
    () => [
      {
        title: 'Received',
        render: d => (
          <>
            <Tooltip title={absoluteTime(d.receivedAt) ?? ''}>
              <span>{relativeTime(d.receivedAt)}</span>
            </Tooltip>
            {d.redeliveries > 0 && (
              <Typography variant="caption" display="block">
                sent {d.redeliveries + 1} times
              </Typography>
            )}
          </>
        ),
      },
      {
        title: 'Event',
        render: d => (
          <>
            {d.action ? `${d.event} (${d.action})` : d.event}
            <Typography variant="caption" display="block">
              {d.provider === 'github' ? 'GitHub' : 'GitLab'}
            </Typography>
          </>
        ),
      },
      {
        title: 'Repository',
        render: d => {
          if (!d.repository) return '—';
          if (!d.repository.url) return d.repository.slug;
          return <Link to={d.repository.url}>{d.repository.slug}</Link>;
        },
      },
      {
        title: 'Ref',
        render: d => (
          <>
            {d.ref?.replace(/^refs\/(heads|tags)\//, '') ?? '—'}
            {d.commit && (
              <Typography variant="caption" display="block">
                <code>{shortCommit(d.commit)}</code>
                {d.author ? ` by ${d.author}` : ''}
              </Typography>
            )}
          </>
        ),
      },
      {
        title: 'Component',
        render: d => {
          if (d.components.length > 0) {
            return (
              <Box display="flex" flexDirection="column">
                {d.components.map(c => (
                  <EntityRefLink
                    key={c}
                    entityRef={c}
                    defaultKind="component"
                  />
                ))}
              </Box>
            );
          }
          return (
            <Typography variant="body2" color="textSecondary">
              {d.status === 'unmatched' ? 'unknown repository' : '—'}
            </Typography>
          );
        },
      },
      {
        title: 'Status',
        render: d => (
          <Chip
            size="small"
            variant="outlined"
            label={d.status}
            style={{
              color: statusColours[d.status],
              borderColor: statusColours[d.status],
            }}
          />
        ),
      },
      {
        title: 'Outcome',
        cellStyle: { minWidth: 320 },
        render: d => {
          const runs = state.value?.byDelivery.get(d.id) ?? [];
          if (runs.length > 0) {
            return (
              <Box display="flex" flexDirection="column">
                {runs.map(r => (
                  <Link key={r.id} to={runLink({ runId: r.id })}>
                    started run #{r.number}
                    {d.components.length > 1
                      ? ` of ${r.component.split('/').pop()}`
                      : ''}
                  </Link>
                ))}
              </Box>
            );
          }
          if (d.reason) return d.reason;
          if (d.status === 'matched') {
            return d.processedAt
              ? 'handed to the run engine (its run is older than the recent runs)'
              : 'waiting for the run engine';
          }
          return '—';
        },
      },
    ],
    [runLink, state.value],
  );

  if (state.error && !state.value) {
    return <ResponseErrorPanel error={state.error} />;
  }
  const page = state.value?.page;
  const filtered = Boolean(status || appliedRepository);
  if (page && page.items.length === 0 && !filtered && !cursor) {
    return (
      <EmptyState
        missing="data"
        title="No webhook deliveries yet"
        description="Point a GitHub or GitLab webhook at /api/events/http/github or /api/events/http/gitlab (content type application/json, the configured secret). Every delivery shows here with what came of it."
      />
    );
  }
  const resetPaging = () => setCursors([undefined]);
  return (
    <>
      <Box display="flex" alignItems="flex-end" mb={1} style={{ gap: 16 }}>
        <FormControl style={{ minWidth: 140 }}>
          <InputLabel id="deliveries-status-filter">Status</InputLabel>
          <Select
            labelId="deliveries-status-filter"
            value={status}
            onChange={e => {
              setStatus(e.target.value as '' | DeliveryStatus);
              resetPaging();
            }}
          >
            <MenuItem value="">Any</MenuItem>
            {DELIVERY_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="deliveries-repository-filter"
          label="Repository"
          placeholder="owner/name"
          value={repository}
          onChange={e => {
            setRepository(e.target.value);
            resetPaging();
          }}
        />
      </Box>
      <Table<Delivery>
        title="Webhook deliveries"
        isLoading={state.loading && !state.value}
        columns={columns}
        data={page?.items ?? []}
        options={{ paging: false, search: false, padding: 'dense' }}
        emptyContent={
          <Box p={2}>
            <Typography>No deliveries match these filters.</Typography>
          </Box>
        }
      />
      <Box display="flex" justifyContent="flex-end" mt={1}>
        <Button
          size="small"
          disabled={cursors.length === 1}
          onClick={() => setCursors(c => c.slice(0, -1))}
        >
          Newer
        </Button>
        <Button
          size="small"
          disabled={!page?.nextCursor}
          onClick={() => setCursors(c => [...c, page?.nextCursor])}
        >
          Older
        </Button>
      </Box>
    </>
  );
};
