import { LatencySummary, summarize } from '@internal/bench-shared';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PushAnswer, sendPush, SignedPush } from './webhooks';

/** Pushes one client may have unanswered; past it a push counts as not sent. */
const MAX_IN_FLIGHT = 512;

/** What one open-loop rate gave. */
export interface AcceptResult {
  /** Pushes per second offered. */
  rate: number;
  seconds: number;
  offered: number;
  /** Answered 202: the delivery is recorded and its run queued. */
  accepted: number;
  /** Other answers and failed requests, by status (`0`: no answer). */
  refused: Record<string, number>;
  /** Not sent: MAX_IN_FLIGHT pushes were still unanswered. */
  notSent: number;
  /** Accepted per second, from the first send to the last answer. */
  acceptedPerSecond: number;
  /** From when each push was due to its answer: what a sender waits, queueing included. */
  latency: LatencySummary;
  /** From the request's actual start to its answer. */
  serviceLatency: LatencySummary;
  /** The most pushes unanswered at once. */
  maxInFlight: number;
}

/**
 * An open loop: pushes are sent on a fixed schedule, `rate` a second for
 * `seconds`, whether or not earlier ones were answered, as GitHub sends
 * them. Latency is taken from when each push was due, so a backend that
 * falls behind shows it in the figures instead of slowing the sender down
 * (no coordinated omission).
 */
export async function acceptPhase(
  baseUrl: string,
  push: SignedPush,
  options: { rate: number; seconds: number },
): Promise<AcceptResult> {
  const offered = Math.round(options.rate * options.seconds);
  const latency: number[] = [];
  const service: number[] = [];
  const refused: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  let accepted = 0;
  let notSent = 0;
  let maxInFlight = 0;
  let lastAnswer = 0;
  // Called as each answer arrives; outside the loop that sends.
  function record(
    answer: PushAnswer,
    sent: number,
    due: number,
    request: Promise<void>,
  ) {
    lastAnswer = performance.now();
    if (answer.status === 202) {
      accepted++;
      latency.push(sent - due + answer.ms);
      service.push(answer.ms);
    } else {
      const status = String(answer.status);
      refused[status] = (refused[status] ?? 0) + 1;
    }
    inFlight.delete(request);
  }
  const start = performance.now();
  for (let i = 0; i < offered; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    if (inFlight.size >= MAX_IN_FLIGHT) {
      notSent++;
      continue;
    }
    const sent = performance.now();
    const request: Promise<void> = sendPush(baseUrl, push).then(answer =>
      record(answer, sent, due, request),
    );
    inFlight.add(request);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
  }
  await Promise.all(inFlight);
  return {
    rate: options.rate,
    seconds: options.seconds,
    offered,
    accepted,
    refused,
    notSent,
    acceptedPerSecond: accepted / ((lastAnswer - start) / 1000),
    latency: summarize(latency),
    serviceLatency: summarize(service),
    maxInFlight,
  };
}

/**
 * Whether a rate was sustained: every push accepted, the accepted rate
 * at least 90 % of the offered one (the last answers come after the
 * schedule ends, so a backend that keeps up still shows a little less), and
 * p99 within the bound.
 */
export function sustained(result: AcceptResult, maxP99Ms: number): boolean {
  return (
    result.accepted === result.offered &&
    result.acceptedPerSecond >= 0.9 * result.rate &&
    result.latency.p99 <= maxP99Ms
  );
}
