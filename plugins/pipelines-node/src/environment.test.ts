import {
  checkStepEnvironment,
  pipelineContextEnvironment,
  stepEnvironment,
} from './environment';

describe('checkStepEnvironment', () => {
  it('accepts ordinary variables', () => {
    expect(checkStepEnvironment(undefined)).toBeUndefined();
    expect(
      checkStepEnvironment({ NODE_ENV: 'test', _x: '', PATH: '/bin' }),
    ).toBeUndefined();
  });

  it.each([
    [{ 'A-B': '1' }, "'A-B' is not a valid environment variable name"],
    [{ '1A': '1' }, "'1A' is not a valid environment variable name"],
    [{ HOME: '/' }, "'HOME' is set by the executor"],
    [{ PIPELINE_OUTPUT: '/x' }, "'PIPELINE_OUTPUT' is set by the executor"],
    [{ CI: 'false' }, "'CI' is set by the executor"],
    [{ A: 'x\0y' }, "The value of 'A' contains a NUL character"],
    [{ A: 3 as unknown as string }, "The value of 'A' is not a string"],
  ])('refuses %j', (env, message) => {
    expect(checkStepEnvironment(env)).toContain(message);
  });
});

describe('pipelineContextEnvironment', () => {
  it('names the run, step, repository and files', () => {
    expect(
      pipelineContextEnvironment({
        workspace: {
          id: 'w1',
          executor: 'local',
          runId: 'r1',
          component: 'component:default/payments',
          repository: {
            cloneUrl: 'https://git.test/payments.git',
            commit: 'a'.repeat(40),
            ref: 'refs/heads/main',
          },
        },
        stepId: 'build.test',
        attempt: 2,
        checkoutPath: '/ws/src',
        outputPath: '/ws/steps/1/output',
      }),
    ).toEqual({
      PIPELINE_RUN_ID: 'r1',
      PIPELINE_STEP_ID: 'build.test',
      PIPELINE_ATTEMPT: '2',
      PIPELINE_COMPONENT: 'component:default/payments',
      PIPELINE_REPOSITORY: 'https://git.test/payments.git',
      PIPELINE_COMMIT: 'a'.repeat(40),
      PIPELINE_REF: 'refs/heads/main',
      PIPELINE_WORKSPACE: '/ws/src',
      PIPELINE_OUTPUT: '/ws/steps/1/output',
    });
  });

  it('leaves out what the run does not have', () => {
    expect(
      Object.keys(
        pipelineContextEnvironment({
          workspace: { id: 'w1', executor: 'local', runId: 'r1' },
          stepId: 's',
          attempt: 1,
          checkoutPath: '/ws/src',
          outputPath: '/ws/out',
        }),
      ).sort(),
    ).toEqual([
      'PIPELINE_ATTEMPT',
      'PIPELINE_OUTPUT',
      'PIPELINE_RUN_ID',
      'PIPELINE_STEP_ID',
      'PIPELINE_WORKSPACE',
    ]);
  });
});

describe('stepEnvironment', () => {
  const workspace = { id: 'w', executor: 'x', runId: 'r1' };

  it('puts what the executor sets after the base and the step env', () => {
    expect(
      stepEnvironment({
        base: { PATH: '/bin', HOME: '/base', LANG: 'C' },
        env: { LANG: 'de_DE.UTF-8', A: '1', CI: 'false' },
        homePath: '/w/home',
        tmpPath: '/w/tmp',
        workspace,
        stepId: 'build',
        attempt: 2,
        checkoutPath: '/w/src',
        outputPath: '/w/out',
      }),
    ).toEqual({
      PATH: '/bin',
      LANG: 'de_DE.UTF-8',
      A: '1',
      HOME: '/w/home',
      TMPDIR: '/w/tmp',
      CI: 'true',
      PIPELINE_RUN_ID: 'r1',
      PIPELINE_STEP_ID: 'build',
      PIPELINE_ATTEMPT: '2',
      PIPELINE_WORKSPACE: '/w/src',
      PIPELINE_OUTPUT: '/w/out',
    });
  });
});
