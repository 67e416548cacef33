/**
 * Image stages through the real engine: the local executor runs buildah in
 * the run's workspace and pushes to a real registry on loopback (CI
 * installs both: scripts/test.sh).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  addImageFiles,
  createPipelineRepository,
  PipelineRepository,
  startRegistry,
  TestRegistry,
} from '@internal/platform-backend-test-utils';
import { LocalExecutor } from '@internal/plugin-pipelines-backend-module-local-executor';
import { ImageRegistryConfig } from '@internal/plugin-pipelines-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestRunStore } from '../__testUtils__/testRunStore';
import { RunRecord } from '../store/RunQueueStore';
import { DEFAULT_ENGINE_SETTINGS, RunEngine } from './RunEngine';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PIPELINE = `
version: 1
stages:
  - name: build
    steps:
      - name: version
        run: echo "version=1.2.$(cat COUNT)" >> "$PIPELINE_OUTPUT"
  - name: image
    needs: [build]
    image:
      tags: ['\${{ steps.version.outputs.version }}', '\${{ run.branch }}']
      buildArgs:
        VERSION: '\${{ steps.version.outputs.version }}'
`;

describe.each(databases.eachSupportedId())('image stages on %s', databaseId => {
  let registry: TestRegistry;
  let repo: PipelineRepository;
  let root: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    registry = await startRegistry();
  });

  afterAll(async () => {
    await registry?.stop();
  });

  beforeEach(async () => {
    repo = await createPipelineRepository();
    await addImageFiles(repo.dir);
    root = await mkdtemp(join(tmpdir(), 'pipelines-image-stage-'));
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await repo.remove();
    await rm(root, { recursive: true, force: true });
  });

  async function runPipeline(imageRegistry?: ImageRegistryConfig) {
    const knex = await databases.init(databaseId);
    const store = await createTestRunStore(knex);
    const executor = new LocalExecutor({
      workspaceRoot: join(root, 'workspaces'),
      stepTimeoutMs: 90_000,
      checkoutTimeoutMs: 30_000,
      killGracePeriodMs: 300,
      maxOutputBytes: 1024 * 1024,
      path: process.env.PATH!,
      passEnvironment: [],
      logger: mockServices.logger.mock(),
    });
    const events = { publish: jest.fn(async () => {}) };
    const engine = new RunEngine({
      store,
      executor,
      logger: mockServices.logger.mock(),
      settings: { ...DEFAULT_ENGINE_SETTINGS, pollIntervalMs: 100 },
      events: events as any,
      componentFacts: async () => ({ type: 'service' }),
      imageRegistry,
    });
    cleanups.push(() => executor.stop());
    cleanups.push(() => engine.stop());
    const commit = await repo.commit(PIPELINE);
    engine.start();
    const queued = await engine.enqueue({
      component: 'component:default/payments-api',
      repository: 'acme/payments-api',
      cloneUrl: repo.url,
      ref: 'refs/heads/main',
      branch: 'main',
      commit,
      trigger: { type: 'push', branch: 'main', commit, deliveryId: 1 },
      deliveryId: 1,
    });
    let run: RunRecord;
    for (;;) {
      run = await store.get(queued.id);
      if (!['queued', 'running'].includes(run.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const steps = await store.listSteps(run.id);
    const imageStep = steps.find(s => s.step === 'image')!;
    const log = (await store.readLog(imageStep.id, { limit: 1000 }))
      .map(c => c.text)
      .join('');
    const published = (events.publish.mock.calls as any[]).map(
      ([e]) => e.eventPayload,
    );
    return { store, run, commit, steps, imageStep, log, published };
  }

  it('builds and pushes the image with resolved tags, records it as an artifact and publishes artifact events', async () => {
    const { store, run, commit, steps, imageStep, log, published } =
      await runPipeline({ host: registry.host, insecure: true });
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(steps.map(s => [s.stage, s.step, s.status])).toEqual([
      ['.checkout', '.checkout', 'succeeded'],
      ['build', 'version', 'succeeded'],
      ['image', 'image', 'succeeded'],
    ]);
    expect(imageStep).toMatchObject({ tries: 1, exitCode: 0 });
    expect(log).toMatch(/Writing manifest|Storing signatures/);

    const repository = `${registry.host}/payments-api`;
    const [artifact] = await store.listArtifacts(run.id);
    expect(await store.listArtifacts(run.id)).toHaveLength(1);
    expect(artifact).toMatchObject({
      runId: run.id,
      attempt: 1,
      type: 'image',
      stage: 'image',
      image: `${repository}:${commit}`,
      tags: [commit, '1.2.1', 'main'],
    });
    expect(imageStep.outputs).toEqual({
      image: artifact.image,
      repository,
      digest: artifact.digest,
      tags: `${commit},1.2.1,main`,
    });
    // What the registry serves under each tag is what the run recorded.
    for (const tag of artifact.tags) {
      const response = await fetch(
        `http://${registry.host}/v2/payments-api/manifests/${tag}`,
        {
          method: 'HEAD',
          headers: {
            Accept: [
              'application/vnd.oci.image.manifest.v1+json',
              'application/vnd.docker.distribution.manifest.v2+json',
            ].join(', '),
          },
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('docker-content-digest')).toBe(
        artifact.digest,
      );
    }
    const config = await fetch(
      `http://${registry.host}/v2/payments-api/manifests/1.2.1`,
      {
        headers: {
          Accept: 'application/vnd.oci.image.manifest.v1+json',
        },
      },
    ).then(r => r.json());
    const blob = await fetch(
      `http://${registry.host}/v2/payments-api/blobs/${config.config.digest}`,
    ).then(r => r.json());
    expect(blob.config.Labels).toMatchObject({ version: '1.2.1' });

    const types = published.map(e => e.context.type);
    expect(types).toContain('dev.cdevents.artifact.packaged.0.2.0');
    const packaged = types.indexOf('dev.cdevents.artifact.packaged.0.2.0');
    expect(types[packaged + 1]).toBe('dev.cdevents.artifact.published.0.2.0');
    const purl = `pkg:oci/payments-api@${encodeURIComponent(
      artifact.digest,
    )}?repository_url=${encodeURIComponent(repository)}&tag=${commit}`;
    expect(published[packaged]).toMatchObject({
      subject: {
        id: purl,
        content: { change: { id: commit, source: 'acme/payments-api' } },
      },
      customData: {
        pipelineRun: { id: run.id },
        stage: 'image',
        digest: artifact.digest,
        tags: artifact.tags,
      },
    });
    expect(published[packaged + 1].subject.id).toBe(purl);
    expect(types.at(-1)).toBe('dev.cdevents.pipelinerun.finished.0.2.0');
  });

  it('fails the stage, naming the config key, when no registry is configured', async () => {
    const { store, run, imageStep, published } = await runPipeline();
    expect(run.status).toBe('failed');
    expect(imageStep).toMatchObject({ status: 'failed', tries: 1 });
    expect(imageStep.reason).toContain('pipelines.images.registry.host');
    expect(run.reason).toContain(
      `stage 'image': ${imageStep.reason!.split('\n')[0]}`,
    );
    expect(await store.listArtifacts(run.id)).toEqual([]);
    expect(
      published.filter(e => e.context.type.includes('.artifact.')),
    ).toEqual([]);
  });
});
