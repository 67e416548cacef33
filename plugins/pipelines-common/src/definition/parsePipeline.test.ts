import {
  formatPipelineErrors,
  MAX_PIPELINE_FILE_BYTES,
  parsePipeline,
} from './parsePipeline';
import { PipelineDefinition, PipelineError } from './types';

/** The definition of a file that must be valid. */
function definitionOf(text: string): PipelineDefinition {
  const result = parsePipeline(text);
  if (!result.ok) {
    throw new Error(
      `Expected a valid file:\n${formatPipelineErrors(result.errors)}`,
    );
  }
  return result.definition;
}

/** The errors of a file that must be invalid. */
function errorsOf(text: string): PipelineError[] {
  const result = parsePipeline(text);
  if (result.ok) throw new Error('Expected errors');
  return result.errors;
}

/** One error, where the test says it is. */
const error = (
  path: string,
  line: number,
  column: number,
  message: string | RegExp,
) => ({
  path,
  line,
  column,
  message:
    typeof message === 'string' ? message : expect.stringMatching(message),
});

describe('parsePipeline', () => {
  describe('a valid file', () => {
    const text = `# The payments API
version: 1
triggers:
  push:
    branches: [main, 'release/*']
    tags: ['v*']
  pullRequest:
    branches: [main]
  manual: false
  schedule:
    - cron: '0 3 * * 1-5'
env:
  VERSION_SUFFIX: 1.10
  VERBOSE: true
timeout: 1h30m
stages:
  - name: build
    env:
      NODE_ENV: test
    steps:
      - name: install
        run: npm ci
      - name: lint
        run: npm run lint
        needs: [install]
      - name: test
        run: npm test
        needs: [install]
        workingDirectory: packages/api
        timeout: 10m
        retries: 2
        env:
          SHARD: 1
      - name: version
        run: echo "version=$(node -p 'require(\\"./package.json\\").version')" >> "$PIPELINE_OUTPUT"
        needs: [lint, test]
      - name: report
        run: echo "$V"
        env:
          V: '\${{ steps.version.outputs.version }}-\${{ run.shortCommit }}'
  - name: image
    image:
      context: services/api/
      repository: registry.example.com/payments/api
      tags: ['\${{ steps.version.outputs.version }}', latest]
      buildArgs:
        VERSION: '\${{ steps.version.outputs.version }}'
  - name: docs
    needs: []
    steps:
      - name: docs
        run: npm run docs
  - name: deploy
    needs: [image, docs]
    when:
      defaultBranch: true
      tags: ['v*']
    deploy:
      environments: [dev, staging]
`;

    it('gives the definition with every default applied', () => {
      const definition = definitionOf(text);
      expect(definition.triggers).toEqual({
        push: { branches: ['main', 'release/*'], tags: ['v*'] },
        pullRequest: {
          branches: ['main'],
          types: ['opened', 'synchronize', 'reopened'],
        },
        manual: false,
        schedule: [{ cron: '0 3 * * 1-5' }],
      });
      // Numbers and booleans become strings as written: 1.10, not 1.1.
      expect(definition.env).toEqual({
        VERSION_SUFFIX: '1.10',
        VERBOSE: 'true',
      });
      expect(definition.timeoutMs).toBe(90 * 60_000);
      expect(definition.stages.map(s => [s.name, s.type, s.needs])).toEqual([
        ['build', 'steps', []],
        ['image', 'image', ['build']],
        ['docs', 'steps', []],
        ['deploy', 'deploy', ['image', 'docs']],
      ]);
    });

    it('makes each step need the one before it unless it says otherwise', () => {
      const [build] = definitionOf(text).stages;
      if (build.type !== 'steps') throw new Error('not a steps stage');
      expect(build.env).toEqual({ NODE_ENV: 'test' });
      expect(build.steps.map(s => [s.name, s.needs])).toEqual([
        ['install', []],
        ['lint', ['install']],
        ['test', ['install']],
        ['version', ['lint', 'test']],
        ['report', ['version']],
      ]);
      expect(build.steps[0]).toEqual({
        name: 'install',
        run: 'npm ci',
        env: {},
        workingDirectory: '.',
        timeoutMs: 30 * 60_000,
        retries: 0,
        needs: [],
      });
      expect(build.steps[2]).toMatchObject({
        workingDirectory: 'packages/api',
        timeoutMs: 10 * 60_000,
        retries: 2,
        env: { SHARD: '1' },
      });
      // Expressions stay as written; the engine resolves them.
      expect(build.steps[4].env.V).toBe(
        '${{ steps.version.outputs.version }}-${{ run.shortCommit }}',
      );
    });

    it('gives image and deploy stages their defaults', () => {
      const stages = definitionOf(text).stages;
      expect(stages[1]).toEqual({
        name: 'image',
        needs: ['build'],
        type: 'image',
        image: {
          context: 'services/api/',
          dockerfile: 'services/api/Dockerfile',
          repository: 'registry.example.com/payments/api',
          tags: ['${{ steps.version.outputs.version }}', 'latest'],
          buildArgs: { VERSION: '${{ steps.version.outputs.version }}' },
        },
      });
      expect(stages[3]).toEqual({
        name: 'deploy',
        needs: ['image', 'docs'],
        when: { defaultBranch: true, tags: ['v*'] },
        type: 'deploy',
        deploy: { environments: ['dev', 'staging'], image: 'image' },
      });
      expect(
        definitionOf(`stages:
  - name: image
    image: {}
`).stages[0],
      ).toMatchObject({
        image: {
          context: '.',
          dockerfile: 'Dockerfile',
          tags: ['${{ run.shortCommit }}'],
          buildArgs: {},
        },
      });
    });

    it('runs on pushes to any branch, pull requests and by hand without triggers', () => {
      expect(
        definitionOf(
          `stages: [{ name: test, steps: [{ name: test, run: npm test }] }]`,
        ).triggers,
      ).toEqual({
        push: { branches: ['**'], tags: [] },
        pullRequest: {
          branches: [],
          types: ['opened', 'synchronize', 'reopened'],
        },
        manual: true,
        schedule: [],
      });
    });

    it('turns off what a triggers section leaves out, except manual runs', () => {
      const only = (triggers: string) =>
        definitionOf(`triggers: ${triggers}
stages: [{ name: test, steps: [{ name: test, run: npm test }] }]`).triggers;
      expect(only('{ push: { tags: [v*] } }')).toEqual({
        push: { branches: [], tags: ['v*'] },
        manual: true,
        schedule: [],
      });
      expect(only('{ push: {} }')).toEqual({
        push: { branches: ['**'], tags: [] },
        manual: true,
        schedule: [],
      });
      expect(
        only(
          "{ pullRequest: { types: [closed] }, schedule: [{ cron: '@daily', branch: nightly }] }",
        ),
      ).toEqual({
        pullRequest: { branches: [], types: ['closed'] },
        manual: true,
        schedule: [{ cron: '@daily', branch: 'nightly' }],
      });
    });
  });

  describe('YAML errors', () => {
    it('reports a syntax error with its line', () => {
      expect(errorsOf('stages:\n  - name: [build\n    steps: []\n')).toEqual([
        expect.objectContaining({ path: '', line: expect.any(Number) }),
      ]);
      const [syntax] = errorsOf('stages: [1\nversion: 1\n');
      expect(syntax).toMatchObject({ path: '', line: 2, column: 1 });
      expect(syntax.message).not.toMatch(/\n/);
    });

    it('reports a key given twice', () => {
      expect(errorsOf('version: 1\nstages: []\nversion: 1\n')).toEqual([
        error('', 3, 1, 'Map keys must be unique'),
      ]);
    });

    it('reports an empty file and one that is too large', () => {
      expect(errorsOf('# nothing here\n')).toEqual([
        error('', 1, 1, "the file is empty; it needs at least 'stages'"),
      ]);
      expect(errorsOf(`# ${'x'.repeat(MAX_PIPELINE_FILE_BYTES)}\n`)).toEqual([
        { path: '', message: 'the file is larger than 256 KiB' },
      ]);
    });

    it('reports a file that is not a mapping', () => {
      expect(errorsOf('- just\n- a list\n')).toEqual([
        error('', 1, 1, 'must be a mapping'),
      ]);
    });
  });

  describe('schema errors', () => {
    it('reports every error at once, each at its line', () => {
      const errors = errorsOf(`version: 2
colour: blue
triggers:
  push:
    branch: [main]
  pullRequest:
    types: [opened, merged]
env:
  1BAD: x
  LIST: [1]
stages:
  - name: build
    steps:
      - name: install
      - name: test
        run: npm test
        timeout: 5
        retries: -1
        workingDirectory: ../elsewhere
  - name: both
    image: {}
    deploy: { environments: [Dev] }
  - name: neither
  - name: 9lives
    steps: [{ name: x, run: y, timeout: 10 minutes }]
`);
      expect(errors).toEqual([
        error('version', 1, 10, 'must be 1'),
        error(
          'colour',
          2,
          1,
          "unknown field 'colour'; known fields are version, triggers, env, timeout, stages",
        ),
        error(
          'triggers.push.branch',
          5,
          5,
          "unknown field 'branch'; known fields are branches, tags",
        ),
        error(
          'triggers.pullRequest.types[1]',
          7,
          21,
          'must be one of opened, synchronize, reopened or closed',
        ),
        error(
          'env["1BAD"]',
          9,
          3,
          "'1BAD' is not a valid variable name: a letter or _, then letters, digits or _",
        ),
        error(
          'env.LIST',
          10,
          9,
          'must be a string, a number or a boolean (true or false)',
        ),
        error('stages[0].steps[0]', 14, 9, "'run' is required"),
        error(
          'stages[0].steps[1].timeout',
          17,
          18,
          'must be a duration such as 90s, 10m or 1h30m',
        ),
        error('stages[0].steps[1].retries', 18, 18, 'must be at least 0'),
        error(
          'stages[0].steps[1].workingDirectory',
          19,
          27,
          "must be a relative path inside the repository, without '..'",
        ),
        error(
          'stages[1]',
          20,
          5,
          'a stage has only one of steps, image or deploy; this one has image and deploy',
        ),
        error(
          'stages[1].deploy.environments[0]',
          22,
          30,
          'must be an environment name: lower-case letters, digits and -',
        ),
        error(
          'stages[2]',
          23,
          5,
          'a stage needs one of steps, image or deploy',
        ),
        error(
          'stages[3].name',
          24,
          11,
          'must start with a letter or _ and hold only letters, digits, _ and - (at most 63 characters)',
        ),
        error(
          'stages[3].steps[0].timeout',
          25,
          41,
          'must be a duration such as 90s, 10m or 1h30m',
        ),
      ]);
    });

    it('requires stages, and at least one', () => {
      expect(errorsOf('version: 1\n')).toEqual([
        error('', 1, 1, "'stages' is required"),
      ]);
      expect(errorsOf('stages: []\n')).toEqual([
        error('stages', 1, 9, 'must not be empty'),
      ]);
    });

    it('refuses absolute paths and names a listed value given twice', () => {
      expect(
        errorsOf(`stages:
  - name: image
    image:
      dockerfile: /etc/passwd
      tags: [a, b, a]
      repository: Registry.example.com/App:1
`),
      ).toEqual([
        error(
          'stages[0].image.dockerfile',
          4,
          19,
          "must be a relative path inside the repository, without '..'",
        ),
        error('stages[0].image.tags[2]', 5, 20, 'lists "a" twice'),
        error(
          'stages[0].image.repository',
          6,
          19,
          'must be an image repository such as registry.example.com/team/app (lower case, no tag)',
        ),
      ]);
    });

    it('refuses an empty when and a wrong kind of value', () => {
      expect(
        errorsOf(`stages:
  - name: deploy
    when: {}
    deploy:
      environments: dev
`),
      ).toEqual([
        error('stages[0].when', 3, 11, 'must not be empty'),
        error('stages[0].deploy.environments', 5, 21, 'must be a list'),
      ]);
    });
  });

  describe('DAG errors', () => {
    it('names a stage that needs one that does not exist', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps: [{ name: compile, run: make }]
  - name: test
    needs: [build, compile, biuld]
    steps: [{ name: test, run: make test }]
`),
      ).toEqual([
        error(
          'stages[1].needs[1]',
          5,
          20,
          "no stage named 'compile': 'compile' is a step of stage 'build'; stages need stages",
        ),
        error('stages[1].needs[2]', 5, 29, "no stage named 'biuld'"),
      ]);
    });

    it('names a stage that needs itself', () => {
      expect(
        errorsOf(`stages:
  - name: build
    needs: [build]
    steps: [{ name: compile, run: make }]
`),
      ).toEqual([error('stages[0].needs[0]', 3, 13, "'build' needs itself")]);
    });

    it('shows a cycle of stages', () => {
      expect(
        errorsOf(`stages:
  - name: a
    needs: [c]
    steps: [{ name: a1, run: x }]
  - name: b
    needs: [a]
    steps: [{ name: b1, run: x }]
  - name: c
    needs: [b]
    steps: [{ name: c1, run: x }]
`),
      ).toEqual([
        error(
          'stages[0].needs',
          3,
          12,
          "stages form a cycle: a → c → b → a (each needs the next; one without 'needs' needs the one before it in the list)",
        ),
      ]);
    });

    it('shows a cycle made with the implicit order', () => {
      // b comes after a, so it needs a; a needs b.
      expect(
        errorsOf(`stages:
  - name: a
    needs: [b]
    steps: [{ name: a1, run: x }]
  - name: b
    steps: [{ name: b1, run: x }]
`),
      ).toEqual([
        error('stages[0].needs', 3, 12, /^stages form a cycle: a → b → a/),
      ]);
    });

    it('keeps steps to their own stage', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps: [{ name: compile, run: make }]
  - name: test
    steps:
      - name: unit
        run: make test
        needs: [compile, build, nothing]
`),
      ).toEqual([
        error(
          'stages[1].steps[0].needs[0]',
          8,
          17,
          "no step named 'compile' in this stage: it is a step of stage 'build'; a step needs only steps of its own stage, so make stage 'test' need stage 'build'",
        ),
        error(
          'stages[1].steps[0].needs[1]',
          8,
          26,
          "no step named 'build' in this stage: 'build' is a stage; put it in this stage's 'needs'",
        ),
        error(
          'stages[1].steps[0].needs[2]',
          8,
          33,
          "no step named 'nothing' in this stage",
        ),
      ]);
    });

    it('shows a cycle of steps', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps:
      - { name: one, run: x, needs: [two] }
      - { name: two, run: x }
      - { name: three, run: x, needs: [three] }
`),
      ).toEqual([
        error(
          'stages[0].steps[0].needs',
          4,
          37,
          /^steps form a cycle: one → two → one/,
        ),
        error('stages[0].steps[2].needs[0]', 6, 40, "'three' needs itself"),
      ]);
    });
  });

  describe('other errors', () => {
    it('keeps stage names and step names unique', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps: [{ name: make, run: make }]
  - name: build
    steps: [{ name: make, run: make }]
`),
      ).toEqual([
        error(
          'stages[1].name',
          4,
          11,
          "stage 'build' is already defined (stages[0])",
        ),
        error(
          'stages[1].steps[0].name',
          5,
          21,
          "step 'make' is already defined in stage 'build'; step names are unique in the pipeline",
        ),
      ]);
    });

    it('checks timeouts and schedules', () => {
      expect(
        errorsOf(`timeout: 25h
triggers:
  schedule:
    - cron: '0 3 * *'
    - cron: '61 * * * *'
stages:
  - name: build
    steps: [{ name: make, run: make, timeout: 0s }]
`),
      ).toEqual([
        error('timeout', 1, 10, 'must be at most 24h'),
        error(
          'triggers.schedule[0].cron',
          4,
          13,
          'must have five fields (minute hour day-of-month month day-of-week), not 4',
        ),
        error(
          'triggers.schedule[1].cron',
          5,
          13,
          /^is not a valid cron expression: .*61/,
        ),
        error('stages[0].steps[0].timeout', 8, 47, 'must be longer than 0s'),
      ]);
    });

    it('keeps variables the executor sets out of env, and env off image stages', () => {
      expect(
        errorsOf(`env:
  PIPELINE_RUN_ID: mine
stages:
  - name: build
    steps: [{ name: make, run: make, env: { HOME: /root } }]
  - name: image
    env: { A: b }
    image: {}
`),
      ).toEqual([
        error(
          'env.PIPELINE_RUN_ID',
          2,
          3,
          "'PIPELINE_RUN_ID' is set by the executor for every step and cannot be set here",
        ),
        error(
          'stages[0].steps[0].env.HOME',
          5,
          45,
          "'HOME' is set by the executor for every step and cannot be set here",
        ),
        error(
          'stages[1].env',
          7,
          5,
          "'env' is for stages with steps; an image stage takes 'buildArgs'",
        ),
      ]);
    });

    it('needs an image stage before each deploy stage', () => {
      const steps = `  - name: build
    steps: [{ name: make, run: make }]
`;
      expect(
        errorsOf(`stages:
${steps}  - name: deploy
    deploy: { environments: [dev] }
`),
      ).toEqual([
        error(
          'stages[1].deploy',
          5,
          13,
          'a deploy stage deploys the image of an image stage, and this pipeline has none',
        ),
      ]);
      expect(
        errorsOf(`stages:
${steps}  - { name: api, image: { context: api } }
  - { name: web, image: { context: web } }
  - name: deploy
    deploy: { environments: [dev] }
`),
      ).toEqual([
        error(
          'stages[3].deploy',
          7,
          13,
          "there are several image stages (api, web); say which one with 'image'",
        ),
      ]);
      expect(
        errorsOf(`stages:
${steps}  - name: image
    image: {}
  - name: deploy
    needs: [build]
    deploy: { environments: [dev] }
  - name: deploy-build
    deploy: { environments: [dev], image: build }
`),
      ).toEqual([
        error(
          'stages[2]',
          6,
          5,
          "deploy stage 'deploy' must need image stage 'image' (directly or through other stages)",
        ),
        error(
          'stages[3].deploy.image',
          10,
          43,
          "stage 'build' is not an image stage",
        ),
      ]);
    });
  });

  describe('expressions', () => {
    it('keeps them out of commands', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps:
      - name: tag
        run: git tag \${{ run.shortCommit }}
`),
      ).toEqual([
        error(
          'stages[0].steps[0].run',
          5,
          14,
          "expressions are not put into commands, where a value could inject shell code; pass it through env (env: { VALUE: '${{ run.shortCommit }}' }) and use $VALUE",
        ),
      ]);
    });

    it('allows them only in env values, image tags and build args', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps:
      - name: make
        run: make
        workingDirectory: '\${{ run.branch }}'
`),
      ).toEqual([
        error(
          'stages[0].steps[0].workingDirectory',
          6,
          27,
          'expressions are allowed only in env values, image tags and build args',
        ),
      ]);
    });

    it('reports malformed expressions and unknown names', () => {
      expect(
        errorsOf(`stages:
  - name: build
    steps:
      - name: make
        run: make
        env:
          A: '\${{ run.sha }}'
          B: '\${{ steps.make.output.x }}'
          C: '\${{ steps.nothing.outputs.x }}'
          D: 'x \${{ run.commit'
`),
      ).toEqual([
        error(
          'stages[0].steps[0].env.A',
          7,
          14,
          "${{ run.sha }}: 'run.sha' is not a run field; known fields are id, number, commit, shortCommit, ref, branch, tag, pullRequest, repository, component",
        ),
        error(
          'stages[0].steps[0].env.B',
          8,
          14,
          "${{ steps.make.output.x }}: 'steps.make.output.x' is not an expression; write steps.<step>.outputs.<key> or run.<field>",
        ),
        error(
          'stages[0].steps[0].env.C',
          9,
          14,
          "${{ steps.nothing.outputs.x }}: there is no step named 'nothing'",
        ),
        error(
          'stages[0].steps[0].env.D',
          10,
          14,
          "${{ run.commit: '${{' is not closed with '}}'",
        ),
      ]);
    });

    it('reads outputs only of steps that run before', () => {
      expect(
        errorsOf(`env:
  EARLY: '\${{ steps.version.outputs.v }}'
stages:
  - name: build
    env:
      SAME: '\${{ steps.version.outputs.v }}'
    steps:
      - name: version
        run: echo v=1 >> "$PIPELINE_OUTPUT"
      - name: self
        run: echo
        env: { V: '\${{ steps.self.outputs.v }}' }
      - name: parallel
        needs: []
        run: echo
        env: { V: '\${{ steps.version.outputs.v }}' }
      - name: after
        needs: [version]
        run: echo
        env: { V: '\${{ steps.version.outputs.v }}' }
  - name: unrelated
    needs: []
    steps:
      - name: other
        run: echo
        env: { V: '\${{ steps.after.outputs.v }}' }
  - name: image
    needs: [build]
    image:
      tags: ['\${{ steps.version.outputs.v }}', '\${{ steps.other.outputs.v }}']
`),
      ).toEqual([
        error(
          'env.EARLY',
          2,
          10,
          "${{ steps.version.outputs.v }}: the pipeline's env is set before any step runs; use it in the env of a later step or stage",
        ),
        error(
          'stages[0].env.SAME',
          6,
          13,
          "${{ steps.version.outputs.v }}: step 'version' does not run before this; it must be needed here (directly or through other steps and stages)",
        ),
        error(
          'stages[0].steps[1].env.V',
          12,
          19,
          /^\$\{\{ steps\.self\.outputs\.v \}\}: step 'self' does not run before this/,
        ),
        error(
          'stages[0].steps[2].env.V',
          16,
          19,
          /^\$\{\{ steps\.version\.outputs\.v \}\}: step 'version' does not run before this/,
        ),
        error(
          'stages[1].steps[0].env.V',
          26,
          19,
          /^\$\{\{ steps\.after\.outputs\.v \}\}: step 'after' does not run before this/,
        ),
        error(
          'stages[2].image.tags[1]',
          30,
          48,
          /^\$\{\{ steps\.other\.outputs\.v \}\}: step 'other' does not run before this/,
        ),
      ]);
    });
  });
});

describe('formatPipelineErrors', () => {
  it('writes one line per error with file, line, column and field', () => {
    const result = parsePipeline(`stages:
  - name: build
    steps: [{ name: make, run: make, retries: 11 }]
`);
    expect(result.ok).toBe(false);
    expect(formatPipelineErrors(result.ok ? [] : result.errors)).toBe(
      '.platform/pipeline.yaml:3:47 stages[0].steps[0].retries: must be at most 10',
    );
    expect(
      formatPipelineErrors(
        [{ path: '', message: 'the file is larger than 256 KiB' }],
        'x.yaml',
      ),
    ).toBe('x.yaml the file is larger than 256 KiB');
  });
});
