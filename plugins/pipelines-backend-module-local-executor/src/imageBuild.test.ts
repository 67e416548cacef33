import { mockServices } from '@backstage/backend-test-utils';
import {
  PipelineWorkspace,
  readImageRegistryConfig,
  runImageBuild,
} from '@internal/plugin-pipelines-node';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalExecutor } from './LocalExecutor';
import {
  createPipelineRepository,
  freePort,
  startBasicAuthProxy,
  startRegistry,
  TestRegistry,
} from '@internal/platform-backend-test-utils';
import { collectPipelineLog } from '@internal/plugin-pipelines-node/testUtils';

// Image builds run the real buildah and push to a real registry: CI installs
// both (scripts/test.sh). Without them these tests fail, saying so.
jest.setTimeout(120_000);

const run = promisify(execFile);

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const PASSWORD = 'pa55-w0rd-never-logged';

async function requireTool(command: string, args: string[]) {
  try {
    await run(command, args);
  } catch (error) {
    throw new Error(
      `${command} is needed for the image build tests and could not run (${
        (error as Error).message
      }); install it with apt-get install buildah docker-registry (scripts/test.sh does)`,
    );
  }
}

/** A repository with a Dockerfile building FROM scratch with a small rootfs. */
async function createImageRepository() {
  const repo = await createPipelineRepository();
  const rootfs = await mkdtemp(join(tmpdir(), 'pipelines-rootfs-'));
  await mkdir(join(rootfs, 'etc'));
  await writeFile(join(rootfs, 'etc', 'hello'), 'hello from the pipeline\n');
  await run('cp', ['/etc/os-release', join(rootfs, 'etc', 'os-release')]);
  await run('tar', ['-C', rootfs, '-cf', join(repo.dir, 'rootfs.tar'), '.']);
  await rm(rootfs, { recursive: true, force: true });
  const commit = await repo.commitFiles(
    {
      Dockerfile:
        'FROM scratch\nADD rootfs.tar /\nARG VERSION\nLABEL version=$VERSION\n',
      'Broken.Dockerfile': 'FROMM scratch\n',
    },
    { message: 'image' },
  );
  return { url: repo.url, commit, remove: () => repo.remove() };
}

