import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseEnvironmentStore } from './DatabaseEnvironmentStore';
import { NewDeployment } from './DeploymentStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const deploy = (version: string, n: number): NewDeployment => ({
  component: 'component:default/payments-api',
  environment: 'dev',
  version,
  artifact: {
    image: `registry.local/payments-api:${version}`,
    digest: digest(n),
  },
  trigger: { type: 'user', user: 'user:default/priya' },
  deployer: 'external',
});

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %s',
  databaseId => {
    async function createStores() {
      const knex = await databases.init(databaseId);
      const environments = await DatabaseEnvironmentStore.create({
        database: mockServices.database({ knex }),
      });
      await environments.create(
        {
          name: 'dev',
          tier: 'development',
          promotionOrder: 10,
          owner: 'group:default/platform-admins',
          target: { type: 'external' },
          protected: false,
        },
        'user:default/ada',
      );
      return {
        environments,
        deployments: new DatabaseDeploymentStore(environments.client),
      };
    }

    it('records a deployment through its life and links it to the one it replaces', async () => {
      const { deployments } = await createStores();
      const first = await deployments.create(deploy('1.0.0', 1));
      expect(first).toMatchObject({
        status: 'pending',
        version: '1.0.0',
        artifact: { digest: digest(1) },
        trigger: { type: 'user', user: 'user:default/priya' },
      });
      expect(first.previousDeploymentId).toBeUndefined();

      const started = await deployments.report(first.id, {
        status: 'in_progress',
      });
      expect(started.startedAt).toBeDefined();
      expect(started.finishedAt).toBeUndefined();
      const done = await deployments.report(first.id, {
        status: 'succeeded',
        message: 'rolled out',
      });
      expect(done).toMatchObject({
        status: 'succeeded',
        message: 'rolled out',
      });
      expect(done.finishedAt).toBeDefined();

      const second = await deployments.create(deploy('1.1.0', 2));
      expect(second.previousDeploymentId).toBe(first.id);
      expect(
        (
          await deployments.list({
            component: 'component:default/payments-api',
          })
        ).map(d => d.version),
      ).toEqual(['1.1.0', '1.0.0']);
    });

    it('lets only one of two concurrent deployments to one environment through', async () => {
      const { deployments } = await createStores();
      const results = await Promise.allSettled([
        deployments.create(deploy('2.0.0', 3)),
        deployments.create(deploy('2.0.1', 4)),
      ]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      expect(await deployments.list({ environment: 'dev' })).toHaveLength(1);
    });

    it('allows a new deployment once the previous one finished, even if it failed', async () => {
      const { deployments } = await createStores();
      const failed = await deployments.create(deploy('3.0.0', 5));
      await deployments.report(failed.id, {
        status: 'failed',
        message: 'image pull',
      });
      const next = await deployments.create(deploy('3.0.1', 6));
      expect(next.previousDeploymentId).toBeUndefined();
    });

    it('never changes a finished deployment', async () => {
      const { deployments } = await createStores();
      const d = await deployments.create(deploy('4.0.0', 7));
      await deployments.report(d.id, { status: 'succeeded' });
      await expect(
        deployments.report(d.id, { status: 'failed' }),
      ).rejects.toThrow(ConflictError);
      await expect(deployments.get(d.id)).resolves.toMatchObject({
        status: 'succeeded',
      });
      await expect(
        deployments.report('00000000-0000-4000-8000-000000000000', {
          status: 'failed',
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('keeps the history: an environment with deployments cannot be deleted', async () => {
      const { deployments, environments } = await createStores();
      await deployments.create(deploy('5.0.0', 8));
      await expect(environments.delete('dev')).rejects.toThrow(ConflictError);
      await expect(environments.get('dev')).resolves.toMatchObject({
        name: 'dev',
      });
    });
  },
);
