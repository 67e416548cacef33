import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { EnvironmentInput } from '@internal/plugin-environments-common';
import { createEnvironmentsStores } from './environmentsStores';
import { DatabaseVariableStore } from './DatabaseVariableStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const input: EnvironmentInput = {
  name: 'payments-api-pr-42',
  title: 'payments-api PR #42',
  tier: 'preview',
  promotionOrder: 5,
  owner: 'group:default/team-payments',
  target: { type: 'external' },
  protected: false,
};
const component = 'component:default/payments-api';
const pullRequest = { number: 42, branch: 'feature/x' };
const hour = 3_600_000;

describe.each(databases.eachSupportedId())(
  'DatabasePreviewStore on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const { environments, previews, deployments } =
        await createEnvironmentsStores({
          database: mockServices.database({ knex }),
        });
      return { knex, environments, previews, deployments };
    }
    const t0 = new Date('2030-01-01T00:00:00.000Z');

    it('creates a preview once per component and pull request', async () => {
      const { previews, environments } = await setup();
      const first = await previews.create(
        input,
        { component, pullRequest, expiresAt: t0 },
        'user:default/priya',
      );
      expect(first.created).toBe(true);
      expect(first.environment).toMatchObject({
        ...input,
        preview: { component, pullRequest, expiresAt: t0.toISOString() },
      });
      await expect(environments.get(input.name)).resolves.toEqual(
        first.environment,
      );
      // Under another name, for the same pull request: the existing one.
      const again = await previews.create(
        { ...input, name: 'other-name' },
        { component, pullRequest, expiresAt: t0 },
        'user:default/priya',
      );
      expect(again).toEqual({ environment: first.environment, created: false });
      expect((await environments.list()).map(e => e.name)).toEqual([
        input.name,
      ]);
      // The same name for another pull request: a conflict.
      await expect(
        previews.create(
          input,
          { component, pullRequest: { number: 43 }, expiresAt: t0 },
          'user:default/priya',
        ),
      ).rejects.toThrow(ConflictError);
      await expect(previews.find(component, 42)).resolves.toEqual(
        first.environment,
      );
      await expect(previews.find(component, 43)).resolves.toBeUndefined();
    });

    it('extends, never shortens, and lists what is due', async () => {
      const { previews } = await setup();
      await previews.create(
        input,
        { component, pullRequest, expiresAt: t0 },
        'u',
      );
      const later = new Date(t0.getTime() + hour);
      const extended = await previews.extend(input.name, later, {
        ...pullRequest,
        url: 'https://git.example.com/pr/42',
      });
      expect(extended.preview).toMatchObject({
        expiresAt: later.toISOString(),
        pullRequest: { url: 'https://git.example.com/pr/42' },
      });
      const notShorter = await previews.extend(input.name, t0);
      expect(notShorter.preview!.expiresAt).toBe(later.toISOString());

      expect(await previews.due(t0)).toEqual([]);
      expect((await previews.due(later)).map(e => e.name)).toEqual([
        input.name,
      ]);
    });

    it('records tear-down progress only over what it read, and refuses extension after', async () => {
      const { previews } = await setup();
      await previews.create(
        input,
        { component, pullRequest, expiresAt: t0 },
        'u',
      );
      const first = {
        startedAt: t0.toISOString(),
        requestedBy: 'u',
        removed: [],
        attempts: 1,
      };
      await previews.saveTeardown(input.name, first, undefined);
      // A second tear-down that read the preview before the first began.
      await expect(
        previews.saveTeardown(input.name, first, undefined),
      ).rejects.toThrow('is being torn down by another request');
      const second = await previews.saveTeardown(
        input.name,
        { ...first, removed: [component] },
        first,
      );
      await expect(
        previews.saveTeardown(input.name, { ...first, attempts: 2 }, first),
      ).rejects.toThrow(ConflictError);
      // Marked: due whatever its expiry, and no longer extended.
      expect(
        (await previews.due(new Date(0))).map(e => e.preview!.teardown),
      ).toEqual([second]);
      await expect(
        previews.extend(input.name, new Date(t0.getTime() + hour)),
      ).rejects.toThrow(
        `Preview environment '${input.name}' is being torn down`,
      );
    });

    it('deletes a preview with its history, variables and locks, unless a deployment arrived meanwhile', async () => {
      const { knex, previews, deployments, environments } = await setup();
      await previews.create(
        input,
        { component, pullRequest, expiresAt: t0 },
        'u',
      );
      await new DatabaseVariableStore(knex, undefined).set(
        input.name,
        'A',
        { value: '1' },
        'u',
      );
      const deploy = () =>
        deployments.create({
          component,
          environment: input.name,
          version: '1.0.0',
          artifact: { image: 'r/p:1', digest: `sha256:${'a'.repeat(64)}` },
          trigger: { type: 'user', user: 'u' },
          deployer: 'external',
        });
      const early = await deploy();
      await deployments.report(early.id, { status: 'succeeded' });
      const before = await previews.deploymentsIn(input.name);
      expect(before).toEqual({ ids: [early.id], components: [component] });

      const late = await deploy();
      await expect(previews.delete(input.name, before.ids)).rejects.toThrow(
        `A deployment of ${component} into preview '${input.name}' arrived during its tear-down`,
      );
      // Nothing went: all or nothing.
      expect(await deployments.list({ environment: input.name })).toHaveLength(
        2,
      );

      const deleted = await previews.delete(input.name, [early.id, late.id]);
      expect(deleted.name).toBe(input.name);
      await expect(environments.get(input.name)).rejects.toThrow(
        `No environment named '${input.name}'`,
      );
      expect(await knex('deployments')).toEqual([]);
      expect(await knex('deployment_heads')).toEqual([]);
      expect(await knex('environment_variables')).toEqual([]);
    });
  },
);
