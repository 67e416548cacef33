/**
 * A kind of object the fake API server stores, as API discovery describes it.
 *
 * @public
 */
export type FakeResourceType = {
  /** API group, empty for the core group. */
  group: string;
  version: string;
  /** The plural in URLs, e.g. `deployments`. */
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  /**
   * Whether writes to the object leave its status alone, as for kinds with a
   * status subresource: only controllers change the status.
   */
  statusSubresource: boolean;
  /** Whether `metadata.generation` counts changes to everything but status and metadata. */
  generation: boolean;
};

function type(
  group: string,
  version: string,
  kind: string,
  options: Partial<FakeResourceType> = {},
): FakeResourceType {
  const singular = kind.toLowerCase();
  return {
    group,
    version,
    kind,
    singular,
    plural: `${singular}s`,
    namespaced: true,
    statusSubresource: false,
    generation: false,
    ...options,
  };
}

/** What the fake server implements in full; other list endpoints answer empty. */
export const FAKE_RESOURCE_TYPES: ReadonlyArray<FakeResourceType> = [
  type('', 'v1', 'Namespace', { namespaced: false, statusSubresource: true }),
  type('', 'v1', 'Pod', { statusSubresource: true }),
  type('', 'v1', 'Service', { statusSubresource: true }),
  type('', 'v1', 'Secret'),
  type('', 'v1', 'ConfigMap'),
  type('', 'v1', 'PersistentVolumeClaim', { statusSubresource: true }),
  type('apps', 'v1', 'Deployment', {
    statusSubresource: true,
    generation: true,
  }),
  type('apps', 'v1', 'ReplicaSet', {
    statusSubresource: true,
    generation: true,
  }),
  type('batch', 'v1', 'Job', { statusSubresource: true, generation: true }),
];

/** `apps/v1` or `v1`. */
export function apiVersionOf(resource: FakeResourceType): string {
  return resource.group
    ? `${resource.group}/${resource.version}`
    : resource.version;
}

/** How Kubernetes names a resource in messages: `deployments.apps`, `pods`. */
export function qualifiedName(resource: FakeResourceType): string {
  return resource.group
    ? `${resource.plural}.${resource.group}`
    : resource.plural;
}

/** The resource type for a kind, e.g. when a controller creates a ReplicaSet. */
export function resourceTypeOfKind(kind: string): FakeResourceType {
  const found = FAKE_RESOURCE_TYPES.find(t => t.kind === kind);
  if (!found) {
    throw new Error(`The fake Kubernetes API server does not store ${kind}`);
  }
  return found;
}
