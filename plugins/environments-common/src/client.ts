import { ResponseError } from '@backstage/errors';
import {
  Environment,
  EnvironmentInput,
  EnvironmentLock,
  EnvironmentPatch,
} from './types';
import {
  Deployment,
  DeploymentHead,
  DeploymentRequest,
  DeploymentStatusReport,
  Promotion,
  PromotionRequest,
  RollbackRequest,
} from './deployments';
import { EnvironmentVariable, EnvironmentVariableInput } from './variables';
import { PreviewRequest } from './previews';

/** The environments API, as the frontend and other plugins call it. @public */
export interface EnvironmentsApi {
  listEnvironments(options?: RequestOptions): Promise<Environment[]>;
  getEnvironment(name: string, options?: RequestOptions): Promise<Environment>;
  createEnvironment(
    input: EnvironmentInput,
    options?: RequestOptions,
  ): Promise<Environment>;
  updateEnvironment(
    name: string,
    patch: EnvironmentPatch,
    options?: RequestOptions,
  ): Promise<Environment>;
  deleteEnvironment(name: string, options?: RequestOptions): Promise<void>;
  /** The locks in force on any environment. */
  listActiveLocks(options?: RequestOptions): Promise<EnvironmentLock[]>;
  listDeployments(
    filter: { component?: string; environment?: string; limit?: number },
    options?: RequestOptions,
  ): Promise<Deployment[]>;
  /** What runs where, for a component, an environment or both. */
  listCurrentDeployments(
    filter: { component?: string; environment?: string },
    options?: RequestOptions,
  ): Promise<DeploymentHead[]>;
  getDeployment(id: string, options?: RequestOptions): Promise<Deployment>;
  createDeployment(
    request: DeploymentRequest,
    options?: RequestOptions,
  ): Promise<Deployment>;
  listPromotions(
    filter: { component?: string },
    options?: RequestOptions,
  ): Promise<Promotion[]>;
  /** Deploys at once, or waits for an approval into a protected environment. */
  promote(
    request: PromotionRequest,
    options?: RequestOptions,
  ): Promise<Promotion>;
  approvePromotion(id: string, options?: RequestOptions): Promise<Promotion>;
  rollback(
    request: RollbackRequest,
    options?: RequestOptions,
  ): Promise<Deployment>;
  reportDeploymentStatus(
    id: string,
    report: DeploymentStatusReport,
    options?: RequestOptions,
  ): Promise<Deployment>;
  /** The variables of an environment; secrets come without their value. */
  listVariables(
    environment: string,
    options?: RequestOptions,
  ): Promise<EnvironmentVariable[]>;
  /** Creates or replaces a variable; a secret is stored encrypted. */
  setVariable(
    environment: string,
    name: string,
    input: EnvironmentVariableInput,
    options?: RequestOptions,
  ): Promise<EnvironmentVariable>;
  deleteVariable(
    environment: string,
    name: string,
    options?: RequestOptions,
  ): Promise<void>;
  /**
   * Creates the preview environment of a component's pull request, or
   * returns the existing one with its expiry extended.
   */
  createPreview(
    request: PreviewRequest,
    options?: RequestOptions,
  ): Promise<Environment>;
  /** Removes what runs in a preview environment and deletes it. */
  tearDownPreview(name: string, options?: RequestOptions): Promise<void>;
}

/** Per-call options: a token for service-to-service calls. @public */
export interface RequestOptions {
  token?: string;
}

/**
 * A client of the environments backend over HTTP, in the shape
 * `backstage-repo-tools` generates for a `-common` package. Errors arrive as
 * `ResponseError`, carrying the backend's message and status.
 *
 * @public
 */
export class EnvironmentsClient implements EnvironmentsApi {
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

  async listEnvironments(options?: RequestOptions): Promise<Environment[]> {
    const body = await this.request<{ items: Environment[] }>(
      'GET',
      '/environments',
      undefined,
      options,
    );
    return body.items;
  }

  getEnvironment(name: string, options?: RequestOptions) {
    return this.request<Environment>(
      'GET',
      `/environments/${encodeURIComponent(name)}`,
      undefined,
      options,
    );
  }

  createEnvironment(input: EnvironmentInput, options?: RequestOptions) {
    return this.request<Environment>('POST', '/environments', input, options);
  }

