/*
 * The whole path of a webhook: a signed request to the events backend's HTTP
 * ingress (with the signed-webhooks module the portal installs), the events
 * service, this plugin's ingestor, the real catalog, the database, the
 * deliveries API and the run queue. The GitHub payloads are GitHub's own
 * examples.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  bearerFor,
  databasePerPlugin,
  testMemberships,
  userInfoWithMemberships,
} from '@internal/platform-backend-test-utils';
import signedWebhooksModule from '@internal/plugin-events-backend-module-signed-webhooks';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import { Delivery, PipelineRunView } from '@internal/plugin-pipelines-common';
import { pipelineExecutorExtensionPoint } from '@internal/plugin-pipelines-node';
import webhookExamples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import request from 'supertest';
import { pipelinesPlugin } from '../plugin';

const GITHUB_SECRET = 'github-test-secret';
const GITLAB_TOKEN = 'gitlab-test-token';

/** GitHub's own example payloads for an event, as published by Octokit. */
function examples(event: string): any[] {
  const found = webhookExamples.find(e => e.name === event);
  if (!found) throw new Error(`No GitHub examples for ${event}`);
  return found.examples as any[];
}

const branchPush = examples('push').find(
  p => p.ref === 'refs/heads/master' && !p.deleted,
);
const tagPush = examples('push').find(
  p => p.ref.startsWith('refs/tags/') && !p.deleted,
);
const deletedTag = examples('push').find(p => p.deleted);
const pullRequestOpened = examples('pull_request').find(
  p => p.action === 'opened',
);
const pullRequestSynchronize = examples('pull_request').find(
  p => p.action === 'synchronize',
);
const pullRequestLabeled = examples('pull_request').find(
  p => p.action === 'labeled',
);
const ping = examples('ping')[0];

/** A GitLab push event, as GitLab's webhook documentation shows one. */
function gitlabPush(path: string, overrides: object = {}) {
  const commit = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
  return {
    object_kind: 'push',
    event_name: 'push',
    before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
    after: commit,
    ref: 'refs/heads/main',
    ref_protected: true,
    checkout_sha: commit,
    user_id: 4,
    user_name: 'John Smith',
    user_username: 'jsmith',
    project_id: 15,
    project: {
      id: 15,
      name: path.split('/').pop(),
      web_url: `https://gitlab.example.com/${path}`,
      git_http_url: `https://gitlab.example.com/${path}.git`,
      namespace: path.split('/')[0],
      path_with_namespace: path,
      default_branch: 'main',
    },
    commits: [
      {
        id: commit,
        message: 'fixed readme',
        timestamp: '2012-01-03T23:36:29+02:00',
        author: { name: 'GitLab dev user', email: 'gitlabdev@dv6700.(none)' },
      },
    ],
    total_commits_count: 1,
    ...overrides,
  };
}

/** A GitLab merge request event. */
function gitlabMergeRequest(path: string, action: string, extra = {}) {
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: 1, name: 'Administrator', username: 'root' },
    project: {
      id: 1,
      web_url: `https://gitlab.example.com/${path}`,
      path_with_namespace: path,
      default_branch: 'main',
    },
    object_attributes: {
      id: 99,
      iid: 1,
      source_branch: 'ms-viewport',
      target_branch: 'main',
      title: 'MS-Viewport',
      state: 'opened',
      action,
      url: `https://gitlab.example.com/${path}/merge_requests/1`,
      last_commit: {
        id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        message: 'fixed readme',
      },
      ...extra,
    },
  };
}

