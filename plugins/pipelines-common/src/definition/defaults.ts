import { validatePipelineFile } from './parsePipeline';
import { PipelineDefinition, PipelineFile } from './types';

// The commands follow the platform's golden path, the Node.js service
// template: npm, with `npm ci` when a lockfile is committed.
const install = {
  name: 'install',
  run: 'if [ -f package-lock.json ]; then npm ci; else npm install; fi',
};
const test = { name: 'test', run: 'npm test' };

/** The pipeline of a service: build, test, image, deploy to dev from the default branch. */
const service: PipelineFile = {
  version: 1,
  stages: [
    {
      name: 'build',
      steps: [
        install,
        test,
        { name: 'build', run: 'npm run build --if-present' },
      ],
    },
    { name: 'image', image: {} },
    {
      name: 'deploy',
      when: { defaultBranch: true },
      deploy: { environments: ['dev'] },
    },
  ],
};

/** A website: as a service, but it must have a build script. */
const website: PipelineFile = {
  version: 1,
  stages: [
    {
      name: 'build',
      steps: [install, test, { name: 'build', run: 'npm run build' }],
    },
    { name: 'image', image: {} },
    {
      name: 'deploy',
      when: { defaultBranch: true },
      deploy: { environments: ['dev'] },
    },
  ],
};

/** A library: tested, nothing built or deployed. */
const library: PipelineFile = {
  version: 1,
  stages: [{ name: 'test', steps: [install, test] }],
};

/**
 * The pipeline a component gets when its repository has no
 * `.platform/pipeline.yaml`, by the component's `spec.type`. Types not
 * listed have none: such components need their own file.
 * Each default uses the default triggers (every branch, pull requests,
 * manual).
 *
 * @public
 */
export const DEFAULT_PIPELINES: Readonly<Record<string, PipelineFile>> = {
  service,
  website,
  library,
};

/**
 * The default pipeline of a component type, with its defaults applied, or
 * undefined when the type has none.
 *
 * @public
 */
export function defaultPipelineFor(
  componentType: string,
): PipelineDefinition | undefined {
  const type = componentType.toLowerCase();
  if (!Object.hasOwn(DEFAULT_PIPELINES, type)) return undefined;
  const file = DEFAULT_PIPELINES[type];
  const result = validatePipelineFile(file);
  if (!result.ok) {
    // The defaults are tested; this only guards against an edit that breaks one.
    throw new Error(
      `The default pipeline of '${componentType}' is invalid: ${result.errors
        .map(e => `${e.path}: ${e.message}`)
        .join('; ')}`,
    );
  }
  return result.definition;
}
