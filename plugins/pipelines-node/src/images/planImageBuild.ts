import { InputError } from '@backstage/errors';
import { posix } from 'node:path';
import { ImageRegistryConfig, isRegistryHost } from './registryConfig';

/**
 * What to build: an image stage of the pipeline definition
 * (`ImageStageDefinition['image']` of `@internal/plugin-pipelines-common`),
 * with the expressions in `tags` and `buildArgs` already resolved.
 *
 * @public
 */
export type ImageBuildSpec = {
  /** The build context, relative to the checkout. */
  context: string;
  /** The Dockerfile, relative to the checkout. */
  dockerfile: string;
  /**
   * `path` on the configured registry, or `host[:port]/path` on another one;
   * absent: the component's name on the configured registry.
   */
  repository?: string;
  tags: string[];
  buildArgs: Record<string, string>;
};

/**
 * An image build as a step: what {@link planImageBuild} gives.
 *
 * @public
 */
export type ImageBuildPlan = {
  /** `host/path`, without a tag. */
  repository: string;
  /** The commit id first, then the spec's tags, without duplicates. */
  tags: string[];
  /** `repository:tag` for each tag, in order. */
  references: string[];
  /** A script for `sh -e -c`: build, push each tag, write the digests to `$PIPELINE_OUTPUT`. */
  command: string;
  /** The step's variables: the registry's credentials when configured (never in `command`). */
  env: Record<string, string>;
};

/**
 * The variable carrying the registry's auth file to the step. The script
 * writes it to a file of mode 600 and unsets it before buildah runs.
 */
export const REGISTRY_AUTH_VARIABLE = 'IMAGE_REGISTRY_AUTH';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const LOCAL_NAME = 'localhost/pipeline-image:build';

/** Quotes a value for the POSIX shell: nothing in it is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function checkRelativePath(field: string, value: string): string {
  if (value.includes('\0') || posix.isAbsolute(value)) {
    throw new InputError(
      `${field}: '${value}' must be a path relative to the repository`,
    );
  }
  const normalized = posix.normalize(value);
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(`${field}: '${value}' leads out of the repository`);
  }
  return normalized;
}

/** Docker's rule: a first segment with a dot or a port, or `localhost`, is a host. */
function splitRepository(repository: string): { host?: string; path: string } {
  const slash = repository.indexOf('/');
  if (slash > 0) {
    const first = repository.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      return { host: first, path: repository.slice(slash + 1) };
    }
  }
  return { path: repository };
}

function componentName(component: string | undefined): string | undefined {
  if (!component) {
    return undefined;
  }
  return component.slice(component.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * Turns an image stage into the step that builds and pushes it with buildah,
 * without a Docker engine: storage (`--root`, `--runroot`, `vfs`) in a
 * temporary folder of the step's `TMPDIR`, removed when the step ends;
 * `--isolation chroot` for `RUN`; TLS verification unless the registry is
 * `insecure`; credentials in an auth file of mode 600, removed with the
 * storage. Throws an `InputError` naming the field for a bad spec; runs
 * nothing.
 *
 * @public
 */
export function planImageBuild(options: {
  spec: ImageBuildSpec;
  /** The full commit id being built; its tag comes first. */
  commit: string;
  /** The component's entity ref: its name is the default repository. */
  component?: string;
  registry?: ImageRegistryConfig;
}): ImageBuildPlan {
  const { spec, commit, component, registry } = options;
  if (!COMMIT.test(commit)) {
    throw new InputError(`commit: '${commit}' is not a full commit id`);
  }
  const context = checkRelativePath('image.context', spec.context);
  const dockerfile = checkRelativePath('image.dockerfile', spec.dockerfile);

  const name = spec.repository ?? componentName(component);
  if (!name) {
    throw new InputError(
      'image.repository: not set, and there is no component to name the image after',
    );
  }
  const split = splitRepository(name);
  const host = split.host ?? registry?.host;
  if (!host) {
    throw new InputError(
      `image.repository: '${name}' names no registry and none is configured (pipelines.images.registry.host)`,
    );
  }
  if (!isRegistryHost(host)) {
    throw new InputError(`image.repository: '${host}' is not a registry host`);
  }
  if (!split.path.split('/').every(part => PATH_COMPONENT.test(part))) {
    throw new InputError(
      `image.repository: '${split.path}' is not a repository path (lower-case letters, digits and . _ - between them, segments separated by /)`,
    );
  }
  const repository = `${host}/${split.path}`;

  const tags = [...new Set([commit, ...spec.tags])];
  spec.tags.forEach((tag, index) => {
    if (!TAG.test(tag)) {
      throw new InputError(
        `image.tags[${index}]: '${tag}' is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`,
      );
    }
  });
  for (const [key, value] of Object.entries(spec.buildArgs)) {
    if (!BUILD_ARG.test(key)) {
      throw new InputError(
        `image.buildArgs.${key}: not a valid build argument name`,
      );
    }
    if (value.includes('\0')) {
      throw new InputError(
        `image.buildArgs.${key}: the value holds a NUL character`,
      );
    }
  }

  // Settings for the configured registry apply to it only.
  const own = registry && registry.host === host ? registry : undefined;
  const tlsVerify = `--tls-verify=${own?.insecure ? 'false' : 'true'}`;
  const env: Record<string, string> = {};
  let authFile = '';
  if (own?.username !== undefined && own.password !== undefined) {
    env[REGISTRY_AUTH_VARIABLE] = JSON.stringify({
      auths: {
        [host]: {
          auth: Buffer.from(`${own.username}:${own.password}`).toString(
            'base64',
          ),
        },
      },
    });
    authFile = ' --authfile "$work/auth.json"';
  }

  const references = tags.map(tag => `${repository}:${tag}`);
  const buildArgs = Object.entries(spec.buildArgs)
    .map(([key, value]) => ` --build-arg ${shellQuote(`${key}=${value}`)}`)
    .join('');
  const lines = [
    'set -eu',
    'work=$(mktemp -d "${TMPDIR:-/tmp}/image-build.XXXXXX")',
    // Storage and the auth file go with the step, also when it fails or is stopped.
    'trap \'rm -rf "$work"\' EXIT',
    "trap 'exit 143' TERM",
    "trap 'exit 130' INT",
    `if [ -n "\${${REGISTRY_AUTH_VARIABLE}:-}" ]; then`,
    `  (umask 077 && printf '%s' "$${REGISTRY_AUTH_VARIABLE}" > "$work/auth.json")`,
    'fi',
    `unset ${REGISTRY_AUTH_VARIABLE}`,
    // buildah's own temporary files too, or a stopped build leaves them behind.
    'mkdir "$work/tmp"',
    'b() { TMPDIR="$work/tmp" buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs "$@"; }',
    `b bud --isolation chroot ${tlsVerify}${authFile} -f ${shellQuote(
      dockerfile,
    )}${buildArgs} -t ${LOCAL_NAME} ${shellQuote(context)} ||` +
      ' { status=$?; echo "failed=build" >> "$PIPELINE_OUTPUT"; exit $status; }',
    ...references.flatMap((reference, index) => [
      `b push ${tlsVerify}${authFile} --digestfile "$work/digest" ${LOCAL_NAME} ${shellQuote(
        `docker://${reference}`,
      )} ||` +
        ' { status=$?; echo "failed=push" >> "$PIPELINE_OUTPUT"; exit $status; }',
      `echo "digest_${index}=$(cat "$work/digest")" >> "$PIPELINE_OUTPUT"`,
    ]),
  ];
  return { repository, tags, references, command: lines.join('\n'), env };
}
