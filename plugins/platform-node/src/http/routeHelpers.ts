import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  BasicPermission,
  isResourcePermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

type AnyRequest = Request<any, any, any, any, any>;

/** Who made a request, as an entity ref or a service subject. @public */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string };
  return principal.type === 'user'
    ? principal.userEntityRef
    : principal.subject;
}

/**
 * Authentication, permission checks and auditing, shared by the routes of
 * the platform's backend plugins. A mutation reads the same in every
 * plugin: the request is validated first (the OpenAPI validator and
 * `rejectUnknownBodyFields`, then the route's own checks such as
 * `componentRefOf`); then, under `audited`, `authorize` and the change (one
 * store transaction), after which the plugin publishes its event and its
 * signal. The audit event records the outcome of all of it, a refusal
 * included.
 *
 * @public
 */
export function createRouteHelpers(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}) {
  const { httpAuth, permissions, auditor } = options;

  const credentials = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** Throws NotAllowedError unless the caller holds the permission. */
  async function authorize(
    req: AnyRequest,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const creds = await credentials(req);
    let request: AuthorizePermissionRequest;
    if (isResourcePermission(permission)) {
      if (!resourceRef) {
        throw new Error(`${permission.name} is checked without a resource`);
      }
      request = { permission, resourceRef };
    } else {
      request = { permission };
    }
    const [decision] = await permissions.authorize([request], {
      credentials: creds,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      const on = resourceRef ? ` on ${resourceRef}` : '';
      throw new NotAllowedError(`Not allowed to ${permission.name}${on}`);
    }
    return creds;
  }

  /**
   * The resource refs among `resourceRefs` the caller holds the permission
   * on, in their order: for listing what is readable without refusing the
   * whole list over one item. The refs are checked once each, in one call.
   */
  async function authorizedRefs(
    creds: BackstageCredentials,
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<string[]> {
    const unique = [...new Set(resourceRefs)];
    if (unique.length === 0) return [];
    const decisions = await permissions.authorize(
      unique.map(resourceRef => ({ permission, resourceRef })),
      { credentials: creds },
    );
    const allowed = new Set(
      unique.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
    );
    return resourceRefs.filter(ref => allowed.has(ref));
  }

  /** Runs a change under an auditor event that records its outcome. */
  async function audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    change: () => Promise<T>,
  ): Promise<T> {
    const auditEvent = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const result = await change();
      await auditEvent.success({ meta });
      return result;
    } catch (error) {
      await auditEvent.fail({ meta, error: error as Error });
      throw error;
    }
  }

  return { credentials, authorize, authorizedRefs, audited };
}

/** What {@link createRouteHelpers} returns. @public */
export type RouteHelpers = ReturnType<typeof createRouteHelpers>;
