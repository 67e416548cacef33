import { allValuesOf } from '@internal/platform-common';
import * as Models from './schema/openapi/generated/models';
import { ListDeliveries } from './schema/openapi';

/** The source code hosts whose webhooks the pipelines backend takes. @public */
export type DeliveryProvider = Models.Delivery['provider'];

/**
 * What became of a delivery (the spec's `DeliveryStatus`):
 *
 * - `matched`: its repository belongs to one or more catalog components and
 *   it implies a trigger, which the engine turns into runs;
 * - `unmatched`: a trigger, but no component in the catalog names the
 *   repository (shown so that a missing annotation can be spotted);
 * - `ignored`: an event that starts nothing (a ping, a deleted branch, a
 *   pull request relabelled, an event type pipelines do not use);
 * - `rejected`: the payload lacks what its event must carry; `reason` says
 *   what.
 *
 * @public
 */
export type DeliveryStatus = Models.DeliveryStatus;

/** Every delivery status, for filters. @public */
export const DELIVERY_STATUSES = allValuesOf<DeliveryStatus>()([
  'matched',
  'unmatched',
  'ignored',
  'rejected',
]);

/**
 * The repository a delivery came from: its slug (`owner/name` on GitHub,
 * `group/subgroup/project` on GitLab, what the `github.com/project-slug` or
 * `gitlab.com/project-slug` annotation holds), web address and default
 * branch.
 *
 * @public
 */
export type DeliveryRepository = NonNullable<Models.Delivery['repository']>;

/**
 * A webhook delivery as recorded (the spec's `Delivery`): one per provider
 * and delivery id, however often the provider sends it (`redeliveries`
 * counts the repeats; never a second record or run). `id` is the record's
 * id in the pipelines backend; `processedAt` is absent while no run engine
 * has taken it over (none installed, or it failed and will pick it up
 * again).
 *
 * @public
 */
export type Delivery = Models.Delivery;

/**
 * Filters and paging of the delivery list (the operation's query): a
 * component's entity ref or name, a repository slug, a status; at most
 * `limit` (default 20, at most 100), newest first, from `cursor` (the
 * `nextCursor` of the page before).
 *
 * @public
 */
export type DeliveryFilter = ListDeliveries['query'];

/**
 * A page of deliveries, newest first; `nextCursor` is present when there are
 * older deliveries.
 *
 * @public
 */
export type DeliveryPage = Models.ListDeliveries200Response;
