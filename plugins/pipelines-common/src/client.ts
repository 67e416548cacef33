import { ResponseError } from '@backstage/errors';
import { Delivery, DeliveryFilter, DeliveryPage } from './deliveries';

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

  private async request<T>(path: string, options?: RequestOptions): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('pipelines');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      headers: options?.token
        ? { Authorization: `Bearer ${options.token}` }
        : {},
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
