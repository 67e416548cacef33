import { DEFAULT_PIPELINES, defaultPipelineFor } from './defaults';
import { validatePipelineFile } from './parsePipeline';

describe('default pipelines', () => {
  it.each(Object.keys(DEFAULT_PIPELINES))(
    'the %s default is a valid pipeline',
    type => {
      expect(validatePipelineFile(DEFAULT_PIPELINES[type])).toMatchObject({
        ok: true,
      });
    },
  );

  it('builds, tests, packages and deploys a service to dev from the default branch', () => {
    const service = defaultPipelineFor('service')!;
    expect(service.stages.map(s => [s.name, s.type, s.needs])).toEqual([
      ['build', 'steps', []],
      ['image', 'image', ['build']],
      ['deploy', 'deploy', ['image']],
    ]);
    const [build, image, deploy] = service.stages;
    expect(build.type === 'steps' && build.steps.map(s => s.name)).toEqual([
      'install',
      'test',
      'build',
    ]);
    expect(image).toMatchObject({
      image: {
        context: '.',
        dockerfile: 'Dockerfile',
        tags: ['${{ run.shortCommit }}'],
      },
    });
    expect(deploy).toMatchObject({
      when: { defaultBranch: true },
      deploy: { environments: ['dev'], image: 'image' },
    });
    expect(service.triggers.manual).toBe(true);
  });

  it('builds a website like a service, with a build script required', () => {
    const website = defaultPipelineFor('website')!;
    const [build] = website.stages;
    expect(build.type === 'steps' && build.steps[2].run).toBe('npm run build');
    expect(website.stages.map(s => s.type)).toEqual([
      'steps',
      'image',
      'deploy',
    ]);
  });

  it('only tests a library', () => {
    const library = defaultPipelineFor('Library')!;
    expect(library.stages).toHaveLength(1);
    expect(library.stages[0]).toMatchObject({
      type: 'steps',
      steps: [{ name: 'install' }, { name: 'test', run: 'npm test' }],
    });
  });

  it('has none for other types', () => {
    expect(defaultPipelineFor('documentation')).toBeUndefined();
    expect(defaultPipelineFor('constructor')).toBeUndefined();
  });
});
