import { BenchRepository } from './repositories';

/** The user the benchmark signs in as: a member of the team that owns the components. */
export const BENCH_USER = 'user:default/bench-developer';

/** The team that owns the components. */
export const BENCH_TEAM = 'group:default/bench-team';

/**
 * The catalog: a team, its member, and one component per repository, found
 * by its `github.com/project-slug` as a push's repository is.
 */
export function catalogFile(
  components: Array<{ name: string; repository: BenchRepository }>,
): string {
  const docs: object[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'bench-team' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'bench-developer' },
      spec: { memberOf: ['bench-team'] },
    },
    ...components.map(({ name, repository }) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { 'github.com/project-slug': repository.slug },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/bench-team',
      },
    })),
  ];
  // JSON documents are YAML documents.
  return docs.map(doc => `---\n${JSON.stringify(doc)}\n`).join('');
}
