/**
 * How a client finds a plugin's backend: the part of Backstage's
 * `DiscoveryApi` (frontend) and `DiscoveryService` (backend) it needs, so
 * that isomorphic code imports neither.
 *
 * @public
 */
export type DiscoveryApi = {
  getBaseUrl(pluginId: string): Promise<string>;
};

/**
 * How a client sends a request: Backstage's `FetchApi` in the frontend
 * (which adds the user's token), the global `fetch` in a backend.
 *
 * @public
 */
export type FetchApi = {
  fetch: typeof fetch;
};

/**
 * Per-call options of a generated client: a token for service-to-service
 * calls (a backend passes one from `auth.getPluginRequestToken`).
 *
 * @public
 */
export interface RequestOptions {
  token?: string;
}

/**
 * A response whose `json()` conveys the type of the operation's success
 * body.
 *
 * @public
 */
export type TypedResponse<T> = Omit<Response, 'json'> & {
  json: () => Promise<T>;
};

/** A value a query parameter may take; arrays repeat the parameter. @public */
export type QueryValue = string | number | boolean;

/**
 * The parameters of one operation call, in the shape the generated clients
 * take: path parameters by name, query parameters by name (unset ones are
 * left out) and the JSON request body.
 *
 * @public
 */
export type OperationRequest = {
  path?: Record<string, string | number>;
  query?: Record<string, QueryValue | QueryValue[] | undefined>;
  body?: unknown;
};
