import { ResponseError } from '@backstage/errors';
import { Delivery, DeliveryFilter, DeliveryPage } from './deliveries';
import { DoraFigures, DoraFilter } from './dora';
import { PipelineLogPage, PipelineRunFilter, PipelineRunView } from './runApi';

/** Per-call options: a token for service-to-service calls. @public */
export interface RequestOptions {
  token?: string;
}

/** The pipelines API, as the frontend and other plugins call it. @public */
export interface PipelinesApi {
  /** Webhook deliveries, newest first, a page at a time. */
  listDeliveries(
    filter?: DeliveryFilter,
    options?: RequestOptions,
  ): Promise<DeliveryPage>;
  getDelivery(id: number, options?: RequestOptions): Promise<Delivery>;
  /** Runs, newest first; only those of components the caller may read. */
  listRuns(
    filter?: PipelineRunFilter,
    options?: RequestOptions,
  ): Promise<{ items: PipelineRunView[] }>;
  /** A run with the step runs of its current attempt. */
  getRun(id: string, options?: RequestOptions): Promise<PipelineRunView>;
  /**
   * Queues a run of a component's branch (its tip, or `commit`); without
   * `branch`, of the component's default branch (400 when it is not known).
   */
  triggerRun(
    request: { component: string; branch?: string; commit?: string },
    options?: RequestOptions,
  ): Promise<PipelineRunView>;
  cancelRun(id: string, options?: RequestOptions): Promise<PipelineRunView>;
  /** Queues a finished run again; with `failedOnly`, only what did not succeed. */
  rerunRun(
    id: string,
    request?: { failedOnly?: boolean },
    options?: RequestOptions,
  ): Promise<PipelineRunView>;
  /** A step's log chunks after sequence number `after`. */
  getStepLogs(
    request: {
      runId: string;
      step: string;
      after?: number;
      attempt?: number;
      limit?: number;
    },
    options?: RequestOptions,
  ): Promise<PipelineLogPage>;
  /** DORA figures of a component or of a group's components, per week and in total. */
  getDoraFigures(
    filter: DoraFilter,
    options?: RequestOptions,
  ): Promise<DoraFigures>;
}

/**
 * A client of the pipelines backend over HTTP, in the shape
 * `backstage-repo-tools` generates for a `-common` package. Errors arrive as
 * `ResponseError`, carrying the backend's message and status.
 *
 * @public
 */
export class PipelinesClient implements PipelinesApi {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: globalThis.fetch };
  }

  listDeliveries(
    filter: DeliveryFilter = {},
    options?: RequestOptions,
  ): Promise<DeliveryPage> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined) query.set(key, String(value));
    }
    const search = query.toString();
    return this.request<DeliveryPage>(
      `/deliveries${search ? `?${search}` : ''}`,
      options,
    );
  }

  getDelivery(id: number, options?: RequestOptions): Promise<Delivery> {
    return this.request<Delivery>(
      `/deliveries/${encodeURIComponent(String(id))}`,
      options,
    );
  }

  listRuns(
    filter: PipelineRunFilter = {},
    options?: RequestOptions,
  ): Promise<{ items: PipelineRunView[] }> {
    return this.request(`/runs${queryOf(filter)}`, options);
  }

  getRun(id: string, options?: RequestOptions): Promise<PipelineRunView> {
    return this.request(`/runs/${encodeURIComponent(id)}`, options);
  }

  triggerRun(
    request: { component: string; branch?: string; commit?: string },
    options?: RequestOptions,
  ): Promise<PipelineRunView> {
    return this.request('/runs', options, { method: 'POST', body: request });
  }

  cancelRun(id: string, options?: RequestOptions): Promise<PipelineRunView> {
    return this.request(`/runs/${encodeURIComponent(id)}/cancel`, options, {
      method: 'POST',
      body: {},
    });
  }

  rerunRun(
    id: string,
    request: { failedOnly?: boolean } = {},
    options?: RequestOptions,
  ): Promise<PipelineRunView> {
    return this.request(`/runs/${encodeURIComponent(id)}/rerun`, options, {
      method: 'POST',
      body: request,
    });
  }

  getStepLogs(
    request: {
      runId: string;
      step: string;
      after?: number;
      attempt?: number;
      limit?: number;
    },
    options?: RequestOptions,
  ): Promise<PipelineLogPage> {
    const { runId, step, ...query } = request;
    return this.request(
      `/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(
        step,
      )}/logs${queryOf(query)}`,
      options,
    );
  }

  getDoraFigures(
    filter: DoraFilter,
    options?: RequestOptions,
  ): Promise<DoraFigures> {
    return this.request(`/dora${queryOf(filter)}`, options);
  }

  private async request<T>(
    path: string,
    options?: RequestOptions,
    init?: { method: 'POST'; body: object },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('pipelines');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: {
        ...(options?.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(init ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init ? { body: JSON.stringify(init.body) } : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function queryOf(values: object): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}
