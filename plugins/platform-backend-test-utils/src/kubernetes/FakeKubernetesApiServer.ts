import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { generate as generateCertificate } from 'selfsigned';
import { parse as parseYaml } from 'yaml';
import { apiGroupList, apiResourceList, coreApiVersions } from './discovery';
import {
  FakeDeploymentBehaviour,
  FakeDeploymentController,
} from './FakeDeploymentController';
import { FakeJobController } from './FakeJobController';
import { FakePodLogs } from './FakePodLogs';
import { FakeKubelet } from './FakeProcessKubelet';
import { ObjectRegistry } from './ObjectRegistry';
import {
  apiVersionOf,
  FakeResourceType,
  FAKE_RESOURCE_TYPES,
  resourceTypeOfKind,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import {
  badRequest,
  KubernetesStatusError,
  methodNotAllowed,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from './status';
import { KubeObject, KubeWatchEvent } from './types';

/** A request the fake API server received, for tests to check how a client talks to it. @public */
export type FakeKubernetesRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** The response status code. */
  status?: number;
};

type Route = {
  group: string;
  version: string;
  plural?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
};

function parseRoute(pathname: string): Route | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    [group, version, rest] = ['', segments[1], segments.slice(2)];
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, plural, name, subresource] = rest;
    return { group, version, namespace, plural, name, subresource };
  }
  const [plural, name, subresource] = rest;
  return { group, version, plural, name, subresource };
}