  updateEnvironment(
    name: string,
    patch: EnvironmentPatch,
    options?: RequestOptions,
  ) {
    return this.request<Environment>(
      'PATCH',
      `/environments/${encodeURIComponent(name)}`,
      patch,
      options,
    );
  }

  async deleteEnvironment(name: string, options?: RequestOptions) {
    await this.request<void>(
      'DELETE',
      `/environments/${encodeURIComponent(name)}`,
      undefined,
      options,
    );
  }

  async listActiveLocks(options?: RequestOptions): Promise<EnvironmentLock[]> {
    const body = await this.request<{ items: EnvironmentLock[] }>(
      'GET',
      '/locks',
      undefined,
      options,
    );
    return body.items;
  }

  async listDeployments(
    filter: { component?: string; environment?: string; limit?: number },
    options?: RequestOptions,
  ): Promise<Deployment[]> {
    const body = await this.request<{ items: Deployment[] }>(
      'GET',
      `/deployments?${toQuery(filter)}`,
      undefined,
      options,
    );
    return body.items;
  }

  async listCurrentDeployments(
    filter: { component?: string; environment?: string },
    options?: RequestOptions,
  ): Promise<DeploymentHead[]> {
    const body = await this.request<{ items: DeploymentHead[] }>(
      'GET',
      `/deployments/current?${toQuery(filter)}`,
      undefined,
      options,
    );
    return body.items;
  }

  getDeployment(id: string, options?: RequestOptions) {
    return this.request<Deployment>(
      'GET',
      `/deployments/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  createDeployment(request: DeploymentRequest, options?: RequestOptions) {
    return this.request<Deployment>('POST', '/deployments', request, options);
  }

  async listPromotions(
    filter: { component?: string },
    options?: RequestOptions,
  ): Promise<Promotion[]> {
    const body = await this.request<{ items: Promotion[] }>(
      'GET',
      `/promotions?${toQuery(filter)}`,
      undefined,
      options,
    );
    return body.items;
  }

  promote(request: PromotionRequest, options?: RequestOptions) {
    return this.request<Promotion>('POST', '/promotions', request, options);
  }

  approvePromotion(id: string, options?: RequestOptions) {
    return this.request<Promotion>(
      'POST',
      `/promotions/${encodeURIComponent(id)}/approve`,
      undefined,
      options,
    );
  }

  rollback(request: RollbackRequest, options?: RequestOptions) {
    return this.request<Deployment>('POST', '/rollbacks', request, options);
  }

  reportDeploymentStatus(
    id: string,
    report: DeploymentStatusReport,
    options?: RequestOptions,
  ) {
    return this.request<Deployment>(
      'POST',
      `/deployments/${encodeURIComponent(id)}/status`,
      report,
      options,
    );
  }

  async listVariables(
    environment: string,
    options?: RequestOptions,
  ): Promise<EnvironmentVariable[]> {
    const body = await this.request<{ items: EnvironmentVariable[] }>(
      'GET',
      `/environments/${encodeURIComponent(environment)}/variables`,
      undefined,
      options,
    );
    return body.items;
  }

  setVariable(
    environment: string,
    name: string,
    input: EnvironmentVariableInput,
    options?: RequestOptions,
  ) {
    return this.request<EnvironmentVariable>(
      'PUT',
      `/environments/${encodeURIComponent(
        environment,
      )}/variables/${encodeURIComponent(name)}`,
      input,
      options,
    );
  }

  async deleteVariable(
    environment: string,
    name: string,
    options?: RequestOptions,
  ) {
    await this.request<void>(
      'DELETE',
      `/environments/${encodeURIComponent(
        environment,
      )}/variables/${encodeURIComponent(name)}`,
      undefined,
      options,
    );
  }

  createPreview(request: PreviewRequest, options?: RequestOptions) {
    return this.request<Environment>('POST', '/previews', request, options);
  }

  async tearDownPreview(name: string, options?: RequestOptions) {
    await this.request<void>(
      'DELETE',
      `/previews/${encodeURIComponent(name)}`,
      undefined,
      options,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    options?: RequestOptions,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('environments');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options?.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

/** A query string of the filter's set values. */
function toQuery(filter: Record<string, string | number | undefined>) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined) query.set(key, String(value));
  }
  return query.toString();
}
