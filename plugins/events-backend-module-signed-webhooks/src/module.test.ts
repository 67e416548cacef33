import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  EventParams,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { sign } from '@octokit/webhooks-methods';
import request from 'supertest';
import { eventsModuleSignedWebhooks } from './module';

const GITHUB_SECRET = 'github-test-secret';
const GITLAB_SECRET = 'gitlab-test-secret';

/** A plugin that records what reaches the given topics. */
function recorder(topics: string[]) {
  const received: EventParams[] = [];
  const feature = createBackendPlugin({
    pluginId: 'recorder',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'recorder',
            topics,
            onEvent: async event => {
              received.push(event);
            },
          });
        },
      });
    },
  });
  return { feature, received };
}

function backendWith(events: object, extra: any[] = []) {
  return startTestBackend({
    features: [
      eventsPlugin,
      eventsModuleSignedWebhooks,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: { events: { useEventBus: 'never', ...events } },
      }),
      ...extra,
    ],
  });
}

async function settle() {
  await new Promise(resolve => setTimeout(resolve, 200));
}

describe('eventsModuleSignedWebhooks', () => {
  const push = JSON.stringify({ ref: 'refs/heads/main' });

  it('answers 401 naming the header, publishes nothing, and routes a signed delivery', async () => {
    const { feature, received } = recorder(['github', 'github.push', 'gitlab']);
    const { server } = await backendWith(
      {
        http: { topics: ['github', 'gitlab'] },
        modules: {
          github: { webhookSecret: GITHUB_SECRET },
          gitlab: { webhookSecret: GITLAB_SECRET },
        },
      },
      [feature],
    );
    const github = () =>
      request(server)
        .post('/api/events/http/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'push');

    const unsigned = await github().send(push);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error).toEqual({
      name: 'AuthenticationError',
      message:
        'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
    });
    const forged = await github()
      .set('x-hub-signature-256', await sign('not-the-secret', push))
      .send(push);
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toContain(
      'X-Hub-Signature-256 header does not match the body',
    );
    const wrongToken = await request(server)
      .post('/api/events/http/gitlab')
      .set('content-type', 'application/json')
      .set('x-gitlab-token', 'wrong')
      .send(push);
    expect(wrongToken.status).toBe(401);
    expect(wrongToken.body.error.message).toBe(
      'X-Gitlab-Token header does not match the configured secret token',
    );
    await settle();
    expect(received).toEqual([]);

    const signed = await github()
      .set('x-hub-signature-256', await sign(GITHUB_SECRET, push))
      .send(push);
    expect(signed.status).toBe(202);
    await settle();
    // The delivery on `github`, and re-published on `github.push` as
    // Backstage's own module does.
    expect(received.map(e => e.topic).sort()).toEqual([
      'github',
      'github.push',
    ]);
  });

  it('refuses to start when a listed topic has no secret', async () => {
    await expect(
      backendWith({
        http: { topics: ['github', 'gitlab'] },
        modules: { github: { webhookSecret: GITHUB_SECRET } },
      }),
    ).rejects.toThrow(
      "events.http.topics lists 'gitlab', but events.modules.gitlab.webhookSecret is not set",
    );
  });

  it('adds no ingress for a provider neither listed nor configured', async () => {
    const { server } = await backendWith({
      http: { topics: ['github'] },
      modules: { github: { webhookSecret: GITHUB_SECRET } },
    });
    const res = await request(server)
      .post('/api/events/http/gitlab')
      .set('content-type', 'application/json')
      .send(push);
    expect(res.status).toBe(404);
  });
});
