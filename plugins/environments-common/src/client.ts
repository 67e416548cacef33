import {
  DiscoveryApi,
  FetchApi,
  RequestOptions,
} from '@internal/platform-common';
import {
  DefaultApiClient,
  ListCurrentDeployments,
  ListDeployments,
  ListPromotions,
} from './schema/openapi';
import {
  Environment,
  EnvironmentInput,
  EnvironmentLock,
  EnvironmentLockRequest,
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

export type { RequestOptions } from '@internal/platform-common';

/** Which deployments `listDeployments` returns (the operation's query). @public */
export type DeploymentFilter = ListDeployments['query'];

/** Whose current deployments `listCurrentDeployments` returns. @public */
export type CurrentDeploymentFilter = ListCurrentDeployments['query'];

/** Whose promotions `listPromotions` returns. @public */
export type PromotionFilter = ListPromotions['query'];

/**
 * The environments API, as the frontend and other plugins call it: every
 * operation of the backend's OpenAPI spec, with its list responses unwrapped.
 *
 * @public
 */
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
  /** The locks in force on one environment, oldest first. */
  listEnvironmentLocks(
    environment: string,
    options?: RequestOptions,
  ): Promise<EnvironmentLock[]>;
  /** Locks or freezes an environment: nothing is deployed there while it holds. */
  lockEnvironment(
    environment: string,
    request: EnvironmentLockRequest,
    options?: RequestOptions,
  ): Promise<EnvironmentLock>;
  releaseEnvironmentLock(
    environment: string,
    lockId: string,
    options?: RequestOptions,
  ): Promise<void>;
  listDeployments(
    filter: DeploymentFilter,
    options?: RequestOptions,
  ): Promise<Deployment[]>;
  /** What runs where, for a component, an environment or both. */
  listCurrentDeployments(
    filter: CurrentDeploymentFilter,
    options?: RequestOptions,
  ): Promise<DeploymentHead[]>;
  getDeployment(id: string, options?: RequestOptions): Promise<Deployment>;
  createDeployment(
    request: DeploymentRequest,
    options?: RequestOptions,
  ): Promise<Deployment>;
  listPromotions(
    filter: PromotionFilter,
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

/**
 * The environments API over HTTP: a thin layer over the `DefaultApiClient`
 * generated from the backend's spec (`src/schema/openapi/generated`), as
 * Backstage's `CatalogClient` is over its generated client. It only maps
 * positional arguments to the operation's `{ path, query, body }` and takes
 * the items out of list responses; the requests themselves, and the
 * `ResponseError` (carrying the backend's message and status) of a failed
 * one, are the generated client's.
 *
 * @public
 */
export class EnvironmentsClient implements EnvironmentsApi {
  private readonly api: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi?: FetchApi }) {
    this.api = new DefaultApiClient(options);
  }

  async listEnvironments(options?: RequestOptions) {
    const response = await this.api.listEnvironments({}, options);
    return (await response.json()).items;
  }

  async getEnvironment(name: string, options?: RequestOptions) {
    const response = await this.api.getEnvironment({ path: { name } }, options);
    return response.json();
  }

  async createEnvironment(input: EnvironmentInput, options?: RequestOptions) {
    const response = await this.api.createEnvironment({ body: input }, options);
    return response.json();
  }

  async updateEnvironment(
    name: string,
    patch: EnvironmentPatch,
    options?: RequestOptions,
  ) {
    const response = await this.api.updateEnvironment(
      { path: { name }, body: patch },
      options,
    );
    return response.json();
  }

  async deleteEnvironment(name: string, options?: RequestOptions) {
    await this.api.deleteEnvironment({ path: { name } }, options);
  }

  async listActiveLocks(options?: RequestOptions) {
    const response = await this.api.listActiveLocks({}, options);
    return (await response.json()).items;
  }

  async listEnvironmentLocks(environment: string, options?: RequestOptions) {
    const response = await this.api.listEnvironmentLocks(
      { path: { name: environment } },
      options,
    );
    return (await response.json()).items;
  }

  async lockEnvironment(
    environment: string,
    request: EnvironmentLockRequest,
    options?: RequestOptions,
  ) {
    const response = await this.api.lockEnvironment(
      { path: { name: environment }, body: request },
      options,
    );
    return response.json();
  }

  async releaseEnvironmentLock(
    environment: string,
    lockId: string,
    options?: RequestOptions,
  ) {
    await this.api.releaseEnvironmentLock(
      { path: { name: environment, lockId } },
      options,
    );
  }

  async listDeployments(filter: DeploymentFilter, options?: RequestOptions) {
    const response = await this.api.listDeployments({ query: filter }, options);
    return (await response.json()).items;
  }

  async listCurrentDeployments(
    filter: CurrentDeploymentFilter,
    options?: RequestOptions,
  ) {
    const response = await this.api.listCurrentDeployments(
      { query: filter },
      options,
    );
    return (await response.json()).items;
  }

  async getDeployment(id: string, options?: RequestOptions) {
    const response = await this.api.getDeployment({ path: { id } }, options);
    return response.json();
  }

  async createDeployment(request: DeploymentRequest, options?: RequestOptions) {
    const response = await this.api.createDeployment(
      { body: request },
      options,
    );
    return response.json();
  }

  async listPromotions(filter: PromotionFilter, options?: RequestOptions) {
    const response = await this.api.listPromotions({ query: filter }, options);
    return (await response.json()).items;
  }

  async promote(request: PromotionRequest, options?: RequestOptions) {
    const response = await this.api.promote({ body: request }, options);
    return response.json();
  }

  async approvePromotion(id: string, options?: RequestOptions) {
    const response = await this.api.approvePromotion({ path: { id } }, options);
    return response.json();
  }

  async rollback(request: RollbackRequest, options?: RequestOptions) {
    const response = await this.api.rollback({ body: request }, options);
    return response.json();
  }

  async reportDeploymentStatus(
    id: string,
    report: DeploymentStatusReport,
    options?: RequestOptions,
  ) {
    const response = await this.api.reportDeploymentStatus(
      { path: { id }, body: report },
      options,
    );
    return response.json();
  }

  async listVariables(environment: string, options?: RequestOptions) {
    const response = await this.api.listEnvironmentVariables(
      { path: { name: environment } },
      options,
    );
    return (await response.json()).items;
  }

  async setVariable(
    environment: string,
    name: string,
    input: EnvironmentVariableInput,
    options?: RequestOptions,
  ) {
    const response = await this.api.setEnvironmentVariable(
      { path: { name: environment, variable: name }, body: input },
      options,
    );
    return response.json();
  }

  async deleteVariable(
    environment: string,
    name: string,
    options?: RequestOptions,
  ) {
    await this.api.deleteEnvironmentVariable(
      { path: { name: environment, variable: name } },
      options,
    );
  }

  async createPreview(request: PreviewRequest, options?: RequestOptions) {
    const response = await this.api.createPreview({ body: request }, options);
    return response.json();
  }

  async tearDownPreview(name: string, options?: RequestOptions) {
    await this.api.tearDownPreview({ path: { name } }, options);
  }
}
