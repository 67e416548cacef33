import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  stringifyError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  Environment,
  PreviewRequest,
  PreviewTeardown,
  ENVIRONMENTS_TOPIC,
} from '@internal/plugin-environments-common';
import { Deployer } from '@internal/plugin-environments-node';
import { environmentEvent, serviceRemovedEvent } from '../events/cdevents';
import { PreviewStore } from '../store/PreviewStore';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { PREVIEWS_CONFIG_KEY, PreviewConfig } from './previewConfig';
import { previewNames } from './previewName';

/** Who tears down expired previews, in records and events. */
export const TTL_TASK_ACTOR = 'plugin:environments/preview-ttl';

/** The owner of a catalog entity, as an entity ref. */
function ownerOf(entity: Entity): string | undefined {
  const related = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (related) return related.targetRef;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

/** The milliseconds of an ISO 8601 duration from a request. */
function parseTtl(ttl: string): number {
  try {
    return durationToMilliseconds(
      readDurationFromConfig(new ConfigReader({ ttl }), { key: 'ttl' }),
    );
  } catch {
    throw new InputError(
      `request/body/ttl must be an ISO 8601 duration such as P3D or PT12H, got '${ttl}'`,
    );
  }
}

/**
 * Preview environments: one per component and pull request, owned by the
 * component's owner, expiring after a TTL that deployments into it extend.
 * Tear-down removes every component through the deployer, then deletes the
 * environment; until that has all happened the preview stays, marked, and the
 * scheduled task tries again.
 */
export class PreviewService {
  private readonly clock: () => Date;

  constructor(
    private readonly options: {
      environments: EnvironmentStore;
      previews: PreviewStore;
      deployers: Map<string, Deployer>;
      catalog: CatalogService;
      events: EventsService;
      auditor: AuditorService;
      logger: LoggerService;
      config: PreviewConfig | undefined;
      clock?: () => Date;
    },
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Creates the preview of a component's pull request, or extends and
   * returns the one that exists.
   */
  async create(
    request: PreviewRequest,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<{ environment: Environment; created: boolean }> {
    const config = this.requireConfig();
    const ttlMs = request.ttl ? parseTtl(request.ttl) : config.defaultTtlMs;
    if (ttlMs <= 0 || ttlMs > config.maxTtlMs) {
      throw new InputError(
        `request/body/ttl must be positive and at most ${
          config.maxTtlMs / 3_600_000
        } hours (${PREVIEWS_CONFIG_KEY}.maxTtl), got '${request.ttl}'`,
      );
    }
    const expiresAt = new Date(this.clock().getTime() + ttlMs);
    const { previews } = this.options;
    const existing = await previews.find(
      request.component,
      request.pullRequest.number,
    );
    if (existing) {
      return {
        environment: await previews.extend(
          existing.name,
          expiresAt,
          request.pullRequest,
        ),
        created: false,
      };
    }

    const entity = await this.options.catalog.getEntityByRef(
      request.component,
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(
        `No component ${request.component} in the catalog`,
      );
    }
    const owner = ownerOf(entity);
    if (!owner) {
      throw new ConflictError(
        `Component ${request.component} has no owner in the catalog, and a preview environment is owned by the component's owner`,
      );
    }
    const title = `${entity.metadata.title ?? entity.metadata.name} PR #${
      request.pullRequest.number
    }`;
    let lastConflict: unknown;
    for (const name of previewNames(
      request.component,
      request.pullRequest.number,
    )) {
      try {
        const result = await previews.create(
          {
            name,
            title,
            ...(request.pullRequest.url
              ? { description: request.pullRequest.url }
              : {}),
            tier: 'preview',
            promotionOrder: config.promotionOrder,
            owner,
            target: config.target,
            protected: false,
          },
          {
            component: request.component,
            pullRequest: request.pullRequest,
            expiresAt,
          },
          actor,
        );
        if (!result.created) {
          // Another request created it a moment ago: this one extends it.
          return {
            environment: await previews.extend(
              result.environment.name,
              expiresAt,
              request.pullRequest,
            ),
            created: false,
          };
        }
        await this.announce(
          environmentEvent('created', result.environment, actor),
        );
        return result;
      } catch (error) {
        // The name is taken by another environment: try the next one.
        if (!(error instanceof ConflictError)) throw error;
        lastConflict = error;
      }
    }
    throw lastConflict;
  }

  /**
   * Activity: a deployment into a preview moves its expiry to a full default
   * TTL from now (never earlier than it was).
   * @throws ConflictError when its tear-down has begun.
   */
  async recordActivity(environment: Environment): Promise<void> {
    if (!environment.preview) return;
    if (environment.preview.teardown) {
      throw new ConflictError(
        `Preview environment '${environment.name}' is being torn down`,
      );
    }
    if (!this.options.config) return;
    await this.options.previews.extend(
      environment.name,
      new Date(this.clock().getTime() + this.options.config.defaultTtlMs),
    );
  }

  /**
   * Removes every component deployed into the preview and deletes it. A
   * failure is recorded on the preview (which stays) and thrown; the
   * scheduled task retries it.
   */
  async tearDown(name: string, requestedBy: string): Promise<Environment> {
    const environment = await this.options.environments.get(name);
    if (!environment.preview) {
      throw new ConflictError(
        `Environment '${name}' is not a preview environment; delete it with DELETE /environments/${name}`,
      );
    }
    const { previews } = this.options;
    const attemptStartedAt = this.clock();
    const previous = environment.preview.teardown;
    let teardown: PreviewTeardown = await previews.saveTeardown(
      name,
      {
        startedAt: previous?.startedAt ?? attemptStartedAt.toISOString(),
        requestedBy: previous?.requestedBy ?? requestedBy,
        removed: previous?.removed ?? [],
        attempts: (previous?.attempts ?? 0) + 1,
        lastAttemptAt: attemptStartedAt.toISOString(),
      },
      previous,
    );
    try {
      // What is recorded now is what this attempt removes; the delete
      // refuses if anything else arrived meanwhile.
      const { ids, components } = await previews.deploymentsIn(name);
      const deployer = this.options.deployers.get(environment.target.type);
      if (components.length > 0 && !deployer) {
        throw new ServiceUnavailableError(
          `No deployer is installed for '${environment.target.type}' targets, so nothing can be removed from '${name}'`,
        );
      }
      for (const component of components) {
        // Every attempt removes every component again (removal is
        // idempotent), as one may have been deployed anew meanwhile; each is
        // announced once.
        await deployer!.remove?.({ component, environment });
        if (!teardown.removed.includes(component)) {
          teardown = await previews.saveTeardown(
            name,
            { ...teardown, removed: [...teardown.removed, component] },
            teardown,
          );
          await this.announce(
            serviceRemovedEvent(component, name, teardown.requestedBy),
          );
        }
      }
      const deleted = await previews.delete(name, ids);
      await this.announce(
        environmentEvent('deleted', deleted, teardown.requestedBy),
      );
      this.options.logger.info(
        `Tore down preview environment '${name}' (${components.length} component(s) removed, requested by ${teardown.requestedBy})`,
      );
      return deleted;
    } catch (error) {
      // Deleted meanwhile by another tear-down: nothing left to record.
      if (error instanceof NotFoundError) throw error;
      const message = stringifyError(error);
      await previews
        .saveTeardown(name, { ...teardown, lastError: message }, teardown)
        .catch(saveError =>
          this.options.logger.error(
            `Could not record the failed tear-down of preview '${name}'`,
            saveError,
          ),
        );
      throw new ServiceUnavailableError(
        `Tearing down preview environment '${name}' failed: ${message}. It stays, marked, and is retried`,
      );
    }
  }

  /**
   * The TTL task's work: tears down every expired preview and retries those
   * whose tear-down failed. One failure does not stop the others.
   */
  async tearDownExpired(
    now: Date = this.clock(),
  ): Promise<{ tornDown: string[]; failed: string[] }> {
    const due = await this.options.previews.due(now);
    const result = { tornDown: [] as string[], failed: [] as string[] };
    for (const preview of due) {
      const meta = {
        name: preview.name,
        component: preview.preview!.component,
        pullRequest: preview.preview!.pullRequest.number,
        expiresAt: preview.preview!.expiresAt,
        retry: Boolean(preview.preview!.teardown),
      };
      const auditEvent = await this.options.auditor.createEvent({
        eventId: 'preview-teardown',
        severityLevel: 'medium',
        meta,
      });
      try {
        await this.tearDown(preview.name, TTL_TASK_ACTOR);
        await auditEvent.success({ meta });
        result.tornDown.push(preview.name);
      } catch (error) {
        await auditEvent.fail({ meta, error: error as Error });
        this.options.logger.error(
          `Preview environment '${preview.name}' expired and could not be torn down; retrying on the next run`,
          error as Error,
        );
        result.failed.push(preview.name);
      }
    }
    return result;
  }

  private requireConfig(): PreviewConfig {
    if (!this.options.config) {
      throw new ServiceUnavailableError(
        `Preview environments are not configured: set ${PREVIEWS_CONFIG_KEY}.target (and optionally defaultTtl, maxTtl, promotionOrder)`,
      );
    }
    return this.options.config;
  }

  private async announce(payload: object & { context: { type: string } }) {
    await this.options.events
      .publish({ topic: ENVIRONMENTS_TOPIC, eventPayload: payload })
      .catch(error =>
        // The change is committed; subscribers can re-read the state.
        this.options.logger.error(
          `Could not publish ${payload.context.type}`,
          error,
        ),
      );
  }
}
