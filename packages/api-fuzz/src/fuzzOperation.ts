/*
 * Fuzzes one operation for a while: fast-check generates requests from the
 * seed until one shows a problem not found before, shrinks it to a small
 * request showing the same, and starts again with the next seed, so that one
 * pass reports every distinct problem, each with a small example.
 */
import fc from 'fast-check';
import {
  FuzzRequest,
  requestArbitrary,
  requestInvalidity,
} from './fuzzRequests';
import { KnownValues } from './knownValues';
import { Operation } from './openapiSpecs';
import { checkExchange, Problem } from './responseChecks';
import { BackendGoneError, Exchange, send, Target } from './sendRequest';

/** A problem, the exchange that showed it, and how to generate it again. */
export interface Finding {
  op: Operation;
  /** What the finding is about, when not the operation alone (a spec). */
  subject?: string;
  problem: Problem;
  /** Absent for what the spec itself lacks. */
  exchange?: Exchange;
  /** Why the spec rejects the request; absent when it is valid. */
  invalidity?: string;
  /** Where in the pass: `round 1`, `without a token`. */
  phase: string;
  /** fast-check's seed and path of the shrunk counterexample. */
  fastCheck?: { seed: number; path: string | null };
}

/** What fuzzing an operation did. */
export interface OperationOutcome {
  requests: number;
  /** `valid 200`, `invalid 400`: how many answers of each kind. */
  statuses: Map<string, number>;
  findings: Finding[];
}

/** The most findings of one check kept per operation. */
const MAX_FINDINGS_PER_CHECK = 6;
/** How many smaller requests fast-check tries when shrinking. */
const MAX_SHRINKS = 200;

export async function fuzzOperation(options: {
  op: Operation;
  phase: string;
  target: Target;
  known: KnownValues;
  seed: number;
  timeLimitMs: number;
  maxRuns: number;
  /** Signatures of the operation found before, not to be reported again. */
  found: Set<string>;
}): Promise<OperationOutcome> {
  const { op, target, known, found } = options;
  const deadline = Date.now() + options.timeLimitMs;
  const outcome: OperationOutcome = {
    requests: 0,
    statuses: new Map(),
    findings: [],
  };
  const perCheck = new Map<string, number>();
  for (const signature of found) {
    const check = signature.split(':')[0];
    perCheck.set(check, (perCheck.get(check) ?? 0) + 1);
  }
  const isNew = (problem: Problem) =>
    !found.has(problem.signature) &&
    (perCheck.get(problem.check) ?? 0) < MAX_FINDINGS_PER_CHECK;

  let runsLeft = options.maxRuns;
  for (let attempt = 0; runsLeft > 0 && Date.now() < deadline; attempt++) {
    let last: Omit<Finding, 'fastCheck'>[] = [];
    let gone: BackendGoneError | undefined;
    let runs = 0;
    const property = fc.asyncProperty(
      fc.limitShrink(requestArbitrary(op, known), MAX_SHRINKS),
      async (request: FuzzRequest) => {
        runs++;
        let exchange: Exchange;
        try {
          exchange = await send(target, op, request);
        } catch (error) {
          if (error instanceof BackendGoneError) gone = error;
          throw error;
        }
        outcome.requests++;
        const invalidity = requestInvalidity(op, request);
        const kind = `${invalidity ? 'invalid' : 'valid'} ${
          exchange.status ?? 'no answer'
        }`;
        outcome.statuses.set(kind, (outcome.statuses.get(kind) ?? 0) + 1);
        if (exchange.status !== undefined && exchange.json !== undefined) {
          known.harvest(op, exchange.status, exchange.json);
        }
        const fresh = checkExchange(op, exchange, invalidity).filter(isNew);
        if (!fresh.length) return true;
        last = fresh.map(problem => ({
          op,
          problem,
          exchange,
          invalidity,
          phase: options.phase,
        }));
        return false;
      },
    );
    const result = await fc.check(property, {
      seed: options.seed + attempt,
      numRuns: runsLeft,
      plugins: [fc.interruptAfterTimeLimit(Math.max(0, deadline - Date.now()))],
    });
    if (gone) throw gone;
    runsLeft -= runs;
    if (!result.failed) break;
    if (!last.length) {
      // The property threw: a fault of this harness, not a finding.
      throw result.errorInstance instanceof Error
        ? result.errorInstance
        : new Error(
            `The fuzz property failed: ${String(result.errorInstance)}`,
          );
    }
    for (const finding of last) {
      found.add(finding.problem.signature);
      perCheck.set(
        finding.problem.check,
        (perCheck.get(finding.problem.check) ?? 0) + 1,
      );
      outcome.findings.push({
        ...finding,
        fastCheck: { seed: result.seed, path: result.counterexamplePath },
      });
    }
  }
  return outcome;
}
