/*
 * The API fuzz pass: every operation of every backend plugin's spec,
 * against the portal's real backend on SQLite, with requests generated from
 * the spec's own schemas, valid and broken. Every answer must be free of
 * undeclared 5xx, declared by the spec and shaped as it says; broken
 * requests must get a 4xx; every operation must want a token.
 *
 * Order: reads first, then creations, changes and deletions, each round
 * over every operation, so that later requests name what earlier ones
 * created. Run: `yarn workspace @internal/api-fuzz fuzz` (see README.md).
 */
import fc from 'fast-check';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FindingsFile, formatFinding } from './findingsReport';
import { Finding, fuzzOperation, OperationOutcome } from './fuzzOperation';
import { validRequestArbitrary } from './fuzzRequests';
import { readFuzzSettings, seedFor } from './fuzzSettings';
import { KnownValues } from './knownValues';
import { Operation, operationTitle, readAllSpecs } from './openapiSpecs';
import {
  catalogRefs,
  PortalBackend,
  sendSamplePush,
  startPortalBackend,
} from './portalBackend';
import { checkSecurityDeclared, checkUnauthenticated } from './responseChecks';
import { send, Target } from './sendRequest';

const settings = readFuzzSettings();
const specified = readAllSpecs(settings.root);
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const pathParameters = (op: Operation) =>
  op.parameters.filter(p => p.in === 'path').length;
const operations = specified
  .filter(
    op => !settings.operations || settings.operations.includes(op.operationId),
  )
  .sort(
    (a, b) =>
      METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) ||
      pathParameters(a) - pathParameters(b) ||
      specified.indexOf(a) - specified.indexOf(b),
  );
const table = operations.map(op => [operationTitle(op), op] as const);

const known = new KnownValues();
const found = new Map<Operation, Set<string>>();
const foundFor = (op: Operation) => {
  if (!found.has(op)) found.set(op, new Set());
  return found.get(op)!;
};
const coverage: Array<[string, OperationOutcome]> = [];
const validAnswers = new Map<Operation, Set<number>>();
const seedProblems: string[] = [];
let backend: PortalBackend | undefined;
let findingsFile: FindingsFile | undefined;
let deadline = 0;
let roundsLeft = operations.length * settings.rounds;

function target(): Target {
  if (!backend) throw new Error('The backend did not start; see beforeAll');
  return { port: backend.port, token: backend.token };
}

/** Records findings and fails the test with them, if there are any. */
function report(findings: Finding[]) {
  findingsFile?.add(findings);
  if (findings.length) {
    throw new Error(
      findings.map(f => formatFinding(f, settings.seed)).join('\n\n'),
    );
  }
}

beforeAll(async () => {
  mkdirSync(settings.outputDir, { recursive: true });
  const specs = [...new Set(operations.map(op => op.specFile))];
  process.stdout.write(
    `API fuzz pass: seed ${settings.seed} (FUZZ_SEED=${
      settings.seed
    } replays it); ${operations.length} of ${
      specified.length
    } operations, of ${specs.join(', ')}; ${settings.rounds} rounds in ${
      settings.seconds
    } s; findings in ${join(settings.outputDir, 'findings.md')}\n`,
  );
  findingsFile = new FindingsFile(
    join(settings.outputDir, 'findings.md'),
    settings.seed,
  );
  backend = await startPortalBackend({
    root: settings.root,
    outputDir: settings.outputDir,
    timeoutMs: 150_000,
  });
  // Catalog entities are what valid requests refer to by name.
  for (const ref of await catalogRefs(backend, 'component')) {
    known.add('prop:component', ref, false);
    known.add('ref:ComponentRef', ref, false);
  }
  for (const ref of await catalogRefs(backend, 'group')) {
    known.add('prop:owner', ref, false);
    known.add('ref:OwnerRef', ref, false);
  }
  try {
    await sendSamplePush(backend);
  } catch (error) {
    seedProblems.push((error as Error).message);
  }
  deadline = Date.now() + settings.seconds * 1000;
}, 240_000);

afterAll(async () => {
  findingsFile?.addCoverage(coverage);
  await backend?.stop();
});

it('finds operations in the plugins’ specs', () => {
  expect(operations.length).toBeGreaterThan(0);
});

it('gets its seed data into the portal (the sample push webhook)', () => {
  expect(seedProblems).toEqual([]);
});

describe.each([...new Set(operations.map(op => op.specFile))])(
  '%s',
  specFile => {
    it('says that its operations want a token (security requirement and scheme)', () => {
      const ofSpec = operations.filter(op => op.specFile === specFile);
      report(
        checkSecurityDeclared(ofSpec).map(problem => ({
          op: ofSpec[0],
          subject: specFile,
          problem,
          phase: 'the spec',
        })),
      );
    });
  },
);

describe('every operation wants a token', () => {
  describe.each(table)('%s', (_title, op) => {
    it('answers 401 without a token and with a bad one', async () => {
      const [request] = fc.sample(validRequestArbitrary(op, known), {
        seed: seedFor(settings.seed, op.operationId, 'token'),
        numRuns: 1,
      });
      const findings: Finding[] = [];
      for (const token of ['none', 'bad'] as const) {
        const exchange = await send(target(), op, request, token);
        findings.push(
          ...checkUnauthenticated(op, exchange)
            .filter(problem => !foundFor(op).has(problem.signature))
            .map(problem => ({
              op,
              problem,
              exchange,
              phase: 'the token checks',
            })),
        );
      }
      findings.forEach(f => foundFor(op).add(f.problem.signature));
      report(findings);
    });
  });
});

const rounds = Array.from({ length: settings.rounds }, (_, i) => i + 1);

describe.each(rounds)('round %i: generated requests', round => {
  it.each(table)(
    '%s',
    async (title, op) => {
      const share = Math.max(0, deadline - Date.now()) / roundsLeft--;
      const outcome = await fuzzOperation({
        op,
        phase: `round ${round}`,
        target: target(),
        known,
        seed: seedFor(settings.seed, op.operationId, `round ${round}`),
        timeLimitMs: Math.max(1000, share),
        maxRuns: settings.maxRuns,
        found: foundFor(op),
      });
      coverage.push([`${title}, round ${round}`, outcome]);
      for (const kind of outcome.statuses.keys()) {
        const [validity, status] = kind.split(' ');
        if (validity === 'valid' && /^\d+$/.test(status)) {
          if (!validAnswers.has(op)) validAnswers.set(op, new Set());
          validAnswers.get(op)!.add(Number(status));
        }
      }
      report(outcome.findings);
      // A pass with no time left for an operation tested nothing there.
      expect(outcome.requests).toBeGreaterThan(0);
    },
    settings.seconds * 1000 + 60_000,
  );
});

const reads = table.filter(([, op]) => op.method === 'GET');

// FUZZ_OPERATIONS may name no read at all, and jest refuses an empty table.
if (reads.length) {
  describe('the generated requests reach the handlers', () => {
    // Reads must succeed some of the time: otherwise the requests before
    // them destroyed what they read, or never named anything that exists.
    it.each(reads)('%s answered a valid request with a 2xx', (_title, op) => {
      const statuses = [...(validAnswers.get(op) ?? [])].sort();
      const reached = statuses.some(s => s >= 200 && s < 300);
      expect(
        reached
          ? 'a valid request got a 2xx'
          : `valid requests got only ${statuses.join(', ') || 'no answer'}`,
      ).toBe('a valid request got a 2xx');
    });
  });
}
