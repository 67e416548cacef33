import { knex, Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The databases of one run, and direct connections to them for seeding and
 * for reading the server's version. On PostgreSQL each plugin gets a fresh
 * database of its own, as in production (`pluginDivisionMode: database`),
 * named with a prefix unique to the run and dropped afterwards; on SQLite,
 * one file per plugin in a temporary folder.
 */
export interface RunDatabases {
  kind: 'postgres' | 'sqlite';
  /** The `backend.database` config the backend starts with. */
  backendConfig: object;
  /** What the databases are called, for the log. */
  description: string;
  /** The server (or library) version, e.g. `PostgreSQL 15.19`. */
  version(): Promise<string>;
  /** A connection to one plugin's database; closed by {@link close}. */
  plugin(pluginId: string): Knex;
  /** Runs ANALYZE so the planner has statistics for freshly seeded tables. */
  analyze(pluginId: string): Promise<void>;
  /** Closes the connections and removes the databases unless kept. */
  close(options: { keep: boolean }): Promise<void>;
}

function postgresConnection(url: string, database?: string) {
  const parsed = new URL(url);
  if (database) parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Fresh PostgreSQL databases for one run, named `<prefix><pluginId>` (the
 * backend's `pluginDivisionMode: database` with `prefix`), e.g.
 * `bench_env_<run>_`. Dropped by `close` unless kept.
 */
export async function postgresDatabases(
  url: string,
  prefix: string,
): Promise<RunDatabases> {
  const admin = knex({
    client: 'pg',
    connection: postgresConnection(url, 'postgres'),
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('select 1');
  } catch (error) {
    await admin.destroy();
    throw new Error(
      `No PostgreSQL answers at ${url} (${
        (error as Error).message
      }); start it, pass --postgres-url, or run with --sqlite`,
    );
  }
  const connections = new Map<string, Knex>();
  const parsed = new URL(url);
  const plugin = (pluginId: string) => {
    let db = connections.get(pluginId);
    if (!db) {
      db = knex({
        client: 'pg',
        connection: postgresConnection(url, `${prefix}${pluginId}`),
        pool: { min: 0, max: 2 },
      });
      connections.set(pluginId, db);
    }
    return db;
  };
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${parsed.host}, databases ${prefix}*`,
    backendConfig: {
      client: 'pg',
      connection: {
        host: parsed.hostname,
        port: Number(parsed.port || 5432),
        user: decodeURIComponent(parsed.username || 'postgres'),
        ...(parsed.password
          ? { password: decodeURIComponent(parsed.password) }
          : {}),
      },
      prefix,
    },
    async version() {
      const result = await admin.raw('select version() as version');
      return String(result.rows[0].version).split(' on ')[0];
    },
    plugin,
    async analyze(pluginId) {
      await plugin(pluginId).raw('ANALYZE');
    },
    async close({ keep }) {
      await Promise.all([...connections.values()].map(db => db.destroy()));
      if (!keep) {
        const result = await admin.raw(
          `select datname from pg_database where datname like ?`,
          [`${prefix}%`],
        );
        for (const { datname } of result.rows as { datname: string }[]) {
          await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
        }
      }
      await admin.destroy();
    },
  };
}

/** SQLite files for one run, in a temporary folder named `<folderPrefix>…`. */
export async function sqliteDatabases(
  folderPrefix: string,
): Promise<RunDatabases> {
  const directory = mkdtempSync(join(tmpdir(), folderPrefix));
  const connections = new Map<string, Knex>();
  return {
    kind: 'sqlite',
    description: `SQLite files in ${directory}`,
    backendConfig: { client: 'better-sqlite3', connection: { directory } },
    async version() {
      const probe = knex({
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
        useNullAsDefault: true,
      });
      try {
        const [row] = await probe.raw('select sqlite_version() as version');
        return `SQLite ${row.version} (better-sqlite3)`;
      } finally {
        await probe.destroy();
      }
    },
    plugin(pluginId) {
      let db = connections.get(pluginId);
      if (!db) {
        db = knex({
          client: 'better-sqlite3',
          connection: { filename: join(directory, `${pluginId}.sqlite`) },
          useNullAsDefault: true,
        });
        connections.set(pluginId, db);
      }
      return db;
    },
    async analyze() {
      // Backstage never runs ANALYZE on SQLite, so neither does the
      // benchmark: the figures are what the embedded default gets.
    },
    async close({ keep }) {
      await Promise.all([...connections.values()].map(db => db.destroy()));
      if (!keep) rmSync(directory, { recursive: true, force: true });
    },
  };
}
