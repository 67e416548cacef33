import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * The registry image stages push to, from `pipelines.images.registry`.
 *
 * @public
 */
export type ImageRegistryConfig = {
  /** `host` or `host:port`, e.g. `registry.example.com` or `127.0.0.1:5000`. */
  host: string;
  /** Plain HTTP or a certificate that is not verified. Default false. */
  insecure: boolean;
  username?: string;
  /** Never logged, never on a command line: it reaches buildah in a file of mode 600. */
  password?: string;
};

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;

/** Whether a string is a registry host as image references write it. */
export function isRegistryHost(host: string): boolean {
  return HOST.test(host);
}

/**
 * Reads `pipelines.images.registry`; `undefined` when it is not configured.
 * Throws an `InputError` naming the key for a bad value.
 *
 * @public
 */
export function readImageRegistryConfig(
  config: RootConfigService,
): ImageRegistryConfig | undefined {
  const registry = config.getOptionalConfig('pipelines.images.registry');
  if (!registry) {
    return undefined;
  }
  const host = registry.getString('host');
  if (!isRegistryHost(host)) {
    throw new InputError(
      `pipelines.images.registry.host: '${host}' is not a registry host (host or host:port, no scheme or path)`,
    );
  }
  const username = registry.getOptionalString('username');
  const password = registry.getOptionalString('password');
  if ((username === undefined) !== (password === undefined)) {
    throw new InputError(
      'pipelines.images.registry: username and password go together; set both or neither',
    );
  }
  return {
    host,
    insecure: registry.getOptionalBoolean('insecure') ?? false,
    ...(username !== undefined ? { username, password } : {}),
  };
}
