import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the recording server received it. @public */
export type RecordedRequest = {
  method: string;
  /** Path and query, as sent (e.g. `/api/environments/locks?x=1`). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as sent; '' when there was none. */
  body: string;
};

/** How the recording server answers a request. @public */
export type RecordedAnswer = { status: number; body?: unknown };

/**
 * A real HTTP server on loopback that records every request and answers
 * with what `answer` gives (a JSON body, or none): for testing HTTP clients
 * on the wire, headers and encoding included, without the backend behind
 * them. `discoveryApi` gives `<server>/api/<pluginId>` as Backstage's
 * discovery does.
 *
 * @public
 */
export async function startRecordingHttpServer(
  answer: (request: RecordedRequest) => RecordedAnswer,
) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      };
      requests.push(request);
      const { status, body: out } = answer(request);
      res.writeHead(
        status,
        out === undefined ? {} : { 'Content-Type': 'application/json' },
      );
      res.end(out === undefined ? undefined : JSON.stringify(out));
    });
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    requests,
    baseUrl,
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
    },
    close: () =>
      new Promise<void>((done, fail) =>
        server.close(error => (error ? fail(error) : done())),
      ),
  };
}
