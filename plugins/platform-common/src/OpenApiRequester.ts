import { ResponseError } from '@backstage/errors';
import {
  DiscoveryApi,
  FetchApi,
  OperationRequest,
  RequestOptions,
  TypedResponse,
} from './types';

/**
 * Sends the requests of the clients generated from a backend's OpenAPI spec
 * (`scripts/generate-openapi-client.mjs`): the one place that knows how an
 * operation becomes an HTTP request and how a failure comes back, so every
 * generated client behaves alike.
 *
 * - the URL is the plugin's base URL from discovery, the operation's path
 *   with its parameters filled in (each percent-encoded) and the set query
 *   parameters;
 * - `options.token` goes into `Authorization: Bearer`;
 * - a body is sent as JSON, with its content type;
 * - a response outside 2xx throws `ResponseError.fromResponse`, which
 *   carries the backend's error, status and message.
 *
 * @public
 */
export class OpenApiRequester {
  private readonly pluginId: string;
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: {
    pluginId: string;
    discoveryApi: DiscoveryApi;
    fetchApi?: FetchApi;
  }) {
    this.pluginId = options.pluginId;
    this.discoveryApi = options.discoveryApi;
    // Called through a wrapper: a browser's fetch refuses to run with
    // anything but the global object as `this`.
    this.fetchApi = options.fetchApi ?? {
      fetch: (input, init) => globalThis.fetch(input, init),
    };
  }

  /**
   * Sends one operation: `method` on `pathTemplate` (as the spec writes it,
   * e.g. `/environments/{name}/locks`).
   */
  async request<T>(
    method: string,
    pathTemplate: string,
    request: OperationRequest,
    options?: RequestOptions,
  ): Promise<TypedResponse<T>> {
    const baseUrl = await this.discoveryApi.getBaseUrl(this.pluginId);
    const url = `${baseUrl}${expandPath(pathTemplate, request.path)}${queryOf(
      request.query,
    )}`;
    const hasBody = request.body !== undefined;
    const response = await this.fetchApi.fetch(url, {
      method,
      headers: {
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        ...(options?.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

/** The path with each `{name}` replaced by its percent-encoded value. */
function expandPath(
  template: string,
  values: OperationRequest['path'] = {},
): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    // The generated request types make every path parameter required; this
    // is a caller that got around them, and a request to a wrong URL would
    // only fail later and less clearly.
    if (value === undefined) {
      throw new TypeError(
        `No value for path parameter '${name}' of ${template}`,
      );
    }
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x&b=y` of the set query parameters, or '' when none is set. */
function queryOf(values: OperationRequest['query'] = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) query.append(name, String(item));
    }
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}
