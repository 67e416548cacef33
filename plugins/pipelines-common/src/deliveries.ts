import { DeliveryTrigger } from './triggers';

/** The source code hosts whose webhooks the pipelines backend takes. @public */
export type DeliveryProvider = 'github' | 'gitlab';

/**
 * What became of a delivery:
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
export type DeliveryStatus = 'matched' | 'unmatched' | 'ignored' | 'rejected';

/** Every delivery status, for filters. @public */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'matched',
  'unmatched',
  'ignored',
  'rejected',
];

/** The repository a delivery came from. @public */
export interface DeliveryRepository {
  /**
   * `owner/name` on GitHub, `group/subgroup/project` on GitLab: what the
   * `github.com/project-slug` or `gitlab.com/project-slug` annotation holds.
   */
  slug: string;
  /** The repository's web address. */
  url?: string;
  defaultBranch?: string;
}

/**
 * A webhook delivery as recorded: one per provider and delivery id, however
 * often the provider sends it.
 *
 * @public
 */
export interface Delivery {
  /** The record's id in the pipelines backend. */
  id: number;
  provider: DeliveryProvider;
  /**
   * The provider's id of the delivery (`X-GitHub-Delivery`,
   * `X-Gitlab-Event-UUID`), or `sha256:<payload digest>` when the request
   * carried none.
   */
  deliveryId: string;
  /** The event: `push`, `pull_request`, `ping` (GitHub); `push`, `tag_push`, `merge_request` (GitLab). */
  event: string;
  /** The event's action, where it has one (`opened`, `synchronize`, ...). */
  action?: string;
  status: DeliveryStatus;
  /** Why it was ignored, rejected or left unmatched. */
  reason?: string;
  repository?: DeliveryRepository;
  /** The git ref: `refs/heads/main`, `refs/tags/v1.2.0`, `refs/pull/42/head`. */
  ref?: string;
  /** The commit the trigger is about. */
  commit?: string;
  /** Who wrote the head commit (login when known, else name). */
  author?: string;
  /** Who caused the delivery (GitHub `sender.login`, GitLab `user_username`). */
  sender?: string;
  /** The catalog components the repository maps to, as entity refs. */
  components: string[];
  trigger?: DeliveryTrigger;
  /** `sha256:` and the hex digest of the payload as JSON. */
  payloadDigest: string;
  receivedAt: string;
  /** How many more times the provider sent it; never a second record or run. */
  redeliveries: number;
  lastRedeliveredAt?: string;
  /**
   * When the run engine took the delivery over; absent while no engine has
   * (no handler installed, or it failed and will pick it up again).
   */
  processedAt?: string;
}

/** Filters and paging of the delivery list. @public */
export interface DeliveryFilter {
  /** A component's entity ref (`component:default/payments-api`) or name. */
  component?: string;
  /** A repository slug (`launchpad-examples/payments-api`). */
  repository?: string;
  status?: DeliveryStatus;
  /** At most this many, newest first; default 20, at most 100. */
  limit?: number;
  /** The `nextCursor` of the page before. */
  cursor?: string;
}

/** A page of deliveries, newest first. @public */
export interface DeliveryPage {
  items: Delivery[];
  /** Present when there are older deliveries. */
  nextCursor?: string;
}
