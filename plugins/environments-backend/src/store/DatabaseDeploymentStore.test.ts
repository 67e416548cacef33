import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createEnvironmentsStores } from './environmentsStores';
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
      const { environments, deployments } = await createEnvironmentsStores({
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
      return { environments, deployments };
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

    it('tells what runs where: the latest deployment and the latest succeeded one', async () => {
      const { deployments, environments } = await createStores();
      await environments.create(
        {
          name: 'staging',
          tier: 'staging',
          promotionOrder: 20,
          owner: 'group:default/platform-admins',
          target: { type: 'external' },
          protected: false,
        },
        'user:default/ada',
      );
      const v1 = await deployments.create(deploy('1.0.0', 1));
      await deployments.report(v1.id, { status: 'succeeded' });
      const v2 = await deployments.create(deploy('1.1.0', 2));
      await deployments.report(v2.id, { status: 'failed', message: 'crash' });
      const v3 = await deployments.create(deploy('1.2.0', 3));
      const other = await deployments.create({
        ...deploy('0.9.0', 4),
        component: 'component:default/refunds-worker',
      });
      await deployments.report(other.id, { status: 'succeeded' });
      const staged = await deployments.create({
        ...deploy('1.0.0', 1),
        environment: 'staging',
      });
      await deployments.report(staged.id, { status: 'succeeded' });

      const matrix = await deployments.current({
        component: 'component:default/payments-api',
      });
      expect(
        matrix.map(h => [h.environment, h.latest.version, h.live?.version]),
      ).toEqual([
        ['dev', '1.2.0', '1.0.0'],
        ['staging', '1.0.0', '1.0.0'],
      ]);
      expect(matrix[0].latest).toMatchObject({ id: v3.id, status: 'pending' });

      const dev = await deployments.current({ environment: 'dev' });
      expect(dev.map(h => [h.component, h.live?.version])).toEqual([
        ['component:default/payments-api', '1.0.0'],
        ['component:default/refunds-worker', '0.9.0'],
      ]);
      await deployments.report(v3.id, { status: 'succeeded' });
      const [devHead] = await deployments.current({
        component: 'component:default/payments-api',
        environment: 'dev',
      });
      expect(devHead.live?.id).toBe(v3.id);
      expect(
        await deployments.current({ component: 'component:default/none' }),
      ).toEqual([]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'The deployment heads migration on %s',
  databaseId => {
    it('derives what runs where from the existing history', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@internal/plugin-environments-backend',
        'migrations',
      );
      await knex.migrate.up({
        directory,
        name: '20261125000000_environments.js',
      });
      for (const name of [
        '20261125010000_deployments.js',
        '20261126000000_locks.js',
        '20261126010000_promotions.js',
        '20261126020000_rollbacks.js',
      ]) {
        await knex.migrate.up({ directory, name });
      }
      await knex('environments').insert({
        name: 'dev',
        tier: 'development',
        promotion_order: 10,
        owner: 'group:default/platform-admins',
        target: JSON.stringify({ type: 'external' }),
        protected: false,
        created_by: 'user:default/ada',
        updated_by: 'user:default/ada',
        created_at: new Date(),
        updated_at: new Date(),
      });
      const row = (id: string, status: string, minute: number) => ({
        id,
        component: 'component:default/payments-api',
        environment: 'dev',
        version: `1.${minute}.0`,
        image: 'registry.local/payments-api',
        digest: digest(minute),
        status,
        trigger: JSON.stringify({ type: 'user', user: 'user:default/ada' }),
        deployer: 'external',
        created_at: new Date(Date.UTC(2026, 0, 1, 0, minute)),
      });
      const ids = [1, 2, 3].map(n => `00000000-0000-4000-8000-00000000000${n}`);
      await knex('deployments').insert([
        row(ids[0], 'succeeded', 1),
        row(ids[1], 'succeeded', 2),
        row(ids[2], 'failed', 3),
      ]);

      await knex.migrate.up({
        directory,
        name: '20261126030000_deployment_heads.js',
      });

      expect(await knex('deployment_heads').select()).toEqual([
        {
          component: 'component:default/payments-api',
          environment: 'dev',
          latest_deployment_id: ids[2],
          live_deployment_id: ids[1],
        },
      ]);
    });
  },
);
