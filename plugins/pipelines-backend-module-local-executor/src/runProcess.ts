import {
  formatDuration,
  PipelineStepEnd,
} from '@internal/plugin-pipelines-node';
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { terminateProcessTree } from './processTree';

/** Why a process ended: the ends every executor shares, or not started. */
export type ProcessEnd = PipelineStepEnd | 'spawn_failed';

export type ProcessOutcome = {
  end: ProcessEnd;
  exitCode: number | null;
  signal?: NodeJS.Signals;
  /** Bytes of stdout and stderr received, at most the limit. */
  outputBytes: number;
  /** For `spawn_failed` and `sink_failed`. */
  error?: Error;
};

/** Receives output in order; a returned promise holds the next one back. */
export type OutputSink = (
  stream: 'stdout' | 'stderr' | 'system',
  text: string,
) => void | Promise<void>;

export type RunProcessOptions = {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The value of the process tag in `env`, to find processes that escape. */
  tag: string;
  /** Names the process in the messages about stopping it, e.g. `The step`. */
  subject: string;
  timeoutMs: number;
  graceMs: number;
  maxOutputBytes: number;
  output: OutputSink;
  /** Cancels the process. */
  signal?: AbortSignal;
  /** Stops the process because the backend shuts down. */
  interrupt?: AbortSignal;
};

/**
 * How long to wait for the output pipes to close once every process of the
 * tree is gone. Only a process that left the group and dropped its tag can
 * hold them open that long.
 */
const PIPE_CLOSE_WAIT_MS = 2000;

/**
 * Runs a program as the leader of a new process group (a new session, so it
 * has no controlling terminal either) with stdin from /dev/null, and passes
 * its output on. When it must stop (timeout, cancel, output limit, shutdown)
 * and also when it exits by itself, whatever is left of its group and of the
 * processes carrying its tag is stopped: nothing it started outlives it.
 * Resolves once everything has ended and all output was passed on; never
 * rejects.
 */
export function runProcess(
  options: RunProcessOptions,
): Promise<ProcessOutcome> {
  const { signal, interrupt } = options;
  if (signal?.aborted) {
    return Promise.resolve({
      end: 'cancelled',
      exitCode: null,
      outputBytes: 0,
    });
  }
  if (interrupt?.aborted) {
    return Promise.resolve({
      end: 'interrupted',
      exitCode: null,
      outputBytes: 0,
    });
  }

  return new Promise(resolve => {
    let end: ProcessEnd | undefined;
    let error: Error | undefined;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | undefined;
    let outputBytes = 0;
    let limitReached = false;
    let terminating: Promise<void> | undefined;
    let delivery: Promise<void> = Promise.resolve();
    let backlog = 0;
    let settled = false;

    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const streams = [child.stdout!, child.stderr!].filter(Boolean);

    // Function declarations: terminate and deliver call each other.
    function terminate() {
      terminating ??= terminateProcessTree({
        pgid: child.pid,
        tagMatches: tag => tag === options.tag,
        graceMs: options.graceMs,
      })
        .catch(e =>
          // Signalling failed in a way other than "no such process" (EPERM):
          // say so in the log, the one place someone will look.
          deliver(
            'system',
            `Could not stop all processes of ${options.subject.toLowerCase()}: ${e}\n`,
          ),
        )
        .then(() => {
          // Everything is dead, so the pipes close now, unless a process that
          // escaped the group without its tag still holds them.
          setTimeout(() => {
            for (const s of streams) {
              s.destroy();
            }
          }, PIPE_CLOSE_WAIT_MS).unref();
        });
      return terminating;
    }

    function deliver(
      stream: 'stdout' | 'stderr' | 'system',
      text: string,
      from?: Readable,
    ) {
      if (text === '' || error) {
        return;
      }
      backlog++;
      delivery = delivery
        .then(() => options.output(stream, text))
        .catch(e => {
          if (!error) {
            error = e instanceof Error ? e : new Error(String(e));
            end = 'sink_failed';
            void terminate();
          }
        })
        .finally(() => {
          backlog--;
          if (backlog === 0) {
            for (const s of streams) {
              s.resume();
            }
          }
        });
      // Hold further output back while the sink is busy.
      if (from) {
        for (const s of streams) {
          s.pause();
        }
      }
    }

    const stop = (reason: ProcessEnd, message?: string) => {
      if (end === undefined && exitCode === null && exitSignal === undefined) {
        end = reason;
        if (message) {
          deliver('system', `${message}\n`);
        }
      }
      void terminate();
    };

    const read = (name: 'stdout' | 'stderr', stream: Readable) => {
      const decoder = new StringDecoder('utf8');
      stream.on('data', (data: Buffer) => {
        if (limitReached || error) {
          return; // drain and drop what comes after the limit
        }
        const room = options.maxOutputBytes - outputBytes;
        const accepted = data.length > room ? data.subarray(0, room) : data;
        outputBytes += accepted.length;
        deliver(name, decoder.write(accepted), stream);
        if (data.length > room) {
          limitReached = true;
          deliver(name, decoder.end());
          stop(
            'output_limit_exceeded',
            `${options.subject} wrote more than its output limit of ${options.maxOutputBytes} bytes and is being stopped`,
          );
        }
      });
      stream.on('end', () => deliver(name, decoder.end()));
    };
    read('stdout', child.stdout!);
    read('stderr', child.stderr!);

    const timer = setTimeout(
      () =>
        stop(
          'timed_out',
          `${options.subject} ran longer than its timeout of ${formatDuration(
            options.timeoutMs,
          )} and is being stopped`,
        ),
      options.timeoutMs,
    );
    const onAbort = () =>
      stop(
        'cancelled',
        `${options.subject} was cancelled and is being stopped`,
      );
    const onInterrupt = () =>
      stop(
        'interrupted',
        `The backend is shutting down; ${options.subject.toLowerCase()} is being stopped`,
      );
    signal?.addEventListener('abort', onAbort);
    interrupt?.addEventListener('abort', onInterrupt);

    const finish = async () => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      interrupt?.removeEventListener('abort', onInterrupt);
      await terminating;
      await delivery;
      resolve({
        end: end ?? 'exited',
        exitCode,
        signal: exitSignal,
        outputBytes,
        error,
      });
    };

    child.on('error', e => {
      // Only spawning fails this way (e.g. no such program or directory).
      if (child.pid === undefined) {
        end = 'spawn_failed';
        error = e;
        void finish();
      }
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      exitSignal = sig ?? undefined;
      clearTimeout(timer);
      // Whatever the step left running in the background ends with it.
      void terminate();
    });
    child.on('close', () => void finish());
  });
}
