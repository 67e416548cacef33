import {
  DiscoveryApi,
  FetchApi,
  RequestOptions,
} from '@internal/platform-common';
import {
  DefaultApiClient,
  GetStepLogs,
  RerunRunRequest,
  TriggerRunRequest,
} from './schema/openapi';
import { Delivery, DeliveryFilter, DeliveryPage } from './deliveries';
import { DoraFigures, DoraFilter } from './dora';
import { PipelineLogPage, PipelineRunFilter, PipelineRunView } from './runApi';

export type { RequestOptions } from '@internal/platform-common';
export type { RerunRunRequest, TriggerRunRequest } from './schema/openapi';

/**
 * Which log chunks of which step `getStepLogs` asks for: the run (`runId`,
 * the operation's `id`), the step, and the operation's query.
 *
 * @public
 */
export type StepLogsRequest = { runId: GetStepLogs['path']['id'] } & Omit<
  GetStepLogs['path'],
  'id'
> &
  GetStepLogs['query'];

/**
 * The pipelines API, as the frontend and other plugins call it: every
 * operation of the backend's OpenAPI spec.
 *
 * @public
 */
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
    request: TriggerRunRequest,
    options?: RequestOptions,
  ): Promise<PipelineRunView>;
  cancelRun(id: string, options?: RequestOptions): Promise<PipelineRunView>;
  /** Queues a finished run again; with `failedOnly`, only what did not succeed. */
  rerunRun(
    id: string,
    request?: RerunRunRequest,
    options?: RequestOptions,
  ): Promise<PipelineRunView>;
  /** A step's log chunks after sequence number `after`. */
  getStepLogs(
    request: StepLogsRequest,
    options?: RequestOptions,
  ): Promise<PipelineLogPage>;
  /** DORA figures of a component or of a group's components, per week and in total. */
  getDoraFigures(
    filter: DoraFilter,
    options?: RequestOptions,
  ): Promise<DoraFigures>;
}

/**
 * The pipelines API over HTTP: a thin layer over the `DefaultApiClient`
 * generated from the backend's spec (`src/schema/openapi/generated`), as
 * Backstage's `CatalogClient` is over its generated client. It only maps
 * positional arguments to the operation's `{ path, query, body }`; the
 * requests themselves, and the `ResponseError` (carrying the backend's
 * message and status) of a failed one, are the generated client's.
 *
 * @public
 */
export class PipelinesClient implements PipelinesApi {
  private readonly api: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi?: FetchApi }) {
    this.api = new DefaultApiClient(options);
  }

  async listDeliveries(filter: DeliveryFilter = {}, options?: RequestOptions) {
    const response = await this.api.listDeliveries({ query: filter }, options);
    return response.json();
  }

  async getDelivery(id: number, options?: RequestOptions) {
    const response = await this.api.getDelivery({ path: { id } }, options);
    return response.json();
  }

  async listRuns(filter: PipelineRunFilter = {}, options?: RequestOptions) {
    const response = await this.api.listRuns({ query: filter }, options);
    return response.json();
  }

  async getRun(id: string, options?: RequestOptions) {
    const response = await this.api.getRun({ path: { id } }, options);
    return response.json();
  }

  async triggerRun(request: TriggerRunRequest, options?: RequestOptions) {
    const response = await this.api.triggerRun({ body: request }, options);
    return response.json();
  }

  async cancelRun(id: string, options?: RequestOptions) {
    const response = await this.api.cancelRun({ path: { id } }, options);
    return response.json();
  }

  async rerunRun(
    id: string,
    request: RerunRunRequest = {},
    options?: RequestOptions,
  ) {
    const response = await this.api.rerunRun(
      { path: { id }, body: request },
      options,
    );
    return response.json();
  }

  async getStepLogs(request: StepLogsRequest, options?: RequestOptions) {
    const { runId, step, ...query } = request;
    const response = await this.api.getStepLogs(
      { path: { id: runId, step }, query },
      options,
    );
    return response.json();
  }

  async getDoraFigures(filter: DoraFilter, options?: RequestOptions) {
    const response = await this.api.getDoraFigures({ query: filter }, options);
    return response.json();
  }
}
