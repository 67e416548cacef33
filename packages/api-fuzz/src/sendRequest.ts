/*
 * Sends a generated request as it is: node's http client rather than
 * fetch, which would normalise the path, refuse some bodies and set its
 * own content type.
 */
import { Agent, request as httpRequest } from 'node:http';
import { FuzzRequest } from './fuzzRequests';
import { Operation } from './openapiSpecs';

/** A request, as sent, and what came back. */
export interface Exchange {
  method: string;
  /** Path and query, as sent. */
  url: string;
  request: FuzzRequest;
  /** Sent with a token (false: the unauthenticated probes). */
  token: 'user' | 'none' | 'bad';
  /** Absent when no answer came in time. */
  status?: number;
  contentType?: string;
  text: string;
  /** The body parsed, when it was JSON. */
  json?: unknown;
  /** What went wrong when there was no answer. */
  error?: string;
  ms: number;
}

/** The backend stopped taking connections: the pass cannot go on. */
export class BackendGoneError extends Error {}

const ANSWER_TIMEOUT_MS = 20_000;
const MAX_BODY = 5 * 1024 * 1024;

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is
 * sent as the three bytes a UTF-16-minded encoder would write: text that
 * is not UTF-8, which the server must refuse rather than choke on.
 */
export function encodeText(text: string, allowReserved = false): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      ]
        .map(byte => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return allowReserved ? out.replace(/%3A/g, ':').replace(/%2F/g, '/') : out;
}

/** The path and query a request goes to. */
export function requestUrl(op: Operation, request: FuzzRequest): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeText(request.pathParams[name] ?? ''),
  );
  const query = request.query
    .map(([name, value]) => {
      const param = op.parameters.find(
        p => p.in === 'query' && p.name === name,
      );
      return `${encodeText(name)}=${encodeText(
        value,
        param?.allowReserved === true,
      )}`;
    })
    .join('&');
  return `/api/${op.pluginId}${path}${query ? `?${query}` : ''}`;
}

/** Where the backend listens and the user token requests carry. */
export interface Target {
  port: number;
  token: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends one request and reads the whole answer. */
export function send(
  target: Target,
  op: Operation,
  request: FuzzRequest,
  token: Exchange['token'] = 'user',
): Promise<Exchange> {
  const url = requestUrl(op, request);
  const headers: Record<string, string> = {};
  if (token === 'user') headers.authorization = `Bearer ${target.token}`;
  if (token === 'bad') headers.authorization = 'Bearer not-a-token';
  const body =
    request.body === undefined
      ? undefined
      : Buffer.from(request.body, request.bodyEncoding ?? 'utf8');
  if (request.contentType !== undefined) {
    headers['content-type'] = request.contentType;
  }
  if (body) headers['content-length'] = String(body.length);
  const started = Date.now();
  const base = { method: op.method, url, request, token };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        method: op.method,
        path: url,
        headers,
        agent,
        timeout: ANSWER_TIMEOUT_MS,
      },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('error', error =>
          resolve({
            ...base,
            status: res.statusCode,
            text: '',
            error: `the answer broke off: ${error.message}`,
            ms: Date.now() - started,
          }),
        );
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = res.headers['content-type'];
          let json: unknown;
          if (contentType?.includes('json')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({
            ...base,
            status: res.statusCode,
            contentType,
            text,
            json,
            ms: Date.now() - started,
          });
        });
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        reject(
          new BackendGoneError(
            `The backend refuses connections (it has stopped?) at ${op.method} ${url}`,
          ),
        );
        return;
      }
      resolve({
        ...base,
        text: '',
        error: error.message,
        ms: Date.now() - started,
      });
    });
    req.end(body);
  });
}
