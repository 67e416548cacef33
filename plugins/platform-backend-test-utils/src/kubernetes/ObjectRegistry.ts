import { randomUUID } from 'node:crypto';
import { jsonEqual } from './jsonEqual';
import {
  OwnershipEntry,
  planApply,
  planUpdate,
  renderManagedFields,
} from './fieldOwnership';
import { applyDefaults, timestamp, validate } from './kinds';
import { jsonMergePatch, strategicMergePatch } from './merge';
import {
  apiVersionOf,
  FakeResourceType,
  FAKE_RESOURCE_TYPES,
  resourceTypeOfKind,
} from './resources';
import {
  alreadyExists,
  badRequest,
  expired,
  invalid,
  modifiedConflict,
  notFound,
} from './status';
import { KubeObject, KubeWatchEvent } from './types';

/** Options of a write, as the API takes them in the query string. @public */
export type WriteOptions = {
  /** Who makes the change; ownership of fields is recorded under this name. */
  fieldManager?: string;
  /** Validate and compute the result without storing it. */
  dryRun?: boolean;
};

const NAMESPACE = resourceTypeOfKind('Namespace');
const HISTORY_LIMIT = 10_000;
const NAME_SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters as Kubernetes appends to `generateName` and pod names. */
export function randomSuffix(length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix +=
      NAME_SUFFIX_CHARS[Math.floor(Math.random() * NAME_SUFFIX_CHARS.length)];
  }
  return suffix;
}

function keyOf(resource: FakeResourceType, namespace: string, name: string) {
  return `${resource.group}/${resource.plural}/${namespace}/${name}`;
}

/** Everything but identity, bookkeeping and status: what `generation` counts. */
function specOf(object: KubeObject) {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

/** The object without what changes on every write, to tell no-op writes apart. */
function contentOf(object: KubeObject) {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      resourceVersion: undefined,
      managedFields: object.metadata.managedFields?.map(m => ({
        ...m,
        time: undefined,
      })),
    },
  };
}

/**
 * The fake API server's storage and the API semantics around it: resource
 * versions, generations, defaults, validation, field ownership, garbage
 * collection of dependents, and the event history watches are served from.
 *
 * @public
 */
export class ObjectRegistry {
  private resourceVersion = 1000;
  private readonly objects = new Map<string, KubeObject>();
  private readonly ownership = new Map<string, OwnershipEntry[]>();
  private readonly history: KubeWatchEvent[] = [];
  private readonly listeners = new Set<(event: KubeWatchEvent) => void>();

