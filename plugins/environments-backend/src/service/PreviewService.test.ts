import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService } from '@backstage/plugin-events-node';
import { Environment } from '@internal/plugin-environments-common';
import { Deployer } from '@internal/plugin-environments-node';
import { createEnvironmentsStores } from '../store/environmentsStores';
import { PAYMENTS_API, paymentsApiEntity } from '../__testUtils__/testCatalog';
import { PreviewConfig } from './previewConfig';
import { PreviewService, TTL_TASK_ACTOR } from './PreviewService';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const hour = 3_600_000;
const config: PreviewConfig = {
  target: { type: 'external', system: 'argocd' },
  defaultTtlMs: 72 * hour,
  maxTtlMs: 14 * 24 * hour,
  promotionOrder: 5,
};
const payments = PAYMENTS_API;
const storefront = 'component:default/storefront';
const credentials = mockCredentials.user('user:default/priya');

describe.each(databases.eachSupportedId())(
  'PreviewService on %s',
  databaseId => {
    async function setup(options: { config?: PreviewConfig | null } = {}) {
      const knex = await databases.init(databaseId);
      const { environments, deployments, previews } =
        await createEnvironmentsStores({
          database: mockServices.database({ knex }),
        });
      const now = { time: new Date('2030-03-01T12:00:00.000Z').getTime() };
      const removals: string[] = [];
      const failing = new Set<string>();
      const onRemove: Array<() => Promise<unknown>> = [];
      const deployer: Deployer = {
        targetType: 'external',
        async deploy() {},
        async remove({ component, environment }) {
          if (failing.has(component)) {
            throw new Error(`cluster unreachable for ${component}`);
          }
          removals.push(`${component}@${environment.name}`);
          await onRemove.shift()?.();
        },
      };
      const published: any[] = [];
      const events = {
        publish: async (e: { eventPayload: unknown }) => {
          published.push(e.eventPayload);
        },
        subscribe: async () => {},
      } as unknown as EventsService;
      const auditor = mockServices.auditor.mock();
      const auditEvent = { success: jest.fn(), fail: jest.fn() };
      auditor.createEvent.mockResolvedValue(auditEvent);
      const service = new PreviewService({
        environments,
        previews,
        deployers: new Map([['external', deployer]]),
        catalog: catalogServiceMock({
          entities: [
            // With a title, which the preview's title takes, and the owner
            // as a bare name, which the service resolves to the group.
            {
              ...paymentsApiEntity,
              metadata: {
                ...paymentsApiEntity.metadata,
                title: 'Payments API',
              },
              spec: { ...paymentsApiEntity.spec, owner: 'team-payments' },
            },
          ],
        }),
        events,
        auditor,
        logger: mockServices.logger.mock(),
        config: options.config === null ? undefined : options.config ?? config,
        clock: () => new Date(now.time),
      });
      const deploy = (component: string, environment: string) =>
        deployments.create({
          component,
          environment,
          version: '1.0.0',
          artifact: { image: 'r/p:1', digest: `sha256:${'a'.repeat(64)}` },
          trigger: { type: 'user', user: 'u' },
          deployer: 'external',
        });
      const types = () => published.map(e => e.context.type);
      return {
        service,
        environments,
        deployments,
        deploy,
        now,
        removals,
        failing,
        onRemove,
        types,
        auditEvent,
      };
    }
    const request = {
      component: payments,
      pullRequest: { number: 42, url: 'https://git.example.com/pulls/42' },
    };

    it('creates a preview owned by the component owner, with the configured target and TTL', async () => {
      const { service, now, types } = await setup();
      const { environment, created } = await service.create(
        request,
        credentials,
        'user:default/priya',
      );
      expect(created).toBe(true);
      expect(environment).toMatchObject({
        name: 'payments-api-pr-42',
        title: 'Payments API PR #42',
        description: 'https://git.example.com/pulls/42',
        tier: 'preview',
        promotionOrder: 5,
        owner: 'group:default/team-payments',
        target: { type: 'external', system: 'argocd' },
        protected: false,
        createdBy: 'user:default/priya',
        preview: {
          component: payments,
          pullRequest: request.pullRequest,
          expiresAt: new Date(now.time + 72 * hour).toISOString(),
        },
      });
      expect(types()).toEqual(['dev.cdevents.environment.created.0.2.0']);
    });

    it('returns the existing preview for the same pull request, extended', async () => {
      const { service, now, environments, types } = await setup();
      const first = await service.create(request, credentials, 'u');
      now.time += 10 * hour;
      const again = await service.create(
        { ...request, ttl: 'P5D' },
        credentials,
        'pipeline',
      );
      expect(again.created).toBe(false);
      expect(again.environment.name).toBe(first.environment.name);
      expect(again.environment.preview!.expiresAt).toBe(
        new Date(now.time + 5 * 24 * hour).toISOString(),
      );
      // A shorter TTL does not cut it short.
      const shorter = await service.create(
        { ...request, ttl: 'PT1H' },
        credentials,
        'pipeline',
      );
      expect(shorter.environment.preview!.expiresAt).toBe(
        again.environment.preview!.expiresAt,
      );
      expect((await environments.list()).map(e => e.name)).toEqual([
        'payments-api-pr-42',
      ]);
      expect(types()).toEqual(['dev.cdevents.environment.created.0.2.0']);
    });

    it('refuses a TTL over the maximum, an unknown component, and missing config', async () => {
      const { service, environments } = await setup();
      await expect(
        service.create({ ...request, ttl: 'P15D' }, credentials, 'u'),
      ).rejects.toThrow(
        new InputError(
          "request/body/ttl must be positive and at most 336 hours (environments.previews.maxTtl), got 'P15D'",
        ),
      );
      await expect(
        service.create({ ...request, component: storefront }, credentials, 'u'),
      ).rejects.toThrow(NotFoundError);
      expect(await environments.list()).toEqual([]);
      const unconfigured = await setup({ config: null });
      await expect(
        unconfigured.service.create(request, credentials, 'u'),
      ).rejects.toThrow(
        new ServiceUnavailableError(
          'Preview environments are not configured: set environments.previews.target (and optionally defaultTtl, maxTtl, promotionOrder)',
        ),
      );
    });

    it('extends a preview on activity', async () => {
      const { service, now, environments } = await setup();
      const { environment } = await service.create(
        { ...request, ttl: 'PT2H' },
        credentials,
        'u',
      );
      now.time += hour;
      await service.recordActivity(environment);
      expect(
        (await environments.get(environment.name)).preview!.expiresAt,
      ).toBe(new Date(now.time + 72 * hour).toISOString());
    });

    it('tears down expired previews on the fake clock: removes each component, then deletes it', async () => {
      const {
        service,
        now,
        deploy,
        removals,
        types,
        environments,
        auditEvent,
      } = await setup();
      const { environment } = await service.create(request, credentials, 'u');
      await deploy(payments, environment.name);
      await deploy(storefront, environment.name);

      expect(await service.tearDownExpired()).toEqual({
        tornDown: [],
        failed: [],
      });
      expect(removals).toEqual([]);

      now.time += 72 * hour;
      expect(await service.tearDownExpired()).toEqual({
        tornDown: ['payments-api-pr-42'],
        failed: [],
      });
      expect(removals).toEqual([
        `${payments}@payments-api-pr-42`,
        `${storefront}@payments-api-pr-42`,
      ]);
      await expect(environments.get(environment.name)).rejects.toThrow(
        NotFoundError,
      );
      expect(types()).toEqual([
        'dev.cdevents.environment.created.0.2.0',
        'dev.cdevents.service.removed.0.2.0',
        'dev.cdevents.service.removed.0.2.0',
        'dev.cdevents.environment.deleted.0.2.0',
      ]);
      expect(auditEvent.success).toHaveBeenCalledTimes(1);
    });

    it('keeps a preview whose tear-down failed, marked, and finishes it on a later run', async () => {
      const {
        service,
        now,
        deploy,
        failing,
        types,
        environments,
        auditEvent,
        removals,
      } = await setup();
      const { environment } = await service.create(request, credentials, 'u');
      await deploy(payments, environment.name);
      await deploy(storefront, environment.name);
      failing.add(storefront);
      now.time += 73 * hour;

      expect(await service.tearDownExpired()).toEqual({
        tornDown: [],
        failed: ['payments-api-pr-42'],
      });
      const marked = await environments.get(environment.name);
      expect(marked.preview!.teardown).toEqual({
        startedAt: expect.any(String),
        requestedBy: TTL_TASK_ACTOR,
        removed: [payments],
        attempts: 1,
        lastAttemptAt: expect.any(String),
        lastError: `Error: cluster unreachable for ${storefront}`,
      });
      expect(auditEvent.fail).toHaveBeenCalledTimes(1);
      // No deployments while it is being torn down.
      await expect(service.recordActivity(marked)).rejects.toThrow(
        ConflictError,
      );

      failing.clear();
      expect(await service.tearDownExpired()).toEqual({
        tornDown: ['payments-api-pr-42'],
        failed: [],
      });
      await expect(environments.get(environment.name)).rejects.toThrow(
        NotFoundError,
      );
      // Each removal announced once, though the first was removed twice.
      expect(types()).toEqual([
        'dev.cdevents.environment.created.0.2.0',
        'dev.cdevents.service.removed.0.2.0',
        'dev.cdevents.service.removed.0.2.0',
        'dev.cdevents.environment.deleted.0.2.0',
      ]);
      expect(removals).toEqual([
        `${payments}@payments-api-pr-42`,
        `${payments}@payments-api-pr-42`,
        `${storefront}@payments-api-pr-42`,
      ]);
    });

    it('does not delete a preview into which a deployment arrived during its tear-down', async () => {
      const { service, deploy, onRemove, environments, removals } =
        await setup();
      const { environment } = await service.create(request, credentials, 'u');
      await deploy(payments, environment.name);
      // While the deployer removes payments-api, storefront gets deployed.
      onRemove.push(() => deploy(storefront, environment.name));
      await expect(service.tearDown(environment.name, 'u')).rejects.toThrow(
        `A deployment of ${storefront} into preview 'payments-api-pr-42' arrived during its tear-down`,
      );
      expect(
        (await environments.get(environment.name)).preview!.teardown,
      ).toMatchObject({ attempts: 1, removed: [payments] });
      await service.tearDown(environment.name, 'u');
      expect(removals).toEqual([
        `${payments}@payments-api-pr-42`,
        `${payments}@payments-api-pr-42`,
        `${storefront}@payments-api-pr-42`,
      ]);
      await expect(environments.get(environment.name)).rejects.toThrow(
        NotFoundError,
      );
    });

    it('tears down on request, and refuses environments that are not previews', async () => {
      const { service, environments } = await setup();
      const { environment } = await service.create(request, credentials, 'u');
      await service.tearDown(environment.name, 'user:default/priya');
      await expect(environments.get(environment.name)).rejects.toThrow(
        NotFoundError,
      );
      const dev: Environment = await environments.create(
        {
          name: 'dev',
          tier: 'development',
          promotionOrder: 10,
          owner: 'group:default/team-payments',
          target: { type: 'external' },
          protected: false,
        },
        'u',
      );
      await expect(service.tearDown(dev.name, 'u')).rejects.toThrow(
        "Environment 'dev' is not a preview environment",
      );
    });
  },
);
