import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { pipelinesRunReadPermission } from '@internal/plugin-pipelines-common';
import { componentRefOf, createRouteHelpers } from '@internal/platform-node';
import { DoraService } from '../dora/DoraService';
import { spec } from '../schema/openapi';

type OpenApiRouter = ApiRouter<typeof spec>;

const DAY_MS = 24 * 3600 * 1000;
/** Figures are per week: a window of more than a year is not what they are for. */
const MAX_WINDOW_DAYS = 366;

/** What the DORA route needs. */
export interface DoraRouteOptions {
  dora: DoraService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
}

function parseInstant(name: string, value: string): Date {
  // A bare date is midnight UTC, as Date.parse reads ISO dates.
  const iso = /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value);
  const time = Date.parse(value);
  if (!iso || Number.isNaN(time)) {
    throw new InputError(
      `${name} '${value}' is not an ISO 8601 date or date-time`,
    );
  }
  return new Date(time);
}

/** `from` and `to`, by default the 90 days up to now. */
function windowOf(query: { from?: string; to?: string }) {
  const to = query.to ? parseInstant('to', query.to) : new Date();
  const from = query.from
    ? parseInstant('from', query.from)
    : new Date(to.getTime() - 90 * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw new InputError(`from must be before to`);
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new InputError(`The window may span at most ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to };
}

function ownerRef(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `owner '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
}

/** Adds `GET /dora`. */
export function addDoraRoutes(
  router: OpenApiRouter,
  options: DoraRouteOptions,
) {
  const { credentials, authorize, authorizedRefs } =
    createRouteHelpers(options);

  router.get('/dora', async (req, res) => {
    const caller = await credentials(req);
    const { component, owner } = req.query;
    if (!component === !owner) {
      throw new InputError('Give exactly one of component and owner');
    }
    const { from, to } = windowOf(req.query);
    const environment = req.query.environment ?? 'production';

    let components: string[];
    if (component) {
      const ref = componentRefOf(component);
      await authorize(req, pipelinesRunReadPermission, ref);
      components = [ref];
    } else {
      // With the caller's credentials: a team view never lists components
      // the caller may not see in the catalog.
      const { items } = await options.catalog.getEntities(
        {
          filter: { kind: 'Component', 'relations.ownedBy': ownerRef(owner!) },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: caller },
      );
      // A team view leaves out what the caller may not read, rather than
      // refusing the whole team.
      components = await authorizedRefs(
        caller,
        pipelinesRunReadPermission,
        items.map(e => stringifyEntityRef(e)).sort(),
      );
    }
    res.json(await options.dora.figures({ components, environment, from, to }));
  });
}
