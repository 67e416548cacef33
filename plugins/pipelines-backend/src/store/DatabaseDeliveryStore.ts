import { InputError, NotFoundError } from '@backstage/errors';
import {
  Delivery,
  DeliveryFilter,
  DeliveryPage,
  DeliveryProvider,
  DeliveryStatus,
  DeliveryTrigger,
} from '@internal/plugin-pipelines-common';
import { Knex } from 'knex';
import { DeliveryStore, NewDelivery, RecordResult } from './DeliveryStore';
import { toIso } from '@internal/platform-node';

/** The page size when the caller gives none. */
export const DEFAULT_PAGE_SIZE = 20;

/** A row of the deliveries table. */
interface DeliveryRow {
  id: number;
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  status: string;
  reason: string | null;
  repository: string | null;
  repository_key: string | null;
  repository_url: string | null;
  default_branch: string | null;
  ref: string | null;
  commit_sha: string | null;
  author: string | null;
  sender: string | null;
  trigger: string | null;
  payload_digest: string;
  received_at: Date | string | number;
  redeliveries: number;
  last_redelivered_at: Date | string | number | null;
  processed_at: Date | string | number | null;
}

function toDelivery(row: DeliveryRow, components: string[]): Delivery {
  return {
    id: Number(row.id),
    provider: row.provider as DeliveryProvider,
    deliveryId: row.delivery_id,
    event: row.event,
    ...(row.action ? { action: row.action } : {}),
    status: row.status as DeliveryStatus,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.repository
      ? {
          repository: {
            slug: row.repository,
            ...(row.repository_url ? { url: row.repository_url } : {}),
            ...(row.default_branch
              ? { defaultBranch: row.default_branch }
              : {}),
          },
        }
      : {}),
    ...(row.ref ? { ref: row.ref } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    ...(row.author ? { author: row.author } : {}),
    ...(row.sender ? { sender: row.sender } : {}),
    components,
    ...(row.trigger
      ? { trigger: JSON.parse(row.trigger) as DeliveryTrigger }
      : {}),
    payloadDigest: row.payload_digest,
    receivedAt: toIso(row.received_at),
    redeliveries: Number(row.redeliveries),
    ...(row.last_redelivered_at
      ? { lastRedeliveredAt: toIso(row.last_redelivered_at) }
      : {}),
    ...(row.processed_at ? { processedAt: toIso(row.processed_at) } : {}),
  };
}

/** Cursors are the id of the last delivery of a page, not to be relied on. */
function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ before: id })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { before } = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (Number.isSafeInteger(before) && before > 0) return before;
  } catch {
    // Reported below.
  }
  throw new InputError(
    `cursor '${cursor}' is not one this API gave; use a page's nextCursor`,
  );
}

/** Webhook deliveries in the plugin's database, on SQLite or PostgreSQL. */
export class DatabaseDeliveryStore implements DeliveryStore {
  constructor(private readonly db: Knex) {}

  async record(delivery: NewDelivery): Promise<RecordResult> {
    const { id, duplicate } = await this.db.transaction(async tx => {
      // ON CONFLICT DO NOTHING: a concurrent insert of the same delivery
      // (another replica) waits for this one and then inserts nothing.
      const inserted = await tx<DeliveryRow>('deliveries')
        .insert({
          provider: delivery.provider,
          delivery_id: delivery.deliveryId,
          event: delivery.event,
          action: delivery.action ?? null,
          status: delivery.status,
          reason: delivery.reason ?? null,
          repository: delivery.repository?.slug ?? null,
          repository_key: delivery.repository?.slug.toLowerCase() ?? null,
          repository_url: delivery.repository?.url ?? null,
          default_branch: delivery.repository?.defaultBranch ?? null,
          ref: delivery.ref ?? null,
          commit_sha: delivery.commit ?? null,
          author: delivery.author ?? null,
          sender: delivery.sender ?? null,
          trigger: delivery.trigger ? JSON.stringify(delivery.trigger) : null,
          payload_digest: delivery.payloadDigest,
          received_at: delivery.receivedAt,
          redeliveries: 0,
        })
        .onConflict(['provider', 'delivery_id'])
        .ignore()
        .returning('id');
      if (inserted.length > 0) {
        const first = inserted[0] as number | { id: number };
        const newId = typeof first === 'number' ? first : Number(first.id);
        const components = [
          ...new Set(delivery.components.map(c => c.toLowerCase())),
        ];
        if (components.length > 0) {
          await tx('delivery_components').insert(
            components.map(component_ref => ({
              delivery_id: newId,
              component_ref,
            })),
          );
        }
        return { id: newId, duplicate: false };
      }
      const key = {
        provider: delivery.provider,
        delivery_id: delivery.deliveryId,
      };
      await tx('deliveries')
        .where(key)
        .update({
          redeliveries: tx.raw('redeliveries + 1'),
          last_redelivered_at: delivery.receivedAt,
        });
      const existing = await tx<DeliveryRow>('deliveries')
        .where(key)
        .first('id');
      return { id: Number(existing!.id), duplicate: true };
    });
    return {
      type: duplicate ? 'duplicate' : 'recorded',
      delivery: await this.get(id),
    };
  }

