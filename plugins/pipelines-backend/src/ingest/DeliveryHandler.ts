import { Delivery } from '@internal/plugin-pipelines-common';

/**
 * What the run engine implements to turn deliveries into runs: the seam
 * between ingest and the engine.
 *
 * The ingestor calls `handleDelivery` once for each new delivery whose
 * status is `matched` (it has a trigger and one or more components), after
 * the delivery is recorded, and never for a redelivery. When it resolves,
 * the delivery is marked processed; when it throws, the error is logged and
 * the delivery stays unprocessed, to be found again with
 * `DeliveryStore.listUnprocessed` (for instance when the engine starts).
 * Because a crash between the two can hand a delivery over twice, a handler
 * must be idempotent per delivery and component (e.g. a unique run per
 * delivery id and component).
 *
 * It runs while the webhook request waits, so it should enqueue runs and
 * return, not run them.
 */
export interface DeliveryHandler {
  handleDelivery(delivery: Delivery): Promise<void>;
}
