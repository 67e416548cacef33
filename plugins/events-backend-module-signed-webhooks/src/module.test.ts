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

  it('checks the signature or token before it parses the body: 401 unsigned, 400 signed but not JSON', async () => {
    const { feature, received } = recorder(['github', 'gitlab']);
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
    const post = (topic: string) =>
      request(server)
        .post(`/api/events/http/${topic}`)
        .set('content-type', 'application/json');

    for (const body of ['{"ref":', 'not json', '']) {
      const unsigned = await post('github').send(body);
      expect({ body, status: unsigned.status }).toEqual({ body, status: 401 });
      expect(unsigned.body).toEqual({
        error: {
          name: 'AuthenticationError',
          message:
            'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
        },
        request: { method: 'POST', url: '/http/github' },
        response: { statusCode: 401 },
      });
      const wrongToken = await post('gitlab')
        .set('x-gitlab-token', 'wrong')
        .send(body);
      expect({ body, status: wrongToken.status }).toEqual({
        body,
        status: 401,
      });
    }

    const signedBroken = await post('github')
      .set('x-hub-signature-256', await sign(GITHUB_SECRET, '{"ref":'))
      .send('{"ref":');
    expect(signedBroken.status).toBe(400);
    expect(signedBroken.body.error.name).toBe('InputError');
    expect(signedBroken.body.error.message).toMatch(
      /^request body is not valid JSON: /,
    );
    expect(JSON.stringify(signedBroken.body)).not.toMatch(/stack|\.ts:|\.js:/);
    const tooLarge = await post('gitlab')
      .set('x-gitlab-token', GITLAB_SECRET)
      .send(JSON.stringify({ text: 'x'.repeat(5 * 1024 * 1024) }));
    expect(tooLarge.status).toBe(413);
    const tokenEmpty = await post('gitlab')
      .set('x-gitlab-token', GITLAB_SECRET)
      .send('');
    expect(tokenEmpty.status).toBe(400);
    expect(tokenEmpty.body.error.message).toBe(
      'request body is empty: a webhook delivery is a JSON document',
    );
    await settle();
    expect(received).toEqual([]);
  });

  it('answers a missing or other Content-Type 415, naming the header', async () => {
    const { feature, received } = recorder(['github']);
    const { server } = await backendWith(
      {
        http: { topics: ['github'] },
        modules: { github: { webhookSecret: GITHUB_SECRET } },
      },
      [feature],
    );
    const signature = await sign(GITHUB_SECRET, push);
    const cases: Array<[string | undefined, string]> = [
      [
        undefined,
        'Content-Type is missing: a webhook delivery is sent as application/json',
      ],
      [
        'application/x-www-form-urlencoded',
        "Content-Type 'application/x-www-form-urlencoded' is not supported: a webhook delivery is sent as application/json",
      ],
      [
        'application/json;;',
        "Content-Type 'application/json;;' is not supported: a webhook delivery is sent as application/json",
      ],
      [
        'application/json; charset=klingon',
        "Content-Type charset 'klingon' is not supported; send utf-8",
      ],
    ];
    for (const [type, message] of cases) {
      const req = request(server)
        .post('/api/events/http/github')
        .set('x-hub-signature-256', signature);
      // supertest sets no Content-Type for a Buffer, and serialises one as
      // JSON when the type is JSON.
      const res = await (type
        ? req.set('content-type', type).send(push)
        : req.send(Buffer.from(push)));
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      expect(res.body.error).toEqual({
        name: 'UnsupportedMediaTypeError',
        message,
      });
    }
    await settle();
    expect(received).toEqual([]);
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