  async get(id: number): Promise<Delivery> {
    const row = await this.db<DeliveryRow>('deliveries').where({ id }).first();
    if (!row) {
      throw new NotFoundError(`No delivery with id ${id}`);
    }
    const [delivery] = await this.withComponents([row]);
    return delivery;
  }

  async list(filter: DeliveryFilter): Promise<DeliveryPage> {
    // Query strings may arrive as text however the types say otherwise.
    const limit = Number(filter.limit ?? DEFAULT_PAGE_SIZE);
    let query = this.db<DeliveryRow>('deliveries')
      .select('deliveries.*')
      .orderBy('deliveries.id', 'desc')
      .limit(limit + 1);
    if (filter.status) {
      query = query.where('deliveries.status', filter.status);
    }
    if (filter.repository) {
      query = query.where(
        'deliveries.repository_key',
        filter.repository.toLowerCase(),
      );
    }
    if (filter.component) {
      const component = filter.component.toLowerCase();
      query = query.whereExists(
        this.db('delivery_components')
          .select(this.db.raw('1'))
          .whereRaw('delivery_components.delivery_id = deliveries.id')
          .where('delivery_components.component_ref', component),
      );
    }
    if (filter.cursor) {
      query = query.where('deliveries.id', '<', decodeCursor(filter.cursor));
    }
    const rows = await query;
    const page = rows.slice(0, limit);
    return {
      items: await this.withComponents(page),
      ...(rows.length > limit
        ? { nextCursor: encodeCursor(Number(page[page.length - 1].id)) }
        : {}),
    };
  }

  async listUnprocessed(options: { limit: number }): Promise<Delivery[]> {
    const rows = await this.db<DeliveryRow>('deliveries')
      .where({ status: 'matched' })
      .whereNull('processed_at')
      .orderBy('id', 'asc')
      .limit(options.limit);
    return this.withComponents(rows);
  }

  async markProcessed(id: number, at = new Date()): Promise<boolean> {
    const updated = await this.db('deliveries')
      .where({ id })
      .whereNull('processed_at')
      .update({ processed_at: at });
    return updated === 1;
  }

  async deleteReceivedBefore(before: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const old = tx('deliveries')
        .select('id')
        .where('received_at', '<', before);
      // Not left to ON DELETE CASCADE: SQLite enforces it only with
      // foreign keys switched on.
      await tx('delivery_components').whereIn('delivery_id', old).delete();
      // knex 3.3 types delete() as number | void.
      const deleted = await tx('deliveries')
        .where('received_at', '<', before)
        .delete();
      return Number(deleted ?? 0);
    });
  }

  private async withComponents(rows: DeliveryRow[]): Promise<Delivery[]> {
    if (rows.length === 0) return [];
    const links = await this.db<{ delivery_id: number; component_ref: string }>(
      'delivery_components',
    )
      .whereIn(
        'delivery_id',
        rows.map(r => r.id),
      )
      .orderBy('component_ref');
    const byDelivery = new Map<number, string[]>();
    for (const link of links) {
      const id = Number(link.delivery_id);
      byDelivery.set(id, [...(byDelivery.get(id) ?? []), link.component_ref]);
    }
    return rows.map(row =>
      toDelivery(row, byDelivery.get(Number(row.id)) ?? []),
    );
  }
}
