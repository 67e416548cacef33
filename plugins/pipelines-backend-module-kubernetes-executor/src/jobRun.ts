import type {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  V1ContainerState,
  V1Job,
  V1Pod,
} from '@kubernetes/client-node';
import { PipelineStepEnd } from '@internal/plugin-pipelines-node';
import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import {
  describeKubernetesError,
  kubernetesStatusCodeOf,
} from '@internal/platform-node';

/** The cluster API clients a Job run needs. */
export type ClusterClient = {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  batch: BatchV1Api;
};

/** Why a Job run ended: the ends every executor shares, or the cluster failed it. */
export type JobEnd = PipelineStepEnd | 'failed';

export type JobOutcome = {
  end: JobEnd;
  /** The container's exit code when it ended (`exited`). */
  exitCode: number | null;
  /** The container's termination message. */
  terminationMessage?: string;
  /** What went wrong, for `failed` and `sink_failed`. */
  error?: string;
  /** Bytes of log received (up to the limit). */
  outputBytes: number;
};

/** How long the log may still run after the container has terminated. */
const LOG_END_GRACE_MS = 10_000;

type Stop = Exclude<JobEnd, 'exited' | 'failed'>;

/**
 * Creates a Job and follows it to its end: waits for its pod's container
 * to start, streams the pod's log (stdout and stderr, as the cluster
 * interleaves them) to `output` with the output limit, and returns the
 * container's exit code and termination message once it has terminated.
 * The timeout, the output limit, the signals and a failing `output` stop it
 * by deleting the Job (in the background: the garbage collector removes its
 * pod, whose containers get their grace period).
 */
export async function runJob(options: {
  client: ClusterClient;
  namespace: string;
  job: V1Job;
  container: string;
  timeoutMs: number;
  maxOutputBytes: number;
  pollIntervalMs: number;
  output: (text: string) => Promise<void>;
  /** Called with a line (no newline) on what the executor sees and does. */
  system: (line: string) => Promise<void>;
  signal?: AbortSignal;
  interrupt?: AbortSignal;
}): Promise<JobOutcome> {
  const { client, namespace, container } = options;
  const name = options.job.metadata!.name!;
  let stopped: Stop | undefined;
  let error: string | undefined;
  const waker = createWaker();
  const stop = (why: Stop) => {
    stopped ??= why;
    waker.wake();
  };

  try {
    await client.batch.createNamespacedJob({ namespace, body: options.job });
  } catch (e) {
    return {
      end: 'failed',
      exitCode: null,
      error: `The Job could not be created: ${describeKubernetesError(e)}`,
      outputBytes: 0,
    };
  }

  const timer = setTimeout(() => stop('timed_out'), options.timeoutMs);
  const onCancel = () => stop('cancelled');
  const onInterrupt = () => stop('interrupted');
  options.signal?.addEventListener('abort', onCancel);
  options.interrupt?.addEventListener('abort', onInterrupt);
  if (options.signal?.aborted) stop('cancelled');
  if (options.interrupt?.aborted) stop('interrupted');

  let outputBytes = 0;
  const decoder = new StringDecoder('utf8');
  let logDone = false;
  let logFollow: AbortController | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (stopped) {
        callback();
        return;
      }
      const room = options.maxOutputBytes - outputBytes;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      outputBytes += part.length;
      const text = decoder.write(part);
      const passed = text ? options.output(text) : Promise.resolve();
      passed.then(
        () => {
          if (chunk.length > room) stop('output_limit_exceeded');
          callback();
        },
        sinkError => {
          error =
            sinkError instanceof Error ? sinkError.message : String(sinkError);
          stop('sink_failed');
          callback();
        },
      );
    },
    final(callback) {
      const rest = decoder.end();
      const passed =
        rest && !stopped ? options.output(rest) : Promise.resolve();
      passed.then(
        () => callback(),
        sinkError => {
          error =
            sinkError instanceof Error ? sinkError.message : String(sinkError);
          stop('sink_failed');
          callback();
        },
      );
    },
  });
  sink.on('finish', () => {
    logDone = true;
    waker.wake();
  });

  let lastWaiting = '';
  let terminatedSince: number | undefined;
  try {
    const { Log } = await import('@kubernetes/client-node');
    while (!stopped) {
      const state = await observe(client, namespace, name);
      if (stopped) break;
      if (state.kind === 'gone') {
        return finish({ end: 'failed', error: state.message });
      }
      if (state.kind === 'deadline') {
        stop('timed_out');
        break;
      }
      if (state.kind === 'pod') {
        const containerState = state.pod.status?.containerStatuses?.find(
          s => s.name === container,
        )?.state;
        if (
          !logFollow &&
          (containerState?.running || containerState?.terminated)
        ) {
          logFollow = await new Log(client.kubeConfig)
            .log(namespace, state.pod.metadata!.name!, container, sink, {
              follow: true,
            })
            .catch(async followError => {
              // The log is lost, not the step: its end is still read.
              await options.system(
                `The pod's log could not be followed: ${describeKubernetesError(
                  followError,
                )}`,
              );
              sink.end();
              return new AbortController();
            });
        }
        if (containerState?.terminated) {
          terminatedSince ??= Date.now();
          // The log ends with the container; a stream that hangs on (a lost
          // connection) is not waited for long.
          if (logDone || Date.now() - terminatedSince > LOG_END_GRACE_MS) {
            logFollow?.abort();
            return finish({
              end: 'exited',
              exitCode: containerState.terminated.exitCode,
              terminationMessage: containerState.terminated.message,
            });
          }
        } else if (state.pod.status?.phase === 'Failed') {
          return finish({
            end: 'failed',
            error: `The pod failed before its container ran: ${
              state.pod.status.reason ?? ''
            } ${state.pod.status.message ?? ''}`.trim(),
          });
        } else {
          const waiting = describeWaiting(state.pod, containerState);
          if (waiting && waiting !== lastWaiting) {
            lastWaiting = waiting;
            await options.system(waiting);
          }
        }
      }
      await waker.sleep(options.pollIntervalMs);
    }
    logFollow?.abort();
    sink.destroy();
    await deleteJob(client, namespace, name).catch(deleteError =>
      options
        .system(
          `The Job ${name} could not be deleted: ${describeKubernetesError(
            deleteError,
          )}`,
        )
        .catch(() => {}),
    );
    return finish({ end: stopped!, ...(error ? { error } : {}) });
  } catch (e) {
    logFollow?.abort();
    sink.destroy();
    await deleteJob(client, namespace, name).catch(() => {});
    return finish({
      end: 'failed',
      error: `The executor lost track of the Job: ${describeKubernetesError(
        e,
      )}`,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    options.interrupt?.removeEventListener('abort', onInterrupt);
  }

  function finish(
    outcome: Omit<JobOutcome, 'outputBytes' | 'exitCode'> & {
      exitCode?: number | null;
    },
  ): JobOutcome {
    return { exitCode: null, ...outcome, outputBytes };
  }
}

/**
 * A pause between polls that ends early when something happens (a stop,
 * the log's end); a wake while not paused ends the next pause at once.
 */
function createWaker() {
  let pending = false;
  let wakeUp: (() => void) | undefined;
  return {
    wake() {
      if (wakeUp) wakeUp();
      else pending = true;
    },
    sleep(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise(resolve => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeUp = undefined;
          resolve();
        }
        wakeUp = done;
      });
    },
  };
}

