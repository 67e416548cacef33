import {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EnvironmentsApi } from '@internal/plugin-environments-common';
import { environmentEntity, PROVIDER_LOCATION } from './environmentEntity';

/**
 * Mirrors the Environment Manager's environments into the catalog. Each
 * refresh replaces the whole set, so a deleted environment disappears; it
 * runs on a schedule and whenever the environments backend announces a
 * change.
 */
export class EnvironmentEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly options: {
      environments: EnvironmentsApi;
      auth: AuthService;
      logger: LoggerService;
      schedule: SchedulerServiceTaskRunner;
      /** The portal's URL, for the entity's link to the Environments page. */
      appBaseUrl: string;
    },
  ) {}

  getProviderName(): string {
    return 'environments';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.schedule.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /**
   * Refreshes after a change. A burst of deployments asks many times; while
   * one refresh runs, further requests fold into a single one after it, so
   * the catalog ends current without a refresh per event.
   */
  async refreshSoon(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.refresh();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Reads every environment and what runs there, and replaces the set. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error('The environments entity provider is not connected');
    }
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: await this.options.auth.getOwnServiceCredentials(),
      targetPluginId: 'environments',
    });
    const environments = await this.options.environments.listEnvironments({
      token,
    });
    const entities = await Promise.all(
      environments.map(async environment =>
        environmentEntity(
          environment,
          await this.options.environments.listCurrentDeployments(
            { environment: environment.name },
            { token },
          ),
          this.options.appBaseUrl,
        ),
      ),
    );
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_LOCATION,
      })),
    });
    this.options.logger.info(
      `Provided ${entities.length} environments to the catalog`,
    );
  }
}