/** Strips what a real API server leaves out of list items. */
function listItem(object: KubeObject) {
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

/**
 * A Kubernetes API server in the test process, for testing code that talks
 * to clusters with the real `@kubernetes/client-node` (or any HTTP client).
 *
 * It serves a subset of the API over HTTPS on 127.0.0.1, with a certificate
 * of its own whose CA clients get from {@link FakeKubernetesApiServer.caData}:
 * discovery; core v1
 * namespaces, pods, services, secrets, configmaps and persistentvolumeclaims;
 * apps/v1 deployments and replicasets; batch/v1 jobs. For those: get, list and watch (label and
 * field selectors, resource versions), create, replace (stale
 * resourceVersion: 409), delete (with garbage collection of dependents),
 * server-side apply (`application/apply-patch+yaml`, fieldManager, force,
 * conflicts, creation on apply), JSON merge and strategic merge patches, and
 * `dryRun=All`. Errors are `Status` objects as a real server sends them.
 * Lists of anything else answer empty, so that dashboards asking for more
 * kinds (the Kubernetes plugin) work. Every request needs
 * `Authorization: Bearer <token>`.
 *
 * A simulated deployment controller rolls Deployments out; tests choose how
 * with {@link FakeKubernetesApiServer.setDeploymentBehaviour}. A simulated
 * job controller creates the pods of Jobs ({@link FakeJobController}); they
 * run when a test gives the server a kubelet
 * ({@link FakeKubernetesApiServer.setKubelet}, e.g. a
 * {@link FakeProcessKubelet}), whose output `pods/<name>/log` serves
 * (`follow=true` streams it until the container ends). Other controllers can
 * be built on {@link ObjectRegistry.subscribe}.
 *
 * @public
 */
export class FakeKubernetesApiServer {
  /** The stored objects, for tests to seed and inspect. */
  readonly registry = new ObjectRegistry();
  /** Every request received, in order. */
  readonly requests: FakeKubernetesRequest[] = [];
  /** The containers' logs, as the kubelet writes them. */
  readonly logs = new FakePodLogs();
  private readonly deploymentController: FakeDeploymentController;
  private readonly jobController: FakeJobController;
  private kubelet?: FakeKubelet;
  private readonly watches = new Set<ServerResponse>();
  private server?: Server;
  private baseUrl = '';

  private constructor(
    readonly token: string,
    /**
     * The server certificate (self-signed, for 127.0.0.1) as base64 PEM, as
     * kubeconfig's `certificate-authority-data` and Backstage's `caData`
     * take it.
     */
    readonly caData: string,
  ) {
    this.deploymentController = new FakeDeploymentController(this.registry);
    this.jobController = new FakeJobController(this.registry);
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(
    options: { token?: string } = {},
  ): Promise<FakeKubernetesApiServer> {
    const pems = await generateCertificate(
      [{ name: 'commonName', value: 'fake-kube-apiserver' }],
      {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [
          { name: 'basicConstraints', cA: true },
          {
            name: 'keyUsage',
            digitalSignature: true,
            keyCertSign: true,
          },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
        ],
      },
    );
    const fake = new FakeKubernetesApiServer(
      options.token ?? `fake-${randomBytes(16).toString('hex')}`,
      Buffer.from(pems.cert).toString('base64'),
    );
    fake.deploymentController.start();
    fake.jobController.start();
    const server = createServer(
      { key: pems.private, cert: pems.cert },
      (req, res) => fake.handle(req, res),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.server = server;
    fake.baseUrl = `https://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    return fake;
  }

  /** `https://127.0.0.1:<port>`, the cluster's server URL. */
  get url(): string {
    return this.baseUrl;
  }

  /** Sets how the simulated controller rolls Deployments out from now on. */
  setDeploymentBehaviour(
    behaviour:
      | FakeDeploymentBehaviour
      | ((deployment: KubeObject) => FakeDeploymentBehaviour),
  ) {
    this.deploymentController.setBehaviour(behaviour);
  }

  /**
   * Gives the server a kubelet that runs the pods of Jobs (and bare pods)
   * from now on; it is stopped with the server. Without one they stay
   * pending.
   */
  setKubelet(kubelet: FakeKubelet) {
    if (this.kubelet) {
      throw new Error('The fake Kubernetes API server has a kubelet already');
    }
    this.kubelet = kubelet;
    kubelet.start({ registry: this.registry, logs: this.logs });
  }

  /** A stored object by kind, e.g. `get('Deployment', 'dev', 'payments-api')`. */
  get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.registry.find(resourceTypeOfKind(kind), namespace, name);
  }

  /** Stored objects of a kind, in a namespace or in all. */
  list(kind: string, namespace?: string): KubeObject[] {
    return this.registry.list(resourceTypeOfKind(kind), namespace);
  }

  /** Ends open watches and stops the server and the controller. */
  async stop(): Promise<void> {
    this.deploymentController.stop();
    this.jobController.stop();
    await this.kubelet?.stop();
    for (const watch of this.watches) watch.end();
    this.watches.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close(error => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record: FakeKubernetesRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type']?.split(';')[0],
    };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        throw unauthorized();
      }
      const body = await readBody(req);
      await this.route(req, res, url, record, body);
    } catch (error) {
      const status =
        error instanceof KubernetesStatusError
          ? error
          : new KubernetesStatusError(500, 'InternalError', String(error));
      if (!res.headersSent) {
        send(res, status.code, status.toStatus());
      } else {
        res.end();
      }
    }
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    request: FakeKubernetesRequest,
    body: string,
  ) {
    const method = request.method;
    if (url.pathname === '/version' && method === 'GET') {
      send(res, 200, {
        major: '1',
        minor: '33',
        gitVersion: 'v1.33.0-fake',
        platform: 'linux/amd64',
      });
      return;
    }
    if (url.pathname === '/api' && method === 'GET') {
      send(res, 200, coreApiVersions());
      return;
    }
    if (url.pathname === '/apis' && method === 'GET') {
      send(res, 200, apiGroupList());
      return;
    }
    const route = parseRoute(url.pathname);
    if (!route) throw pathNotFound();
    if (!route.plural) {
      const list = apiResourceList(route.group, route.version);
      if (!list || method !== 'GET') throw pathNotFound();
      send(res, 200, list);
      return;
    }
    const resource = FAKE_RESOURCE_TYPES.find(
      t =>
        t.group === route.group &&
        t.version === route.version &&
        t.plural === route.plural,
    );
    if (!resource) {
      if (method === 'GET' && !route.name) {
        // What the fake does not implement has nothing in it.
        send(res, 200, {
          kind: 'List',
          apiVersion: route.group
            ? `${route.group}/${route.version}`
            : route.version,
          metadata: { resourceVersion: this.registry.currentResourceVersion() },
          items: [],
        });
        return;
      }
      throw pathNotFound();
    }
    if (
      resource.kind === 'Pod' &&
      route.subresource === 'log' &&
      route.name &&
      route.namespace !== undefined
    ) {
      if (method !== 'GET') throw methodNotAllowed();
      this.podLog(req, res, route.namespace, route.name, url.searchParams);
      return;
    }
    if (
      route.subresource ||
      (!resource.namespaced && route.namespace !== undefined) ||
      (resource.namespaced && route.name && route.namespace === undefined)
    ) {
      throw pathNotFound();
    }
    const namespace = route.namespace ?? '';
    const query = url.searchParams;
    const options = {
      fieldManager: query.get('fieldManager') ?? undefined,
      dryRun: query.get('dryRun') === 'All',
    };

    if (!route.name) {
      if (method === 'GET') {
        const watch = query.get('watch');
        if (watch === 'true' || watch === '1') {
          this.watch(req, res, resource, route.namespace, query);
          return;
        }
        const matches = this.matcher(resource, route.namespace, query);
        send(res, 200, {
          kind: `${resource.kind}List`,
          apiVersion: apiVersionOf(resource),
          metadata: { resourceVersion: this.registry.currentResourceVersion() },
          items: this.registry
            .list(resource, route.namespace)
            .filter(matches)
            .map(listItem),
        });
        return;
      }
      if (method === 'POST') {
        if (resource.namespaced && route.namespace === undefined) {
          throw methodNotAllowed();
        }
        const object = parseJson(body) as KubeObject;
        send(
          res,
          201,
          this.registry.create(resource, namespace, object, options),
        );
        return;
      }
      throw methodNotAllowed();
    }

    const name = route.name;
    switch (method) {
      case 'GET':
        send(res, 200, this.registry.get(resource, namespace, name));
        return;
      case 'PUT':
        send(
          res,
          200,
          this.registry.replace(
            resource,
            namespace,
            name,
            parseJson(body) as KubeObject,
            options,
          ),
        );
        return;
      case 'PATCH': {
        const type = request.contentType;
        if (type === 'application/apply-patch+yaml') {
          const existed = !!this.registry.find(resource, namespace, name);
          const applied = this.registry.apply(
            resource,
            namespace,
            name,
            parseYamlBody(body) as KubeObject,
            { ...options, force: query.get('force') === 'true' },
          );
          send(res, existed ? 200 : 201, applied);
          return;
        }
        if (
          type === 'application/merge-patch+json' ||
          type === 'application/strategic-merge-patch+json'
        ) {
          send(
            res,
            200,
            this.registry.patch(
              resource,
              namespace,
              name,
              parseJson(body),
              type === 'application/merge-patch+json' ? 'merge' : 'strategic',
              options,
            ),
          );
          return;
        }
        throw unsupportedMediaType(type ?? '');
      }
      case 'DELETE': {
        const deleted = this.registry.delete(
          resource,
          namespace,
          name,
          options,
        );
        send(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: {
            name,
            ...(resource.group && { group: resource.group }),
            kind: resource.plural,
            uid: deleted.metadata.uid,
          },
        });
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  /**
   * `GET pods/<name>/log`: the container's output so far, as plain text;
   * with `follow=true` open until the container ends, the client leaves or
   * the server stops. 400 while the container has not started, as a real
   * server answers.
   */
  private podLog(
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
    query: URLSearchParams,
  ) {
    const pod = this.registry.get(resourceTypeOfKind('Pod'), namespace, name);
    const containers: string[] = (pod.spec?.containers ?? []).map(
      (c: any) => c.name,
    );
    const container = query.get('container') ?? undefined;
    if (container === undefined && containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(
          ' ',
        )}]`,
      );
    }
    const chosen = container ?? containers[0];
    if (!containers.includes(chosen)) {
      throw badRequest(`container ${chosen} is not valid for pod ${name}`);
    }
    const uid = pod.metadata.uid!;
    if (!this.logs.has(uid, chosen)) {
      throw badRequest(
        `container "${chosen}" in pod "${name}" is waiting to start: ContainerCreating`,
      );
    }
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const follow = query.get('follow') === 'true';
    if (!follow) {
      res.end(this.logs.text(uid, chosen));
      return;
    }
    this.watches.add(res);
    const stopFollowing = this.logs.follow(uid, chosen, chunk => {
      if (chunk) res.write(chunk);
      else res.end();
    });
    const close = () => {
      stopFollowing();
      this.watches.delete(res);
    };
    res.on('close', close);
    req.on('close', close);
  }

  private matcher(
    resource: FakeResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ) {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(
      query.get('fieldSelector'),
      resource.kind,
    );
    return (object: KubeObject) =>
      (namespace === undefined || object.metadata.namespace === namespace) &&
      labels(object) &&
      fields(object);
  }

  /**
   * A watch: newline-delimited JSON events, from the given resource version
   * or (without one) starting with the current objects as ADDED, open until
   * the client leaves, `timeoutSeconds` pass or the server stops.
   */
  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    resource: FakeResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ) {
    const matches = this.matcher(resource, namespace, query);
    const resourceVersion = query.get('resourceVersion');
    const write = (type: string, object: unknown) =>
      res.write(`${JSON.stringify({ type, object })}\n`);
    const deliver = (event: KubeWatchEvent) => {
      if (event.group !== resource.group || event.plural !== resource.plural) {
        return;
      }
      const now = matches(event.object);
      const before =
        event.type === 'MODIFIED' && event.previous
          ? matches(event.previous)
          : now;
      if (event.type === 'MODIFIED' && now !== before) {
        write(now ? 'ADDED' : 'DELETED', event.object);
      } else if (now) {
        write(event.type, event.object);
      }
    };

    let backlog: KubeWatchEvent[] = [];
    if (resourceVersion && resourceVersion !== '0') {
      try {
        backlog = this.registry.eventsSince(resourceVersion);
      } catch (error) {
        if (!(error instanceof KubernetesStatusError)) throw error;
        // An expired version is reported in the stream, as a real server does.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        write('ERROR', error.toStatus());
        res.end();
        return;
      }
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    if (resourceVersion && resourceVersion !== '0') {
      backlog.forEach(deliver);
    } else {
      for (const object of this.registry.list(resource, namespace)) {
        if (matches(object)) write('ADDED', object);
      }
    }
    const unsubscribe = this.registry.subscribe(deliver);
    this.watches.add(res);
    const timeoutSeconds = Number(query.get('timeoutSeconds'));
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => res.end(), timeoutSeconds * 1000)
        : undefined;
    const close = () => {
      unsubscribe();
      clearTimeout(timer);
      this.watches.delete(res);
    };
    res.on('close', close);
    req.on('close', close);
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${error}`);
  }
}

function parseYamlBody(body: string): unknown {
  try {
    return parseYaml(body);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error}`);
  }
}
