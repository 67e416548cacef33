import { FakeResourceType, qualifiedName } from './resources';

/** A field-level reason in a `Status`, as `Invalid` errors carry them. */
export type StatusCause = { reason: string; message: string; field?: string };

/**
 * An error the fake API server answers with a `Status` object, in the shape
 * a real API server does, so that clients see what they would see there.
 */
export class KubernetesStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: StatusCause[];
    },
  ) {
    super(message);
    this.name = 'KubernetesStatusError';
  }

  /** The `Status` object for the response body or a watch `ERROR` event. */
  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details && { details: this.details }),
      code: this.code,
    };
  }
}

function detailsOf(resource: FakeResourceType, name: string) {
  return {
    name,
    ...(resource.group && { group: resource.group }),
    kind: resource.plural,
  };
}

export function notFound(resource: FakeResourceType, name: string) {
  return new KubernetesStatusError(
    404,
    'NotFound',
    `${qualifiedName(resource)} "${name}" not found`,
    detailsOf(resource, name),
  );
}

export function alreadyExists(resource: FakeResourceType, name: string) {
  return new KubernetesStatusError(
    409,
    'AlreadyExists',
    `${qualifiedName(resource)} "${name}" already exists`,
    detailsOf(resource, name),
  );
}

export function modifiedConflict(resource: FakeResourceType, name: string) {
  return new KubernetesStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(
      resource,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(resource, name),
  );
}

export function applyConflict(
  resource: FakeResourceType,
  name: string,
  conflicts: Array<{ manager: string; field: string }>,
) {
  const lines = conflicts.map(c => `conflict with "${c.manager}": ${c.field}`);
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${lines[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${lines.join(
          '\n- ',
        )}`;
  return new KubernetesStatusError(409, 'Conflict', message, {
    ...detailsOf(resource, name),
    causes: conflicts.map(c => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}"`,
      field: c.field,
    })),
  });
}

export function invalid(
  resource: FakeResourceType,
  name: string,
  causes: Array<{ field: string; message: string }>,
) {
  const kind = resource.group
    ? `${resource.kind}.${resource.group}`
    : resource.kind;
  const text = causes.map(c => `${c.field}: ${c.message}`);
  return new KubernetesStatusError(
    422,
    'Invalid',
    `${kind} "${name}" is invalid: ${
      text.length === 1 ? text[0] : `[${text.join(', ')}]`
    }`,
    {
      ...detailsOf(resource, name),
      causes: causes.map(c => ({
        reason: 'FieldValueInvalid',
        message: c.message,
        field: c.field,
      })),
    },
  );
}

export function badRequest(message: string) {
  return new KubernetesStatusError(400, 'BadRequest', message);
}

export function unauthorized() {
  return new KubernetesStatusError(401, 'Unauthorized', 'Unauthorized');
}

export function pathNotFound() {
  return new KubernetesStatusError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

export function methodNotAllowed() {
  return new KubernetesStatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function unsupportedMediaType(contentType: string) {
  return new KubernetesStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${contentType}) - accepted media types include: application/json, application/apply-patch+yaml, application/merge-patch+json, application/strategic-merge-patch+json`,
  );
}

export function expired(requested: string, oldest: number) {
  return new KubernetesStatusError(
    410,
    'Expired',
    `too old resource version: ${requested} (${oldest})`,
  );
}
