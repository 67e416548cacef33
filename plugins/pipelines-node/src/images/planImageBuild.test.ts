import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  planImageBuild,
  REGISTRY_AUTH_VARIABLE,
  shellQuote,
} from './planImageBuild';

const commit = 'a'.repeat(40);
const spec = {
  context: '.',
  dockerfile: 'Dockerfile',
  tags: [] as string[],
  buildArgs: {} as Record<string, string>,
};
const registry = { host: 'registry.example.com', insecure: false };

describe('planImageBuild', () => {
  it("tags the commit first, then the spec's tags, on the component's repository", () => {
    const plan = planImageBuild({
      spec: { ...spec, tags: ['1.2.0', commit, 'latest'] },
      commit,
      component: 'component:default/Payments',
      registry,
    });
    expect(plan.repository).toBe('registry.example.com/payments');
    expect(plan.tags).toEqual([commit, '1.2.0', 'latest']);
    expect(plan.references).toEqual([
      `registry.example.com/payments:${commit}`,
      'registry.example.com/payments:1.2.0',
      'registry.example.com/payments:latest',
    ]);
    expect(plan.env).toEqual({});
    expect(plan.command).toContain('--storage-driver vfs');
    expect(plan.command).toContain('--isolation chroot');
    expect(plan.command).toContain('--tls-verify=true');
    expect(plan.command).not.toContain('--authfile');
  });

  it('keeps credentials out of the command, in a variable the script writes to a file', () => {
    const plan = planImageBuild({
      spec,
      commit,
      component: 'component:default/payments',
      registry: {
        ...registry,
        insecure: true,
        username: 'ci',
        password: 's3cret',
      },
    });
    expect(plan.command).not.toContain('s3cret');
    expect(plan.command).toContain('--tls-verify=false');
    expect(plan.command).toContain('--authfile "$work/auth.json"');
    expect(JSON.parse(plan.env[REGISTRY_AUTH_VARIABLE])).toEqual({
      auths: {
        'registry.example.com': {
          auth: Buffer.from('ci:s3cret').toString('base64'),
        },
      },
    });
  });

  it("applies the configured registry's settings to it only", () => {
    const plan = planImageBuild({
      spec: { ...spec, repository: 'other.example.com:5000/team/app' },
      commit,
      registry: {
        host: 'registry.example.com',
        insecure: true,
        username: 'u',
        password: 'p',
      },
    });
    expect(plan.repository).toBe('other.example.com:5000/team/app');
    expect(plan.env).toEqual({});
    expect(plan.command).toContain('--tls-verify=true');
  });

  it.each([
    [
      { context: '/etc' },
      "image.context: '/etc' must be a path relative to the repository",
    ],
    [
      { dockerfile: 'a/../../Dockerfile' },
      "image.dockerfile: 'a/../../Dockerfile' leads out of the repository",
    ],
    [
      { repository: 'Team/App' },
      "image.repository: 'Team/App' is not a repository path",
    ],
    [{ tags: ['-x'] }, "image.tags[0]: '-x' is not a valid tag"],
    [
      { buildArgs: { 'A-B': '1' } },
      'image.buildArgs.A-B: not a valid build argument name',
    ],
  ])('refuses %j', (change, message) => {
    expect(() =>
      planImageBuild({
        spec: { ...spec, ...change },
        commit,
        component: 'component:default/x',
        registry,
      }),
    ).toThrow(message);
  });

  it('refuses a repository without a registry, and a short commit', () => {
    expect(() =>
      planImageBuild({ spec, commit, component: 'component:default/x' }),
    ).toThrow(
      'names no registry and none is configured (pipelines.images.registry.host)',
    );
    expect(() =>
      planImageBuild({ spec, commit: 'abc', registry, component: 'c:d/x' }),
    ).toThrow("commit: 'abc' is not a full commit id");
  });

  it('passes build arguments and paths to the shell as literals', async () => {
    const hostile = `$(touch /tmp/pwned) \`id\` '"; exit 1; "' \n $HOME`;
    const { stdout } = await promisify(execFile)('sh', [
      '-c',
      `printf '%s' ${shellQuote(hostile)}`,
    ]);
    expect(stdout).toBe(hostile);
    const plan = planImageBuild({
      spec: { ...spec, buildArgs: { NOTES: hostile } },
      commit,
      component: 'component:default/x',
      registry,
    });
    expect(plan.command).toContain(
      `--build-arg ${shellQuote(`NOTES=${hostile}`)}`,
    );
  });
});