  constructor() {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      this.create(
        NAMESPACE,
        '',
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager: 'kube-apiserver' },
      );
    }
  }

  /** The current resource version, as lists report it. */
  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  find(
    resource: FakeResourceType,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    const stored = this.objects.get(
      keyOf(resource, resource.namespaced ? namespace : '', name),
    );
    return stored && structuredClone(stored);
  }

  get(resource: FakeResourceType, namespace: string, name: string) {
    const found = this.find(resource, namespace, name);
    if (!found) throw notFound(resource, name);
    return found;
  }

  /** Objects of a type, in one namespace or (without one) in all. */
  list(resource: FakeResourceType, namespace?: string): KubeObject[] {
    const prefix = `${resource.group}/${resource.plural}/${
      namespace && resource.namespaced ? `${namespace}/` : ''
    }`;
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, object]) => structuredClone(object));
  }

  create(
    resource: FakeResourceType,
    namespace: string,
    body: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const object = this.prepareBody(resource, namespace, body);
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    }
    if (this.find(resource, namespace, object.metadata.name)) {
      throw alreadyExists(resource, object.metadata.name);
    }
    const entries = planUpdate({
      before: undefined,
      after: object,
      entries: [],
      manager: options.fieldManager ?? 'unknown',
    });
    return this.commit(resource, undefined, object, entries, options);
  }

  /** PUT: replaces the object; a stale `metadata.resourceVersion` is a conflict. */
  replace(
    resource: FakeResourceType,
    namespace: string,
    name: string,
    body: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    const object = this.prepareBody(resource, namespace, body, name);
    const live = this.get(resource, namespace, name);
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== live.metadata.resourceVersion) {
      throw modifiedConflict(resource, name);
    }
    const entries = planUpdate({
      before: live,
      after: object,
      entries: this.ownership.get(live.metadata.uid!) ?? [],
      manager: options.fieldManager ?? 'unknown',
    });
    return this.commit(resource, live, object, entries, options);
  }

  /** Server-side apply; creates the object when it does not exist. */
  apply(
    resource: FakeResourceType,
    namespace: string,
    name: string,
    body: KubeObject,
    options: WriteOptions & { force?: boolean },
  ): KubeObject {
    if (!options.fieldManager) {
      throw badRequest(
        'PATCH, PUT, and POST requests with apply content type must have a fieldManager',
      );
    }
    if (!body?.apiVersion || !body?.kind) {
      throw badRequest(
        'apiVersion and kind must be set in the applied configuration',
      );
    }
    const applied = this.prepareBody(resource, namespace, body, name);
    const live = this.find(resource, namespace, name);
    const { object, entries } = planApply({
      resource,
      live,
      entries: live ? this.ownership.get(live.metadata.uid!) ?? [] : [],
      applied,
      manager: options.fieldManager,
      force: options.force ?? false,
    });
    return this.commit(resource, live, object, entries, options);
  }

  /** A JSON merge patch or a strategic merge patch. */
  patch(
    resource: FakeResourceType,
    namespace: string,
    name: string,
    patch: unknown,
    type: 'merge' | 'strategic',
    options: WriteOptions = {},
  ): KubeObject {
    const live = this.get(resource, namespace, name);
    const patched = (
      type === 'merge'
        ? jsonMergePatch(live, patch)
        : strategicMergePatch(live, patch)
    ) as KubeObject;
    const expected = (patch as KubeObject)?.metadata?.resourceVersion;
    if (expected && expected !== live.metadata.resourceVersion) {
      throw modifiedConflict(resource, name);
    }
    const object = this.prepareBody(resource, namespace, patched, name);
    const entries = planUpdate({
      before: live,
      after: object,
      entries: this.ownership.get(live.metadata.uid!) ?? [],
      manager: options.fieldManager ?? 'unknown',
    });
    return this.commit(resource, live, object, entries, options);
  }

  /**
   * Changes an object's status, as a controller does through the status
   * subresource: the rest of the object stays as it is.
   */
  updateStatus(
    resource: FakeResourceType,
    namespace: string,
    name: string,
    update: (status: any, object: KubeObject) => any,
  ): KubeObject {
    const live = this.get(resource, namespace, name);
    const next = structuredClone(live);
    next.status = update(structuredClone(live.status ?? {}), live);
    if (jsonEqual(next.status, live.status)) return live;
    return this.store(resource, live, next);
  }

  /**
   * Deletes an object and, as the garbage collector does in the background,
   * everything it owns; deleting a namespace deletes what is in it.
   */
  delete(
    resource: FakeResourceType,
    namespace: string,
    name: string,
    options: WriteOptions = {},
  ): KubeObject {
    const live = this.get(resource, namespace, name);
    if (options.dryRun) return live;
    this.removeStored(resource, live);
    return live;
  }

  /** Calls the listener with every change from now on; returns how to stop. */
  subscribe(listener: (event: KubeWatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The changes after a resource version, for a watch that starts there;
   * `410 Expired` when the history no longer reaches back that far.
   */
  eventsSince(resourceVersion: string): KubeWatchEvent[] {
    const version = Number(resourceVersion);
    if (!Number.isInteger(version)) {
      throw badRequest(`invalid resource version: ${resourceVersion}`);
    }
    const oldest = this.history[0]?.resourceVersion ?? this.resourceVersion;
    if (version < oldest - 1) {
      throw expired(resourceVersion, oldest);
    }
    return this.history.filter(e => e.resourceVersion > version);
  }

  /** Validates the body against the URL and gives it apiVersion and kind. */
  private prepareBody(
    resource: FakeResourceType,
    namespace: string,
    body: KubeObject,
    urlName?: string,
  ): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('the request body must be an object');
    }
    const object = structuredClone(body);
    object.metadata ??= { name: '' };
    if (
      (object.kind && object.kind !== resource.kind) ||
      (object.apiVersion && object.apiVersion !== apiVersionOf(resource))
    ) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) and kind (${
          object.kind
        }) do not match the request (${apiVersionOf(resource)}, ${
          resource.kind
        })`,
      );
    }
    object.apiVersion = apiVersionOf(resource);
    object.kind = resource.kind;
    if (resource.namespaced) {
      if (
        object.metadata.namespace &&
        object.metadata.namespace !== namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = namespace;
    } else {
      delete object.metadata.namespace;
    }
    if (urlName !== undefined) {
      if (object.metadata.name && object.metadata.name !== urlName) {
        throw badRequest(
          `the name of the object (${object.metadata.name}) does not match the name on the URL (${urlName})`,
        );
      }
      object.metadata.name = urlName;
    }
    return object;
  }

  /** Completes a write: bookkeeping, defaults, validation, then storage. */
  private commit(
    resource: FakeResourceType,
    live: KubeObject | undefined,
    object: KubeObject,
    entries: OwnershipEntry[],
    options: WriteOptions,
  ): KubeObject {
    const namespace = object.metadata.namespace;
    if (resource.namespaced && !this.find(NAMESPACE, '', namespace ?? '')) {
      throw notFound(NAMESPACE, namespace ?? '');
    }
    const next = structuredClone(object);
    next.metadata.uid = live?.metadata.uid ?? randomUUID();
    next.metadata.creationTimestamp =
      live?.metadata.creationTimestamp ?? timestamp();
    if (resource.statusSubresource) {
      // Writes to the main resource leave the status to controllers.
      if (live) next.status = live.status;
      else delete next.status;
    }
    applyDefaults(resource, next);
    if (resource.generation) {
      const changed = !live || !jsonEqual(specOf(live), specOf(next));
      next.metadata.generation =
        (live?.metadata.generation ?? 0) + (changed ? 1 : 0);
    }
    const causes = validate(resource, next, live);
    if (causes.length) {
      throw invalid(resource, next.metadata.name, causes);
    }
    next.metadata.managedFields = renderManagedFields(entries);
    if (live) {
      next.metadata.resourceVersion = live.metadata.resourceVersion;
      if (jsonEqual(contentOf(live), contentOf(next))) {
        return live;
      }
    }
    if (options.dryRun) return next;
    this.ownership.set(next.metadata.uid, entries);
    return this.store(resource, live, next);
  }

  private store(
    resource: FakeResourceType,
    live: KubeObject | undefined,
    next: KubeObject,
  ): KubeObject {
    this.resourceVersion++;
    next.metadata.resourceVersion = String(this.resourceVersion);
    this.objects.set(
      keyOf(resource, next.metadata.namespace ?? '', next.metadata.name),
      structuredClone(next),
    );
    this.emit({
      type: live ? 'MODIFIED' : 'ADDED',
      object: next,
      previous: live,
      resourceVersion: this.resourceVersion,
      group: resource.group,
      plural: resource.plural,
    });
    return structuredClone(next);
  }

  private removeStored(resource: FakeResourceType, live: KubeObject) {
    const key = keyOf(
      resource,
      live.metadata.namespace ?? '',
      live.metadata.name,
    );
    if (!this.objects.delete(key)) return;
    this.ownership.delete(live.metadata.uid!);
    this.resourceVersion++;
    const gone = structuredClone(live);
    gone.metadata.resourceVersion = String(this.resourceVersion);
    this.emit({
      type: 'DELETED',
      object: gone,
      previous: live,
      resourceVersion: this.resourceVersion,
      group: resource.group,
      plural: resource.plural,
    });
    for (const type of FAKE_RESOURCE_TYPES) {
      for (const object of this.list(type)) {
        const owned = object.metadata.ownerReferences?.some(
          ref => ref.uid === live.metadata.uid,
        );
        const inNamespace =
          resource === NAMESPACE &&
          type.namespaced &&
          object.metadata.namespace === live.metadata.name;
        if (owned || inNamespace) this.removeStored(type, object);
      }
    }
  }

  private emit(event: KubeWatchEvent) {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener (a test's controller) must not break the write
        // that triggered it; report it where the test output shows it.
        process.emitWarning(`Fake Kubernetes API listener failed: ${error}`);
      }
    }
  }
}
