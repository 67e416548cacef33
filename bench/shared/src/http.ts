import { performance } from 'node:perf_hooks';

/** A response and how long it took, from sending to the last byte read. */
export interface TimedResponse {
  status: number;
  body: string;
  ms: number;
}

/**
 * A client of the backend under test. Time is measured around the request
 * and the reading of the whole body; parsing the JSON and checking it happen
 * after the clock stops, so they do not count.
 */
export class BenchClient {
  constructor(private readonly baseUrl: string, private token?: string) {}

  setToken(token: string) {
    this.token = token;
  }

  async send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<TimedResponse> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const start = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await res.text();
    } catch (error) {
      // fetch hides the socket error in `cause`.
      const cause = (error as Error & { cause?: Error }).cause;
      throw new Error(
        `${method} ${path} failed: ${(error as Error).message}${
          cause ? ` (${cause.message})` : ''
        }`,
      );
    }
    const ms = performance.now() - start;
    return { status: res.status, body: text, ms };
  }

  /** Sends and insists on the expected status; returns the parsed body. */
  async expect<T>(
    expected: number,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    extraHeaders?: Record<string, string>,
  ): Promise<{ data: T; ms: number }> {
    const res = await this.send(method, path, body, extraHeaders);
    if (res.status !== expected) {
      throw new Error(
        `${method} ${path} answered ${
          res.status
        }, expected ${expected}: ${res.body.slice(0, 500)}`,
      );
    }
    return { data: JSON.parse(res.body) as T, ms: res.ms };
  }
}

/**
 * Signs in through the auth backend's guest provider and returns the
 * Backstage user token it issues: an ES256 JWT that every plugin verifies
 * against the auth backend's keys, with the user's catalog group
 * memberships as ownership claims.
 */
export async function signIn(client: BenchClient): Promise<{
  token: string;
  ownership: string[];
}> {
  const { data } = await client.expect<{
    backstageIdentity: {
      token: string;
      identity: { ownershipEntityRefs: string[] };
    };
  }>(200, 'GET', '/api/auth/guest/refresh', undefined, {
    // As the frontend's sign-in sends it (OAuth providers insist on it).
    'x-requested-with': 'XMLHttpRequest',
  });
  return {
    token: data.backstageIdentity.token,
    ownership: data.backstageIdentity.identity.ownershipEntityRefs,
  };
}

/**
 * Signs in afresh and uses the new token (the user's ownership claims appear
 * once the catalog has stitched their groups), and counts the components the
 * catalog serves: how far the catalog has got with a benchmark's file.
 */
export async function catalogProgress(client: BenchClient): Promise<{
  components: number;
  ownership: string[];
}> {
  const { token, ownership } = await signIn(client);
  client.setToken(token);
  const { data } = await client.expect<{ totalItems: number }>(
    200,
    'POST',
    '/api/catalog/entities/by-query',
    { query: { kind: 'component' }, limit: 1 },
  );
  return { components: data.totalItems, ownership };
}
