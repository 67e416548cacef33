import {
  RecordedAnswer,
  RecordedRequest,
  startRecordingHttpServer,
} from './recordingHttpServer';

/**
 * One method of a platform client as its test calls it, and the request it
 * must send.
 *
 * @public
 */
export type ClientOperationCase<Api> = {
  call: (api: Api) => Promise<unknown>;
  method: string;
  /** Path and query below the plugin's base URL, e.g. `/runs?offset=20`. */
  url: string;
  /** The JSON body it sends; absent where the operation has none. */
  body?: unknown;
  /** What the server answers with (default 200 with `returns`). */
  status?: number;
  answer?: unknown;
  /** What the method resolves with. */
  returns?: unknown;
};

/**
 * The checks every platform client's test makes on the wire, against a
 * recording HTTP server (see {@link clientOnTheWire}).
 *
 * @public
 */
export interface ClientOnTheWire<Api> {
  /**
   * Starts a recording server answering with `answer` and gives a client
   * pointed at it, and the requests the server received.
   */
  clientAnswering(
    answer: (request: RecordedRequest) => RecordedAnswer,
  ): Promise<{ client: Api; requests: RecordedRequest[] }>;
  /** Closes the server of the last `clientAnswering`; for `afterEach`. */
  close(): Promise<void>;
  /**
   * Calls one case's method and expects its one request (method, URL, JSON
   * body, and a content type only with a body) and that it resolves with
   * what the case returns.
   */
  expectOperation(c: ClientOperationCase<Api>): Promise<void>;
  /**
   * Expects the cases to be exactly the client's methods, and that calling
   * them all reaches every operation of the generated client: an operation
   * added to the spec and not to the client fails it.
   */
  expectEveryOperation(): Promise<void>;
}

/**
 * The on-the-wire checks of a platform client that wraps a generated
 * `DefaultApiClient`, for its test's `it`s.
 *
 * @public
 */
export function clientOnTheWire<Api>(options: {
  /** The plugin whose base URL the client reads from discovery. */
  pluginId: string;
  createClient: (discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  }) => Api;
  /** The client class, whose methods the cases must all be. */
  clientClass: { prototype: object };
  /** The generated `DefaultApiClient` the client wraps. */
  generatedClass: { prototype: object };
  cases: Record<string, ClientOperationCase<Api>>;
}): ClientOnTheWire<Api> {
  const { cases } = options;
  // 204 has no body, whatever the case returns.
  const answerOf = (c: ClientOperationCase<Api>) => ({
    status: c.status ?? 200,
    body: c.status === 204 ? undefined : c.answer ?? c.returns,
  });
  let closeServer: (() => Promise<void>) | undefined;

  const clientAnswering: ClientOnTheWire<Api>['clientAnswering'] =
    async answer => {
      const server = await startRecordingHttpServer(answer);
      closeServer = server.close;
      return {
        client: options.createClient(server.discoveryApi),
        requests: server.requests,
      };
    };

  return {
    clientAnswering,
    async close() {
      await closeServer?.();
      closeServer = undefined;
    },
    async expectOperation(c) {
      const { client, requests } = await clientAnswering(() => answerOf(c));
      await expect(c.call(client)).resolves.toEqual(c.returns);
      expect(requests).toHaveLength(1);
      const [request] = requests;
      expect(request.method).toBe(c.method);
      expect(request.url).toBe(`/api/${options.pluginId}${c.url}`);
      // No body, and then no content type, where the operation has none.
      expect(request.body ? JSON.parse(request.body) : undefined).toEqual(
        c.body,
      );
      expect(request.headers['content-type']).toBe(
        c.body === undefined ? undefined : 'application/json',
      );
    },
    async expectEveryOperation() {
      const methodsOf = (prototype: object) =>
        Object.getOwnPropertyNames(prototype).filter(n => n !== 'constructor');
      expect(Object.keys(cases).sort()).toEqual(
        methodsOf(options.clientClass.prototype).sort(),
      );
      const generated = options.generatedClass.prototype as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      const operations = methodsOf(generated);
      const spies = operations.map(operation =>
        jest.spyOn(generated, operation),
      );
      let current = Object.values(cases)[0];
      const { client } = await clientAnswering(() => answerOf(current));
      for (const c of Object.values(cases)) {
        current = c;
        await c.call(client);
      }
      expect(
        operations.filter((_, i) => spies[i].mock.calls.length === 0),
      ).toEqual([]);
      spies.forEach(spy => spy.mockRestore());
    },
  };
}
