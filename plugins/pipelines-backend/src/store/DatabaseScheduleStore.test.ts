import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { nextFireTime } from './DatabaseScheduleStore';
import { createPipelinesStores } from './pipelinesStores';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const component = 'component:default/payments-api';
const source = {
  repository: 'acme/payments-api',
  cloneUrl: 'https://github.com/acme/payments-api',
  defaultBranch: 'main',
};

describe('nextFireTime', () => {
  it('reads five-field cron in UTC', () => {
    expect(
      nextFireTime('0 3 * * *', new Date('2026-05-01T02:59:00Z')).toISOString(),
    ).toBe('2026-05-01T03:00:00.000Z');
    expect(
      nextFireTime('0 3 * * *', new Date('2026-05-01T03:00:00Z')).toISOString(),
    ).toBe('2026-05-02T03:00:00.000Z');
  });
});

describe.each(databases.eachSupportedId())(
  'DatabaseScheduleStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const { schedules } = await createPipelinesStores({
        database: mockServices.database({ knex }),
      });
      return schedules;
    }

    it('keeps the schedules the pipeline file declares, and when each fires next', async () => {
      const store = await createStore();
      const t0 = new Date('2026-05-01T00:30:00Z');
      await store.replaceForComponent(
        component,
        [{ cron: '0 3 * * *' }, { cron: '0 * * * *', branch: 'release' }],
        source,
        t0,
      );
      expect(
        (await store.list(component)).map(s => [
          s.cron,
          s.branch,
          s.nextFireAt,
        ]),
      ).toEqual([
        ['0 3 * * *', 'main', '2026-05-01T03:00:00.000Z'],
        ['0 * * * *', 'release', '2026-05-01T01:00:00.000Z'],
      ]);

      // Later: one kept (its time unchanged), one gone, one new.
      await store.replaceForComponent(
        component,
        [{ cron: '0 3 * * *' }, { cron: '30 4 * * 1' }],
        { ...source, cloneUrl: 'https://github.com/acme/payments-api-moved' },
        new Date('2026-05-01T02:00:00Z'),
      );
      const after = await store.list(component);
      expect(after.map(s => [s.cron, s.branch, s.nextFireAt])).toEqual([
        ['0 3 * * *', 'main', '2026-05-01T03:00:00.000Z'],
        ['30 4 * * 1', 'main', '2026-05-04T04:30:00.000Z'],
      ]);
      expect(after[0].cloneUrl).toBe(
        'https://github.com/acme/payments-api-moved',
      );

      await store.replaceForComponent(component, [], source);
      expect(await store.list(component)).toEqual([]);
    });

    it('fires a due schedule once per time, however many look at once', async () => {
      const store = await createStore();
      await store.replaceForComponent(
        component,
        [{ cron: '0 3 * * *' }],
        source,
        new Date('2026-05-01T00:00:00Z'),
      );
      expect(await store.listDue(new Date('2026-05-01T02:59:59Z'))).toEqual([]);
      const now = new Date('2026-05-03T09:00:00Z'); // two times missed
      const [due] = await store.listDue(now);
      expect(due.nextFireAt).toBe('2026-05-01T03:00:00.000Z');
      const wins = await Promise.all(
        [1, 2, 3].map(() => store.advance(due, now)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const [advanced] = await store.list(component);
      // Missed times fire once, then the schedule goes on from now.
      expect(advanced.nextFireAt).toBe('2026-05-04T03:00:00.000Z');
      expect(advanced.lastFiredAt).toBe(now.toISOString());
      expect(await store.listDue(now)).toEqual([]);
    });
  },
);
