/*
 * The webhook ingress as the portal wires it: the events backend's HTTP
 * ingress with our GitHub and GitLab validators, secrets from config. A
 * delivery is published on the events service only when its signature or
 * token checks out; otherwise the sender gets 401 naming the header.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import signedWebhooksModule from '@internal/plugin-events-backend-module-signed-webhooks';
import {
  EventParams,
  eventsServiceFactory,
} from '@backstage/plugin-events-node';
import { recordEvents } from '@internal/platform-backend-test-utils';
import { sign } from '@octokit/webhooks-methods';
import request from 'supertest';

const GITHUB_SECRET = 'github-test-secret';
const GITLAB_SECRET = 'gitlab-test-secret';

async function startIngress() {
  const { feature: probe, events: received } = recordEvents([
    'github',
    'gitlab',
  ]);
  const { server } = await startTestBackend({
    features: [
      eventsPlugin,
      signedWebhooksModule,
      probe,
      // The real events service: one in-process bus shared by all plugins,
      // where the mock gives each plugin a bus of its own.
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          events: {
            // In-process delivery only: the bus's long polls would hold the
            // backend open at teardown.
            useEventBus: 'never',
            http: { topics: ['github', 'gitlab'] },
            modules: {
              github: { webhookSecret: GITHUB_SECRET },
              gitlab: { webhookSecret: GITLAB_SECRET },
            },
          },
        },
      }),
    ],
  });
  return { server, received };
}

/**
 * Delivery to subscribers is asynchronous: wait until `count` have arrived,
 * or for a while when none are expected.
 */
async function eventsArrived(
  received: EventParams[],
  count: number,
  attempts = 30,
) {
  for (let i = 0; i < attempts && received.length < count; i++) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return received;
}

const push = JSON.stringify({
  ref: 'refs/heads/main',
  after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
  repository: { full_name: 'launchpad-examples/payments-api' },
});

describe('webhook ingress', () => {
  let server: Awaited<ReturnType<typeof startIngress>>['server'];
  let received: EventParams[];

  beforeAll(async () => {
    ({ server, received } = await startIngress());
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('signs as GitHub documents it', async () => {
    await expect(
      sign("It's a Secret to Everybody", 'Hello, World!'),
    ).resolves.toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('publishes a GitHub delivery with a valid X-Hub-Signature-256', async () => {
    const res = await request(server)
      .post('/api/events/http/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'push')
      .set('x-github-delivery', 'a1b2c3')
      .set('x-hub-signature-256', await sign(GITHUB_SECRET, push))
      .send(push);
    expect(res.status).toBe(202);
    expect(await eventsArrived(received, 1)).toEqual([
      expect.objectContaining({
        topic: 'github',
        eventPayload: JSON.parse(push),
        metadata: expect.objectContaining({
          'x-github-event': 'push',
          'x-github-delivery': 'a1b2c3',
        }),
      }),
    ]);
  });

  it.each([
    [
      'a signature made with another secret',
      sign('not-the-secret', push),
      "X-Hub-Signature-256 header does not match the body: the webhook's secret differs from the configured one",
    ],
    [
      'no signature',
      Promise.resolve(undefined),
      'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
    ],
  ])('refuses a GitHub delivery with %s', async (_case, signature, message) => {
    let req = request(server)
      .post('/api/events/http/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'push');
    const value = await signature;
    if (value) req = req.set('x-hub-signature-256', value);
    const res = await req.send(push);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ name: 'AuthenticationError', message });
    expect(await eventsArrived(received, 1, 5)).toEqual([]);
  });

  it('publishes a GitLab delivery with the right X-Gitlab-Token and refuses a wrong one', async () => {
    const send = (token: string) =>
      request(server)
        .post('/api/events/http/gitlab')
        .set('content-type', 'application/json')
        .set('x-gitlab-event', 'Push Hook')
        .set('x-gitlab-token', token)
        .send(push);
    const wrong = await send('wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe(
      'X-Gitlab-Token header does not match the configured secret token',
    );
    expect(await eventsArrived(received, 1, 5)).toEqual([]);
    expect((await send(GITLAB_SECRET)).status).toBe(202);
    expect(await eventsArrived(received, 1)).toEqual([
      expect.objectContaining({
        topic: 'gitlab',
        eventPayload: JSON.parse(push),
      }),
    ]);
  });
});