const catalogFiles = createMockDirectory({
  content: {
    'catalog.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: hello-world
  annotations:
    github.com/project-slug: codertocat/hello-world
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: hello-world-api
  annotations:
    github.com/project-slug: Codertocat/Hello-World
spec: { type: openapi, lifecycle: production, owner: group:default/team-payments, definition: 'openapi: 3.0.0' }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: storefront-web
  annotations:
    gitlab.com/project-slug: launchpad/web/storefront-web
spec: { type: website, lifecycle: production, owner: group:default/team-storefront }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    backstage.io/source-location: url:https://github.com/launchpad-examples/monorepo/tree/main/services/orders/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing
  annotations:
    backstage.io/source-location: url:https://github.com/launchpad-examples/monorepo/tree/main/services/billing/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy
  annotations:
    backstage.io/source-location: url:https://github.com/launchpad-examples/monorepo-legacy/tree/main/
spec: { type: service, lifecycle: deprecated, owner: group:default/team-payments }
`,
  },
});

/**
 * An executor that cannot check anything out: the example repositories are
 * on github.com, out of reach here. Matched deliveries still become runs
 * (they fail at checkout), which is what shows a refused one made none.
 */
const unreachableExecutor = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'unreachable-executor',
  register(env) {
    env.registerInit({
      deps: { executors: pipelineExecutorExtensionPoint },
      async init({ executors }) {
        executors.addExecutor({
          id: 'local',
          prepareWorkspace: async () => {
            throw new Error('no repository is reachable in this test');
          },
          runStep: async () => {
            throw new Error('never called: nothing is checked out');
          },
          releaseWorkspace: async () => {},
        });
      },
    });
  },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'webhook deliveries through the HTTP ingress on %s',
  databaseId => {
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let auditor: ReturnType<typeof mockServices.auditor.mock>;

    beforeAll(async () => {
      auditor = mockServices.auditor.mock();
      auditor.createEvent.mockImplementation(async () => ({
        success: jest.fn(),
        fail: jest.fn(),
      }));
      ({ server } = await startTestBackend({
        features: [
          pipelinesPlugin,
          eventsPlugin,
          signedWebhooksModule,
          unreachableExecutor,
          catalogPlugin,
          permissionPlugin,
          platformPolicy,
          // The real events service: one bus shared by all plugins, where
          // the mock gives each plugin a bus of its own.
          eventsServiceFactory,
          userInfoWithMemberships(testMemberships),
          auditor.factory,
          databasePerPlugin(databases, databaseId),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              catalog: {
                rules: [{ allow: ['Component', 'API'] }],
                locations: [
                  {
                    type: 'file',
                    target: catalogFiles.resolve('catalog.yaml'),
                  },
                ],
              },
              events: {
                useEventBus: 'never',
                http: { topics: ['github', 'gitlab'] },
                modules: {
                  github: { webhookSecret: GITHUB_SECRET },
                  gitlab: { webhookSecret: GITLAB_TOKEN },
                },
              },
            },
          }),
        ],
      }));
      // Wait until the catalog has stitched every entity (search included).
      for (let i = 0; i < 200; i++) {
        const res = await request(server)
          .get('/api/catalog/entities/by-query?filter=kind=component')
          .set('Authorization', bearerFor('ada'));
        if (res.body?.items?.length === 5) break;
        await new Promise(r => setTimeout(r, 100));
      }
    }, 60_000);

    async function sendGithub(
      event: string,
      payload: unknown,
      options: { delivery?: string; secret?: string; body?: string } = {},
    ) {
      const body = options.body ?? JSON.stringify(payload);
      return request(server)
        .post('/api/events/http/github')
        .set('content-type', 'application/json')
        .set('x-github-event', event)
        .set('x-github-delivery', options.delivery ?? crypto.randomUUID())
        .set(
          'x-hub-signature-256',
          await sign(options.secret ?? GITHUB_SECRET, body),
        )
        .send(body);
    }

    function sendGitlab(
      payload: unknown,
      options: {
        token?: string;
        idempotencyKey?: string;
        eventUuid?: string;
      } = {},
    ) {
      let req = request(server)
        .post('/api/events/http/gitlab')
        .set('content-type', 'application/json')
        .set('x-gitlab-event', 'Push Hook')
        .set('x-gitlab-token', options.token ?? GITLAB_TOKEN);
      if (options.idempotencyKey) {
        req = req.set('idempotency-key', options.idempotencyKey);
      }
      if (options.eventUuid) {
        req = req.set('x-gitlab-event-uuid', options.eventUuid);
      }
      return req.send(JSON.stringify(payload));
    }

    async function deliveries(query = ''): Promise<Delivery[]> {
      const res = await request(server)
        .get(`/api/pipelines/deliveries?limit=100${query}`)
        .set('Authorization', bearerFor('otto'));
      expect(res.status).toBe(200);
      return res.body.items;
    }

    /** The ids of every run, oldest first: matched deliveries queue them. */
    async function runIds(): Promise<string[]> {
      const res = await request(server)
        .get('/api/pipelines/runs?limit=100')
        .set('Authorization', bearerFor('otto'));
      expect(res.status).toBe(200);
      return (res.body.items as PipelineRunView[]).map(r => r.id).sort();
    }

    async function deliveryWithId(deliveryId: string): Promise<Delivery> {
      const found = (await deliveries()).filter(
        d => d.deliveryId === deliveryId,
      );
      expect(found).toHaveLength(1);
      return found[0];
    }

    it('records a GitHub push, mapped by the project-slug annotation', async () => {
      const res = await sendGithub('push', branchPush, { delivery: 'push-1' });
      expect(res.status).toBe(202);
      expect(await deliveryWithId('push-1')).toEqual({
        id: expect.any(Number),
        provider: 'github',
        deliveryId: 'push-1',
        event: 'push',
        status: 'matched',
        repository: {
          slug: 'Codertocat/Hello-World',
          url: 'https://github.com/Codertocat/Hello-World',
          defaultBranch: 'master',
        },
        ref: 'refs/heads/master',
        commit: branchPush.after,
        author: 'Codertocat',
        sender: 'Codertocat',
        // The API with the same annotation is not a component.
        components: ['component:default/hello-world'],
        trigger: { type: 'push', branch: 'master', commit: branchPush.after },
        payloadDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        receivedAt: expect.any(String),
        // Handed over to the engine, which queued its run.
        processedAt: expect.any(String),
        redeliveries: 0,
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'webhook-delivery',
          severityLevel: 'low',
          meta: { provider: 'github', deliveryId: 'push-1', event: 'push' },
        }),
      );
    });

    it('records a pushed tag and a deleted one', async () => {
      expect(
        (await sendGithub('push', tagPush, { delivery: 'tag-1' })).status,
      ).toBe(202);
      expect(await deliveryWithId('tag-1')).toMatchObject({
        status: 'matched',
        ref: 'refs/tags/simple-tag',
        trigger: { type: 'tag', tag: 'simple-tag', commit: tagPush.after },
      });
      expect(
        (await sendGithub('push', deletedTag, { delivery: 'tag-2' })).status,
      ).toBe(202);
      const deleted = await deliveryWithId('tag-2');
      expect(deleted).toMatchObject({
        status: 'ignored',
        reason: "tag 'simple-tag' was deleted",
        components: [],
      });
      expect(deleted.trigger).toBeUndefined();
    });

    it('records pull requests opened and updated, and ignores other actions', async () => {
      expect(
        (
          await sendGithub('pull_request', pullRequestOpened, {
            delivery: 'pr-1',
          })
        ).status,
      ).toBe(202);
      expect(await deliveryWithId('pr-1')).toMatchObject({
        event: 'pull_request',
        action: 'opened',
        status: 'matched',
        ref: 'refs/pull/2/head',
        commit: pullRequestOpened.pull_request.head.sha,
        author: 'Codertocat',
        components: ['component:default/hello-world'],
        trigger: {
          type: 'pull_request',
          action: 'opened',
          number: 2,
          headBranch: 'changes',
          baseBranch: 'master',
          commit: pullRequestOpened.pull_request.head.sha,
          title: pullRequestOpened.pull_request.title,
          url: pullRequestOpened.pull_request.html_url,
        },
      });
      expect(
        (
          await sendGithub('pull_request', pullRequestSynchronize, {
            delivery: 'pr-2',
          })
        ).status,
      ).toBe(202);
      expect((await deliveryWithId('pr-2')).trigger).toMatchObject({
        action: 'synchronize',
      });
      expect(
        (
          await sendGithub('pull_request', pullRequestLabeled, {
            delivery: 'pr-3',
          })
        ).status,
      ).toBe(202);
      expect(await deliveryWithId('pr-3')).toMatchObject({
        status: 'ignored',
        action: 'labeled',
        reason: "pull request action 'labeled' starts nothing",
        components: [],
      });
    });

    it('records a ping and events pipelines do not use as ignored', async () => {
      expect(
        (await sendGithub('ping', ping, { delivery: 'ping-1' })).status,
      ).toBe(202);
      expect(await deliveryWithId('ping-1')).toMatchObject({
        event: 'ping',
        status: 'ignored',
        reason: 'a ping: GitHub checks that the webhook is reachable',
        repository: { slug: 'Octocoders/Hello-World' },
      });
      expect(
        (
          await sendGithub('star', examples('star')[0], {
            delivery: 'star-1',
          })
        ).status,
      ).toBe(202);
      expect(await deliveryWithId('star-1')).toMatchObject({
        status: 'ignored',
        reason: "GitHub event 'star' does not trigger pipelines",
      });
    });

    it('records a redelivery as a duplicate: still one record', async () => {
      expect(
        (await sendGithub('push', branchPush, { delivery: 'again-1' })).status,
      ).toBe(202);
      const first = await deliveryWithId('again-1');
      expect(
        (await sendGithub('push', branchPush, { delivery: 'again-1' })).status,
      ).toBe(202);
      expect(
        (await sendGithub('push', branchPush, { delivery: 'again-1' })).status,
      ).toBe(202);
      const after = await deliveryWithId('again-1');
      expect(after).toEqual({
        ...first,
        redeliveries: 2,
        lastRedeliveredAt: expect.any(String),
      });
    });

    it('answers a missing or wrong signature 401 naming the header, and records no delivery and no run', async () => {
      const deliveriesBefore = await deliveries();
      const runsBefore = await runIds();
      const unsigned = await request(server)
        .post('/api/events/http/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'push')
        .set('x-github-delivery', 'forged-1')
        .send(JSON.stringify(branchPush));
      expect(unsigned.status).toBe(401);
      expect(unsigned.body.error).toEqual({
        name: 'AuthenticationError',
        message:
          'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
      });
      const wrongSecret = await sendGithub('push', branchPush, {
        delivery: 'forged-2',
        secret: 'not-the-secret',
      });
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.body.error.message).toBe(
        "X-Hub-Signature-256 header does not match the body: the webhook's secret differs from the configured one",
      );
      expect(JSON.stringify(wrongSecret.body)).not.toContain(GITHUB_SECRET);
      // A valid signature over another body does not carry over.
      const body = JSON.stringify({ ...branchPush, after: 'f'.repeat(40) });
      const swapped = await request(server)
        .post('/api/events/http/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'push')
        .set('x-github-delivery', 'forged-3')
        .set(
          'x-hub-signature-256',
          await sign(GITHUB_SECRET, JSON.stringify(branchPush)),
        )
        .send(body);
      expect(swapped.status).toBe(401);
      expect(swapped.body.error.message).toMatch(
        /^X-Hub-Signature-256 header does not match the body/,
      );
      expect(await deliveries()).toEqual(deliveriesBefore);
      expect(await runIds()).toEqual(runsBefore);

      // The same push signed with the secret is recorded and queues a run,
      // so the two checks above would have seen one.
      expect(
        (await sendGithub('push', branchPush, { delivery: 'signed-1' })).status,
      ).toBe(202);
      expect((await deliveryWithId('signed-1')).status).toBe('matched');
      expect((await runIds()).length).toBe(runsBefore.length + 1);
    });

    it('refuses a body that is not JSON at the ingress, and records a payload that lacks fields as rejected', async () => {
      const before = await deliveries();
      const notJson = await sendGithub('push', undefined, {
        delivery: 'bad-1',
        body: '{"ref": "refs/heads/main",',
      });
      // Signed, so past the signature check; the ingress parses the body
      // before any subscriber sees it and names what is wrong.
      expect(notJson.status).toBe(400);
      expect(notJson.body.error.message).toMatch(
        /^request body is not valid JSON: /,
      );
      expect(await deliveries()).toEqual(before);

      const { repository: _, ...withoutRepository } = branchPush;
      expect(
        (await sendGithub('push', withoutRepository, { delivery: 'bad-2' }))
          .status,
      ).toBe(202);
      expect(await deliveryWithId('bad-2')).toMatchObject({
        event: 'push',
        status: 'rejected',
        reason:
          'repository: Invalid input: expected object, received undefined',
        components: [],
      });
      expect(
        (
          await sendGithub(
            'pull_request',
            {
              ...pullRequestOpened,
              pull_request: {
                ...pullRequestOpened.pull_request,
                head: { ref: 'x', sha: 'abc' },
              },
            },
            { delivery: 'bad-3' },
          )
        ).status,
      ).toBe(202);
      expect(await deliveryWithId('bad-3')).toMatchObject({
        status: 'rejected',
        reason: 'pull_request.head.sha: not a full commit id',
      });
    });

    it('records a push for a repository no component names as unmatched', async () => {
      const unknown = {
        ...branchPush,
        repository: {
          ...branchPush.repository,
          full_name: 'someone/unknown',
          html_url: 'https://github.com/someone/unknown',
        },
      };
      expect(
        (await sendGithub('push', unknown, { delivery: 'unknown-1' })).status,
      ).toBe(202);
      expect(await deliveryWithId('unknown-1')).toMatchObject({
        status: 'unmatched',
        reason:
          'no component in the catalog has the annotation github.com/project-slug: someone/unknown or a backstage.io/source-location in https://github.com/someone/unknown',
        repository: { slug: 'someone/unknown' },
        components: [],
        trigger: { type: 'push', branch: 'master' },
      });
      const unmatched = await deliveries('&status=unmatched');
      expect(unmatched.map(d => d.deliveryId)).toContain('unknown-1');
    });

    it('maps a monorepo to every component whose source location is in it', async () => {
      const monorepo = {
        ...branchPush,
        repository: {
          ...branchPush.repository,
          full_name: 'launchpad-examples/monorepo',
          html_url: 'https://github.com/launchpad-examples/monorepo',
        },
      };
      expect(
        (await sendGithub('push', monorepo, { delivery: 'mono-1' })).status,
      ).toBe(202);
      expect(await deliveryWithId('mono-1')).toMatchObject({
        status: 'matched',
        components: ['component:default/billing', 'component:default/orders'],
      });
      const forOrders = await deliveries('&component=orders');
      expect(forOrders.map(d => d.deliveryId)).toEqual(['mono-1']);
    });

    it('records a GitLab push with the right token, and nothing with a wrong or missing one (401)', async () => {
      const before = await deliveries();
      const runsBefore = await runIds();
      const wrong = await sendGitlab(
        gitlabPush('launchpad/web/storefront-web'),
        {
          token: 'wrong',
          idempotencyKey: 'gl-wrong',
        },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.message).toBe(
        'X-Gitlab-Token header does not match the configured secret token',
      );
      const missing = await request(server)
        .post('/api/events/http/gitlab')
        .set('content-type', 'application/json')
        .set('x-gitlab-event', 'Push Hook')
        .set('idempotency-key', 'gl-missing')
        .send(JSON.stringify(gitlabPush('launchpad/web/storefront-web')));
      expect(missing.status).toBe(401);
      expect(missing.body.error.message).toBe(
        "Missing X-Gitlab-Token header: set the webhook's secret token",
      );
      expect(await deliveries()).toEqual(before);
      expect(await runIds()).toEqual(runsBefore);

      const payload = gitlabPush('launchpad/web/storefront-web');
      await sendGitlab(payload, {
        idempotencyKey: 'gl-1',
        eventUuid: 'event-1',
      }).expect(202);
      expect(await deliveryWithId('gl-1')).toMatchObject({
        provider: 'gitlab',
        event: 'push',
        status: 'matched',
        repository: {
          slug: 'launchpad/web/storefront-web',
          url: 'https://gitlab.example.com/launchpad/web/storefront-web',
          defaultBranch: 'main',
        },
        ref: 'refs/heads/main',
        commit: payload.checkout_sha,
        author: 'GitLab dev user',
        sender: 'jsmith',
        components: ['component:default/storefront-web'],
        trigger: {
          type: 'push',
          branch: 'main',
          commit: payload.checkout_sha,
          before: payload.before,
        },
      });
      // A retry carries the same Idempotency-Key: one record.
      await sendGitlab(payload, {
        idempotencyKey: 'gl-1',
        eventUuid: 'event-2',
      }).expect(202);
      expect((await deliveryWithId('gl-1')).redeliveries).toBe(1);
      // Without one, X-Gitlab-Event-UUID identifies it.
      await sendGitlab(payload, { eventUuid: 'event-3' }).expect(202);
      await sendGitlab(payload, { eventUuid: 'event-3' }).expect(202);
      expect((await deliveryWithId('event-3')).redeliveries).toBe(1);
    });

    it('records GitLab tags and merge requests, and rejects a payload without object_kind', async () => {
      await sendGitlab(
        gitlabPush('launchpad/web/storefront-web', {
          object_kind: 'tag_push',
          ref: 'refs/tags/v1.0.0',
        }),
        { idempotencyKey: 'gl-tag' },
      ).expect(202);
      expect(await deliveryWithId('gl-tag')).toMatchObject({
        event: 'tag_push',
        trigger: { type: 'tag', tag: 'v1.0.0' },
      });

      await sendGitlab(
        gitlabMergeRequest('launchpad/web/storefront-web', 'open'),
        { idempotencyKey: 'gl-mr-1' },
      ).expect(202);
      expect(await deliveryWithId('gl-mr-1')).toMatchObject({
        event: 'merge_request',
        action: 'open',
        status: 'matched',
        ref: 'refs/merge-requests/1/head',
        trigger: {
          type: 'pull_request',
          action: 'opened',
          number: 1,
          headBranch: 'ms-viewport',
          baseBranch: 'main',
        },
      });
      await sendGitlab(
        gitlabMergeRequest('launchpad/web/storefront-web', 'update'),
        { idempotencyKey: 'gl-mr-2' },
      ).expect(202);
      expect(await deliveryWithId('gl-mr-2')).toMatchObject({
        status: 'ignored',
        reason: 'merge request updated without new commits',
      });
      await sendGitlab(
        gitlabMergeRequest('launchpad/web/storefront-web', 'merge'),
        { idempotencyKey: 'gl-mr-3' },
      ).expect(202);
      expect((await deliveryWithId('gl-mr-3')).trigger).toMatchObject({
        action: 'closed',
        merged: true,
      });

      const { object_kind: _, ...noKind } = gitlabPush(
        'launchpad/web/storefront-web',
      );
      await sendGitlab(noKind, { idempotencyKey: 'gl-bad' }).expect(202);
      expect(await deliveryWithId('gl-bad')).toMatchObject({
        event: 'Push Hook',
        status: 'rejected',
        reason: 'the payload has no object_kind (X-Gitlab-Event: Push Hook)',
      });
    });

    it('never stores the GitLab token or other headers', async () => {
      const res = await request(server)
        .get(
          '/api/pipelines/deliveries?limit=100&repository=launchpad/web/storefront-web',
        )
        .set('Authorization', bearerFor('otto'));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toContain(GITLAB_TOKEN);
    });
  },
);
