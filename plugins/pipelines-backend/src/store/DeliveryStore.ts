import {
  Delivery,
  DeliveryFilter,
  DeliveryPage,
  DeliveryProvider,
  DeliveryRepository,
  DeliveryStatus,
  DeliveryTrigger,
} from '@internal/plugin-pipelines-common';

/** A delivery to record: everything but what the store assigns. */
export interface NewDelivery {
  provider: DeliveryProvider;
  deliveryId: string;
  event: string;
  action?: string;
  status: DeliveryStatus;
  reason?: string;
  repository?: DeliveryRepository;
  ref?: string;
  commit?: string;
  author?: string;
  sender?: string;
  /** Entity refs; stored in lower case. */
  components: string[];
  trigger?: DeliveryTrigger;
  payloadDigest: string;
  receivedAt: Date;
}

/**
 * What recording a delivery did: a new record, or a redelivery of one
 * already recorded (counted on it; nothing else changes).
 */
export type RecordResult =
  | { type: 'recorded'; delivery: Delivery }
  | { type: 'duplicate'; delivery: Delivery };

/** The recorded webhook deliveries. */
export interface DeliveryStore {
  /**
   * Records a delivery once per provider and delivery id; a second one with
   * the same id (a redelivery, or two replicas receiving it at once) only
   * counts as a redelivery of the first.
   */
  record(delivery: NewDelivery): Promise<RecordResult>;
  get(id: number): Promise<Delivery>;
  /** Newest first, a page at a time. */
  list(filter: DeliveryFilter): Promise<DeliveryPage>;
  /**
   * Matched deliveries no engine has taken over yet, oldest first: what a
   * run engine starting up (or retrying) still has to turn into runs.
   */
  listUnprocessed(options: { limit: number }): Promise<Delivery[]>;
  /**
   * Marks a delivery as taken over by the run engine. True when this call
   * marked it; false when it was marked already (by another replica), so
   * that only one turns it into runs.
   */
  markProcessed(id: number, at?: Date): Promise<boolean>;
  /** Deletes deliveries received before the given time; returns how many. */
  deleteReceivedBefore(before: Date): Promise<number>;
}
