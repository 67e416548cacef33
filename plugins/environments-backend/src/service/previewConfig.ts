import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { DeployTarget } from '@internal/plugin-environments-common';

/** The config key of preview environments. */
export const PREVIEWS_CONFIG_KEY = 'environments.previews';

/** How preview environments are made. */
export interface PreviewConfig {
  target: DeployTarget;
  defaultTtlMs: number;
  maxTtlMs: number;
  promotionOrder: number;
}

const DEFAULT_TTL: HumanDuration = { days: 3 };
const MAX_TTL: HumanDuration = { days: 14 };
const DEFAULT_TEARDOWN_FREQUENCY: HumanDuration = { minutes: 10 };

function readTarget(config: Config): DeployTarget {
  const key = `${PREVIEWS_CONFIG_KEY}.target`;
  const target = config.getConfig(key);
  const type = target.getString('type');
  if (type === 'external') {
    const system = target.getOptionalString('system');
    return system ? { type, system } : { type };
  }
  if (type === 'kubernetes') {
    return {
      type,
      cluster: target.getString('cluster'),
      namespacePattern: target.getString('namespacePattern'),
    };
  }
  throw new Error(
    `${key}.type must be 'kubernetes' or 'external', got '${type}'`,
  );
}

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  const full = `${PREVIEWS_CONFIG_KEY}.${key}`;
  const ms = config.has(full)
    ? durationToMilliseconds(readDurationFromConfig(config, { key: full }))
    : durationToMilliseconds(fallback);
  if (!(ms > 0)) throw new Error(`${full} must be a positive duration`);
  return ms;
}

/**
 * Reads `environments.previews`; undefined when it is absent, and previews
 * then cannot be created.
 */
export function readPreviewConfig(config: Config): PreviewConfig | undefined {
  if (!config.has(PREVIEWS_CONFIG_KEY)) return undefined;
  const defaultTtlMs = readDuration(config, 'defaultTtl', DEFAULT_TTL);
  const maxTtlMs = readDuration(config, 'maxTtl', MAX_TTL);
  if (defaultTtlMs > maxTtlMs) {
    throw new Error(
      `${PREVIEWS_CONFIG_KEY}.defaultTtl must not be longer than ${PREVIEWS_CONFIG_KEY}.maxTtl`,
    );
  }
  return {
    target: readTarget(config),
    defaultTtlMs,
    maxTtlMs,
    promotionOrder:
      config.getOptionalNumber(`${PREVIEWS_CONFIG_KEY}.promotionOrder`) ?? 0,
  };
}

/** How often the tear-down task looks for expired previews. */
export function readTeardownFrequency(config: Config): HumanDuration {
  const key = `${PREVIEWS_CONFIG_KEY}.teardownFrequency`;
  return config.has(key)
    ? readDurationFromConfig(config, { key })
    : DEFAULT_TEARDOWN_FREQUENCY;
}
