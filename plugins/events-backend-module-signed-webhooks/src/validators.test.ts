import {
  RequestDetails,
  RequestRejectionDetails,
} from '@backstage/plugin-events-node';
import { sign } from '@octokit/webhooks-methods';
import { createHmac } from 'node:crypto';
import { createGithubSignatureValidator } from './githubSignatureValidator';
import { createGitlabTokenValidator } from './gitlabTokenValidator';

const SECRET = "It's a Secret to Everybody";

function requestOf(
  body: string,
  headers: RequestDetails['headers'],
): RequestDetails {
  return {
    body: undefined,
    headers,
    raw: { body: Buffer.from(body, 'utf8'), encoding: 'utf8' },
  };
}

/** Runs a validator and returns its rejection, if any. */
async function rejectionOf(
  validator: ReturnType<typeof createGithubSignatureValidator>,
  request: RequestDetails,
): Promise<Partial<RequestRejectionDetails> | undefined> {
  let rejection: Partial<RequestRejectionDetails> | undefined;
  await validator(request, {
    reject: details => {
      rejection = details ?? {};
    },
  });
  return rejection;
}

function unauthenticated(message: string) {
  return {
    status: 401,
    payload: {
      error: { name: 'AuthenticationError', message },
      response: { statusCode: 401 },
    },
  };
}

describe('createGithubSignatureValidator', () => {
  const validator = createGithubSignatureValidator(SECRET);

  it("accepts GitHub's documented test vector", async () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    expect(
      await rejectionOf(
        validator,
        requestOf('Hello, World!', {
          'x-hub-signature-256':
            'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        }),
      ),
    ).toBeUndefined();
  });

  it('accepts a body signed with the secret, non-ASCII included', async () => {
    const body = JSON.stringify({ message: 'Grüße, 世界' });
    expect(
      await rejectionOf(
        validator,
        requestOf(body, { 'x-hub-signature-256': await sign(SECRET, body) }),
      ),
    ).toBeUndefined();
  });

  it('rejects a missing signature with 401, naming the header', async () => {
    expect(await rejectionOf(validator, requestOf('{}', {}))).toEqual(
      unauthenticated(
        'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
      ),
    );
    expect(
      await rejectionOf(
        validator,
        requestOf('{}', { 'x-hub-signature-256': '' }),
      ),
    ).toEqual(
      unauthenticated(
        'Missing X-Hub-Signature-256 header: sign the webhook with its secret',
      ),
    );
  });

  it('rejects a signature made with another secret or over another body', async () => {
    const wrong = unauthenticated(
      "X-Hub-Signature-256 header does not match the body: the webhook's secret differs from the configured one",
    );
    expect(
      await rejectionOf(
        validator,
        requestOf('{}', { 'x-hub-signature-256': await sign('other', '{}') }),
      ),
    ).toEqual(wrong);
    expect(
      await rejectionOf(
        validator,
        requestOf('{"a":2}', {
          'x-hub-signature-256': await sign(SECRET, '{"a":1}'),
        }),
      ),
    ).toEqual(wrong);
    // An empty body is checked like any other: only its own HMAC passes.
    expect(
      await rejectionOf(
        validator,
        requestOf('', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }),
      ),
    ).toEqual(wrong);
    expect(
      await rejectionOf(
        validator,
        requestOf('', {
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET)
            .update('')
            .digest('hex')}`,
        }),
      ),
    ).toBeUndefined();
  });

  it('signs the raw bytes, whatever they decode to', async () => {
    // Not UTF-8: decoding and encoding again would change these bytes.
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = `sha256=${createHmac('sha256', SECRET)
      .update(bytes)
      .digest('hex')}`;
    expect(
      await rejectionOf(validator, {
        body: undefined,
        headers: { 'x-hub-signature-256': signature },
        raw: { body: bytes, encoding: 'utf8' },
      }),
    ).toBeUndefined();
  });

  it('rejects a SHA-1 or malformed value without trying it', async () => {
    const sha1 = await sign({ secret: SECRET, algorithm: 'sha1' as any }, '{}');
    for (const value of [sha1, 'sha256=abc', 'nonsense']) {
      expect(
        await rejectionOf(
          validator,
          requestOf('{}', { 'x-hub-signature-256': value }),
        ),
      ).toEqual(
        unauthenticated(
          'X-Hub-Signature-256 header is not of the form sha256=<64 hex digits>',
        ),
      );
    }
  });

  it('rejects a header sent twice', async () => {
    const signature = await sign(SECRET, '{}');
    expect(
      await rejectionOf(
        validator,
        requestOf('{}', { 'x-hub-signature-256': [signature, signature] }),
      ),
    ).toEqual(
      unauthenticated('X-Hub-Signature-256 header sent more than once'),
    );
  });

  it('never puts the secret or the sent signature in the answer', async () => {
    const sent = await sign('other', '{}');
    const rejection = await rejectionOf(
      validator,
      requestOf('{}', { 'x-hub-signature-256': sent }),
    );
    const text = JSON.stringify(rejection);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(sent.slice(7));
    expect(text).not.toContain((await sign(SECRET, '{}')).slice(7));
  });

  it('needs a secret', () => {
    expect(() => createGithubSignatureValidator('')).toThrow(
      'A GitHub webhook secret is required',
    );
  });
});

describe('createGitlabTokenValidator', () => {
  const validator = createGitlabTokenValidator('gitlab-token');

  it('accepts the configured token', async () => {
    expect(
      await rejectionOf(
        validator,
        requestOf('{}', { 'x-gitlab-token': 'gitlab-token' }),
      ),
    ).toBeUndefined();
  });

  it('rejects a missing, wrong or repeated token with 401, naming the header', async () => {
    expect(await rejectionOf(validator, requestOf('{}', {}))).toEqual(
      unauthenticated(
        "Missing X-Gitlab-Token header: set the webhook's secret token",
      ),
    );
    for (const token of [
      'wrong',
      'gitlab-token ',
      'gitlab-toke',
      'GITLAB-TOKEN',
    ]) {
      const rejection = await rejectionOf(
        validator,
        requestOf('{}', { 'x-gitlab-token': token }),
      );
      expect(rejection).toEqual(
        unauthenticated(
          'X-Gitlab-Token header does not match the configured secret token',
        ),
      );
      expect(JSON.stringify(rejection)).not.toContain('gitlab-token');
    }
    expect(
      await rejectionOf(
        validator,
        requestOf('{}', { 'x-gitlab-token': ['gitlab-token', 'gitlab-token'] }),
      ),
    ).toEqual(unauthenticated('X-Gitlab-Token header sent more than once'));
  });

  it('needs a secret', () => {
    expect(() => createGitlabTokenValidator('')).toThrow(
      'A GitLab webhook secret is required',
    );
  });
});