type Observed =
  | { kind: 'pending' }
  | { kind: 'pod'; pod: V1Pod }
  | { kind: 'deadline' }
  | { kind: 'gone'; message: string };

/** The Job's state and its newest pod. */
async function observe(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<Observed> {
  let job: V1Job;
  try {
    job = await client.batch.readNamespacedJob({ namespace, name });
  } catch (e) {
    if (kubernetesStatusCodeOf(e) === 404) {
      return {
        kind: 'gone',
        message: `The Job ${name} was deleted by someone else before its container ended`,
      };
    }
    throw e;
  }
  const failed = job.status?.conditions?.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  const pods = await client.core.listNamespacedPod({
    namespace,
    labelSelector: `batch.kubernetes.io/job-name=${name}`,
  });
  const pod = pods.items
    .filter(p =>
      p.metadata?.ownerReferences?.some(r => r.uid === job.metadata?.uid),
    )
    .sort((a, b) =>
      String(a.metadata?.creationTimestamp ?? '').localeCompare(
        String(b.metadata?.creationTimestamp ?? ''),
      ),
    )
    .pop();
  if (failed?.reason === 'DeadlineExceeded') {
    return { kind: 'deadline' };
  }
  if (!pod) {
    return failed
      ? {
          kind: 'gone',
          message: `The Job failed without a pod: ${failed.reason} ${
            failed.message ?? ''
          }`.trim(),
        }
      : { kind: 'pending' };
  }
  return { kind: 'pod', pod };
}

/** Why a pod's container has not started yet, for the log; '' when nothing says. */
function describeWaiting(
  pod: V1Pod,
  state: V1ContainerState | undefined,
): string {
  if (state?.waiting?.reason && state.waiting.reason !== 'ContainerCreating') {
    return `The container is waiting: ${state.waiting.reason}${
      state.waiting.message ? `: ${state.waiting.message}` : ''
    }`;
  }
  const unscheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unscheduled) {
    return `The pod is not scheduled yet: ${unscheduled.reason ?? ''}${
      unscheduled.message ? `: ${unscheduled.message}` : ''
    }`;
  }
  return '';
}

/** Deletes a Job and (in the background) its pods; gone already is fine. */
export async function deleteJob(
  client: ClusterClient,
  namespace: string,
  name: string,
): Promise<void> {
  try {
    await client.batch.deleteNamespacedJob({
      namespace,
      name,
      propagationPolicy: 'Background',
    });
  } catch (e) {
    if (kubernetesStatusCodeOf(e) !== 404) throw e;
  }
}
