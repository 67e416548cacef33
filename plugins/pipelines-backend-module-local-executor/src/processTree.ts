import { readdir, readFile } from 'node:fs/promises';

/**
 * The variable every process of a step carries, `<workspace id>/<step
 * number>`. A process that leaves the step's process group (`setsid`, a
 * daemonising build tool) still inherits it, which is how it is found and
 * stopped with the step.
 */
export const PROCESS_TAG_VARIABLE = 'PIPELINE_PROCESS_TAG';

/** Only Linux has `/proc` to find a group's members and tagged processes. */
const HAS_PROC = process.platform === 'linux';

type ProcStat = { pid: number; state: string; pgrp: number };

async function listProcesses(): Promise<number[]> {
  const entries = await readdir('/proc');
  return entries.filter(e => /^\d+$/.test(e)).map(Number);
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself hold spaces and
    // parentheses, so the fields are counted from the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return undefined; // it ended meanwhile
  }
}

/** Dead processes waiting to be reaped are not running any more. */
function isRunning(stat: ProcStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

/**
 * Whether any process of the group is still running. Zombies do not count:
 * an orphan is reaped by the system's init, not by us.
 */
export async function isGroupRunning(pgid: number): Promise<boolean> {
  // One system call answers the usual case, a group with no process left,
  // without reading /proc.
  const exists = signalGroup(pgid, 0);
  if (!exists || !HAS_PROC) {
    return exists;
  }
  const stats = await Promise.all((await listProcesses()).map(readStat));
  return stats.some(stat => stat && stat.pgrp === pgid && isRunning(stat));
}

/**
 * The running processes whose environment has {@link PROCESS_TAG_VARIABLE}
 * set to a value `matches` accepts. Processes of other users cannot be read
 * and are never ours. Empty where there is no `/proc`.
 */
export async function findTaggedProcesses(
  matches: (tag: string) => boolean,
): Promise<number[]> {
  if (!HAS_PROC) {
    return [];
  }
  const prefix = `${PROCESS_TAG_VARIABLE}=`;
  // Read side by side: one at a time, a scan of a few hundred processes
  // took tens of milliseconds, after every step.
  const tagged = await Promise.all(
    (
      await listProcesses()
    )
      .filter(pid => pid !== process.pid)
      .map(async pid => {
        let environ: string;
        try {
          environ = await readFile(`/proc/${pid}/environ`, 'utf8');
        } catch {
          return undefined;
        }
        const entry = environ.split('\0').find(e => e.startsWith(prefix));
        if (!entry || !matches(entry.slice(prefix.length))) {
          return undefined;
        }
        const stat = await readStat(pid);
        return stat && isRunning(stat) ? pid : undefined;
      }),
  );
  return tagged.filter((pid): pid is number => pid !== undefined);
}

/**
 * Sends a signal to a process group; `false` when the group no longer
 * exists.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  return signalProcess(-pgid, signal);
}

/** Sends a signal to a process; `false` when it no longer exists. */
export function signalProcess(
  pid: number,
  signal: NodeJS.Signals | 0,
): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      return false;
    }
    throw error;
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Stops a process group and the tagged processes that left it: SIGTERM
 * first, and SIGKILL for whatever still runs after the grace period.
 * Resolves when nothing of it runs any more.
 */
export async function terminateProcessTree(options: {
  pgid?: number;
  tagMatches: (tag: string) => boolean;
  graceMs: number;
}): Promise<void> {
  const { pgid, tagMatches, graceMs } = options;
  const running = async () =>
    (pgid !== undefined && (await isGroupRunning(pgid))) ||
    (await findTaggedProcesses(tagMatches)).length > 0;
  const signalAll = async (signal: NodeJS.Signals) => {
    if (pgid !== undefined) {
      signalGroup(pgid, signal);
    }
    for (const pid of await findTaggedProcesses(tagMatches)) {
      signalProcess(pid, signal);
    }
  };

  if (!(await running())) {
    return;
  }
  await signalAll('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
    if (!(await running())) {
      return;
    }
  }
  // A process may have forked between the scan and the signal; SIGKILL
  // rounds go on until nothing is left (SIGKILL cannot be ignored, so this
  // ends unless a process is stuck in the kernel).
  for (let round = 0; round < 50; round++) {
    await signalAll('SIGKILL');
    await sleep(20);
    if (!(await running())) {
      return;
    }
  }
}
