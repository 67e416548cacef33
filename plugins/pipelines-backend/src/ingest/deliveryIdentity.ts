import { DeliveryProvider } from '@internal/plugin-pipelines-common';
import { createHash } from 'node:crypto';

/**
 * `sha256:` and the hex digest of the payload as JSON. The events service
 * hands subscribers the parsed body, not the bytes GitHub signed, so this is
 * a digest of the content rather than of the request body.
 */
export function payloadDigest(payload: unknown): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(payload) ?? 'undefined')
    .digest('hex')}`;
}

/**
 * The headers that identify a delivery, in order of preference:
 *
 * - GitHub: `X-GitHub-Delivery`, which a redelivery repeats;
 * - GitLab: `Idempotency-Key`, which GitLab keeps across retries and
 *   resends of a webhook request, then `X-Gitlab-Event-UUID` (older GitLab
 *   versions), which names the event.
 */
const ID_HEADERS: Record<DeliveryProvider, string[]> = {
  github: ['x-github-delivery'],
  gitlab: ['idempotency-key', 'x-gitlab-event-uuid'],
};

function header(
  metadata: Record<string, string | string[] | undefined> | undefined,
  name: string,
): string | undefined {
  const value = metadata?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() ? first.trim().slice(0, 255) : undefined;
}

/**
 * The id a delivery is deduplicated by: the provider's header, or when the
 * request had none (the event reached this replica through the event bus,
 * which carries no headers), the payload digest, so that the same payload
 * twice is still one delivery.
 */
export function deliveryIdOf(
  provider: DeliveryProvider,
  metadata: Record<string, string | string[] | undefined> | undefined,
  digest: string,
): string {
  for (const name of ID_HEADERS[provider]) {
    const value = header(metadata, name);
    if (value) return value;
  }
  return digest;
}

/** A header's value, or undefined. */
export function metadataHeader(
  metadata: Record<string, string | string[] | undefined> | undefined,
  name: string,
): string | undefined {
  return header(metadata, name);
}
