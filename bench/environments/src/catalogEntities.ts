import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** Components per team, roughly what a team of a large organisation owns. */
const COMPONENTS_PER_TEAM = 100;

/** The user the benchmark signs in as, and the teams they belong to. */
export const BENCH_USER = 'user:default/bench-developer';
const BENCH_USER_TEAMS = 2;

/** The seeded organisation: what the catalog holds and who owns what. */
export interface BenchOrganisation {
  entities: Entity[];
  /** Every component, as entity refs. */
  components: string[];
  /** Components owned by the benchmark user's teams: the ones they may deploy. */
  ownedByUser: string[];
  /** The groups the user's token should claim once the catalog has them. */
  userTeams: string[];
}

function teamName(index: number) {
  return `team-${String(index).padStart(2, '0')}`;
}

/**
 * A catalog of `count` components spread over teams of 100, the teams, an
 * admin group and the benchmark user. Components carry the annotations,
 * tags and links a real one has, so that catalog responses are of a
 * realistic size.
 */
export function benchOrganisation(count: number): BenchOrganisation {
  const teams = Math.max(1, Math.ceil(count / COMPONENTS_PER_TEAM));
  const entities: Entity[] = [];
  const components: string[] = [];
  const ownedByUser: string[] = [];
  const userTeams = Array.from(
    { length: Math.min(BENCH_USER_TEAMS, teams) },
    (_, i) => `group:default/${teamName(i)}`,
  );

  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform-admins' },
    spec: { type: 'team', children: [] },
  });
  for (let t = 0; t < teams; t++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: teamName(t), title: `Team ${t}` },
      spec: { type: 'team', children: [] },
    });
  }
  entities.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bench-developer' },
    spec: {
      profile: { displayName: 'Bench Developer' },
      memberOf: userTeams.map(ref => ref.replace('group:default/', '')),
    },
  });

  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const owner = `group:default/${teamName(i % teams)}`;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        title: `Service ${i}`,
        description: `Benchmark service ${i}, owned by ${owner}; it exists so that the catalog holds as many components as a large organisation does.`,
        tags: ['bench', i % 2 ? 'typescript' : 'java', `tier-${i % 3}`],
        annotations: {
          'github.com/project-slug': `launchpad-bench/${name}`,
          'backstage.io/techdocs-ref': 'dir:.',
          'backstage.io/kubernetes-id': name,
        },
        links: [
          { url: `https://grafana.example.com/d/${name}`, title: 'Dashboard' },
        ],
      },
      spec: { type: 'service', lifecycle: 'production', owner },
    };
    entities.push(entity);
    const ref = stringifyEntityRef(entity);
    components.push(ref);
    if (userTeams.includes(owner)) ownedByUser.push(ref);
  }
  return { entities, components, ownedByUser, userTeams };
}

/**
 * The entities as a multi-document YAML file for a catalog `file` location;
 * JSON documents are valid YAML, so no YAML writer is needed.
 */
export function toCatalogFile(entities: Entity[]): string {
  return entities.map(e => `---\n${JSON.stringify(e)}\n`).join('');
}