describe('image builds on the local executor', () => {
  let registry: TestRegistry;
  let repo: Awaited<ReturnType<typeof createImageRepository>>;
  let root: string;
  let executor: LocalExecutor;
  let workspace: PipelineWorkspace;

  beforeAll(async () => {
    await requireTool('buildah', ['--version']);
    await requireTool('docker-registry', ['--version']);
    repo = await createImageRepository();
    registry = await startRegistry();
  });

  afterAll(async () => {
    await registry?.stop();
    if (repo) await repo.remove();
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pipelines-workspaces-'));
    executor = new LocalExecutor({
      workspaceRoot: root,
      stepTimeoutMs: 60_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 500,
      maxOutputBytes: 1024 * 1024,
      path: process.env.PATH!,
      passEnvironment: [],
      logger: mockServices.logger.mock(),
    });
    await executor.start();
    workspace = await executor.prepareWorkspace({
      runId: 'run-1',
      component: 'component:default/hello-service',
      repository: { cloneUrl: repo.url, commit: repo.commit },
    });
  });

  afterEach(async () => {
    await executor.releaseWorkspace(workspace);
    await executor.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function workspaceTmpEntries() {
    const [dir] = await readdir(root);
    return readdir(join(root, dir, 'tmp'));
  }

  it('builds FROM scratch, pushes every tag with credentials from a file, and records the digest the registry has', async () => {
    const log = collectPipelineLog();
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Dockerfile',
        repository: 'team/hello',
        tags: ['1.0.0', 'latest'],
        buildArgs: { VERSION: '1.0.0' },
      },
      registry: {
        host: registry.host,
        insecure: true,
        username: 'ci',
        password: PASSWORD,
      },
      log: log.sink,
    });

    if (outcome.status !== 'succeeded') {
      throw new Error(`${outcome.reason}: ${outcome.message}\n${log.text()}`);
    }
    const { artifact } = outcome;
    expect(artifact).toEqual({
      image: `${registry.host}/team/hello:${repo.commit}`,
      repository: `${registry.host}/team/hello`,
      tags: [repo.commit, '1.0.0', 'latest'],
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });

    for (const tag of artifact.tags) {
      const response = await fetch(
        `http://${registry.host}/v2/team/hello/manifests/${tag}`,
        { headers: { Accept: MANIFEST_TYPES } },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('docker-content-digest')).toBe(
        artifact.digest,
      );
    }

    // The build argument reached the image: its config carries the label.
    const manifest = await (
      await fetch(`http://${registry.host}/v2/team/hello/manifests/latest`, {
        headers: { Accept: MANIFEST_TYPES },
      })
    ).json();
    const imageConfig = await (
      await fetch(
        `http://${registry.host}/v2/team/hello/blobs/${manifest.config.digest}`,
      )
    ).json();
    expect(imageConfig.config.Labels).toMatchObject({ version: '1.0.0' });
    expect(manifest.layers).toHaveLength(1);

    const text = log.text();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(
      Buffer.from(`ci:${PASSWORD}`).toString('base64'),
    );
    // Storage and the auth file went with the step.
    expect(await workspaceTmpEntries()).toEqual([]);
  });

  it("names the component's repository on the configured registry by default", async () => {
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: { context: '.', dockerfile: 'Dockerfile', tags: [], buildArgs: {} },
      registry: { host: registry.host, insecure: true },
      log: () => {},
    });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      artifact: { image: `${registry.host}/hello-service:${repo.commit}` },
    });
  });

  it('logs in with the configured credentials, and fails without revealing them when they are wrong', async () => {
    const proxy = await startBasicAuthProxy(registry.host, 'ci', PASSWORD);
    try {
      const build = (password: string) =>
        runImageBuild({
          executor,
          workspace,
          stepId: 'image.build',
          spec: {
            context: '.',
            dockerfile: 'Dockerfile',
            repository: 'team/private',
            tags: [],
            buildArgs: {},
          },
          registry: {
            host: proxy.host,
            insecure: true,
            username: 'ci',
            password,
          },
          log: () => {},
        });

      const outcome = await build(PASSWORD);
      if (outcome.status !== 'succeeded') {
        throw new Error(`${outcome.reason}: ${outcome.message}`);
      }
      expect(proxy.authorized()).toBeGreaterThan(0);
      const stored = await fetch(
        `http://${registry.host}/v2/team/private/manifests/${repo.commit}`,
        { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } },
      );
      expect(stored.headers.get('docker-content-digest')).toBe(
        outcome.artifact.digest,
      );

      const wrong = await build('wrong-password');
      expect(wrong).toMatchObject({
        status: 'failed',
        reason: 'push_failed',
        message: expect.stringMatching(
          /^buildah push failed[\s\S]*unauthorized/i,
        ),
      });
      expect(JSON.stringify(wrong)).not.toContain('wrong-password');
    } finally {
      await proxy.stop();
    }
  });

  it("reports buildah's error for a bad Dockerfile", async () => {
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Broken.Dockerfile',
        repository: 'team/broken',
        tags: [],
        buildArgs: {},
      },
      registry: { host: registry.host, insecure: true },
      log: () => {},
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'build_failed',
      message: expect.stringMatching(
        /^buildah bud failed \(exit code \d+\):\n[\s\S]*Error: no FROM statement found/,
      ),
    });
    const tags = await fetch(
      `http://${registry.host}/v2/team/broken/tags/list`,
    );
    expect(tags.status).toBe(404);
  });

  it('fails clearly when the registry is down', async () => {
    const down = `127.0.0.1:${await freePort()}`;
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Dockerfile',
        repository: 'team/hello',
        tags: [],
        buildArgs: {},
      },
      registry: { host: down, insecure: true },
      log: () => {},
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'push_failed',
      message: expect.stringMatching(
        new RegExp(
          `^buildah push failed[\\s\\S]*${down}[\\s\\S]*connection refused`,
        ),
      ),
    });
  });

  it('stops on cancel and removes its storage', async () => {
    // A push to a registry that is down retries for seconds: time to cancel.
    const down = `127.0.0.1:${await freePort()}`;
    const controller = new AbortController();
    const log = collectPipelineLog();
    const pending = runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Dockerfile',
        repository: 'team/hello',
        tags: [],
        buildArgs: {},
      },
      registry: { host: down, insecure: true },
      log: chunk => {
        log.sink(chunk);
        if (chunk.text.includes('Copying blob')) {
          controller.abort();
        }
      },
      signal: controller.signal,
    });
    const outcome = await pending;
    expect(controller.signal.aborted).toBe(true);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'cancelled' });
    expect(await workspaceTmpEntries()).toEqual([]);
  });

  it('verifies TLS unless the registry is configured insecure', async () => {
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Dockerfile',
        repository: 'team/hello',
        tags: [],
        buildArgs: {},
      },
      registry: { host: registry.host, insecure: false },
      log: () => {},
    });
    // The registry speaks plain HTTP; a verified TLS connection cannot be made.
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'push_failed',
      message: expect.stringMatching(/http response to HTTPS client/i),
    });
  });

  it('refuses a bad spec before running anything', async () => {
    const log = collectPipelineLog();
    const outcome = await runImageBuild({
      executor,
      workspace,
      stepId: 'image.build',
      spec: {
        context: '.',
        dockerfile: 'Dockerfile',
        repository: 'team/hello',
        tags: ['no spaces'],
        buildArgs: {},
      },
      registry: { host: registry.host, insecure: true },
      log: log.sink,
    });
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'invalid_request',
      message:
        "Image build refused: image.tags[0]: 'no spaces' is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)",
    });
    expect(log.text()).toBe('');
  });
});

describe('readImageRegistryConfig', () => {
  it('reads pipelines.images.registry', () => {
    const config = mockServices.rootConfig({
      data: {
        pipelines: {
          images: {
            registry: {
              host: 'registry.example.com:5000',
              username: 'u',
              password: 'p',
            },
          },
        },
      },
    });
    expect(readImageRegistryConfig(config)).toEqual({
      host: 'registry.example.com:5000',
      insecure: false,
      username: 'u',
      password: 'p',
    });
    expect(readImageRegistryConfig(mockServices.rootConfig())).toBeUndefined();
  });

  it('refuses a host with a scheme, and a username without a password', () => {
    const read = (registry: object) => () =>
      readImageRegistryConfig(
        mockServices.rootConfig({
          data: { pipelines: { images: { registry } } },
        }),
      );
    expect(read({ host: 'https://registry.example.com' })).toThrow(
      "pipelines.images.registry.host: 'https://registry.example.com' is not a registry host",
    );
    expect(read({ host: 'r.example.com', username: 'u' })).toThrow(
      'pipelines.images.registry: username and password go together',
    );
  });
});
