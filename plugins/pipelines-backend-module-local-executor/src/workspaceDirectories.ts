import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { signalProcess } from './processTree';

/** The folders of one workspace. */
export type WorkspacePaths = {
  /** The workspace's own folder, removed on release. */
  root: string;
  /** The checkout; steps run here unless they name a folder inside it. */
  checkout: string;
  /** `HOME` for git and the steps, so no one's dotfiles are read. */
  home: string;
  /** `TMPDIR` for the steps. */
  tmp: string;
  /** One folder per step run, holding its outputs file. */
  steps: string;
};

/** Who created a workspace, to tell stale ones from those still in use. */
type Owner = {
  pid: number;
  /**
   * The owner process's start time (Linux), so that a process that got the
   * same pid later (a restarted backend in a container often does) is told
   * apart.
   */
  startTime?: string;
  createdAt: string;
};

const OWNER_FILE = '.owner.json';
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A folder without an owner file may be one another backend is creating. */
const UNOWNED_GRACE_MS = 10 * 60 * 1000;

/** Tells whether a workspace id is one this executor could have made. */
export function isWorkspaceId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** A new workspace id: a readable part from the run id and a random part. */
export function newWorkspaceId(runId: string): string {
  const readable = runId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const random = randomBytes(6).toString('hex');
  return readable ? `${readable}-${random}` : `run-${random}`;
}

export function workspacePaths(root: string, id: string): WorkspacePaths {
  const dir = join(root, id);
  return {
    root: dir,
    checkout: join(dir, 'src'),
    home: join(dir, 'home'),
    tmp: join(dir, 'tmp'),
    steps: join(dir, 'steps'),
  };
}

async function processStartTime(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') {
    return undefined;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * The workspace folders under one root that belong to one executor
 * backend process, and the clean-up of those whose owner is gone.
 */
export class WorkspaceDirectories {
  constructor(readonly root: string) {}

  /** Creates the folders of a new workspace, owned by this process. */
  async create(id: string): Promise<WorkspacePaths> {
    // Only the backend's user may look into workspaces: they hold checkouts.
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const paths = workspacePaths(this.root, id);
    await mkdir(paths.root, { mode: 0o700 });
    const owner: Owner = {
      pid: process.pid,
      startTime: await processStartTime(process.pid),
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(paths.root, OWNER_FILE), JSON.stringify(owner));
    for (const dir of [paths.checkout, paths.home, paths.tmp, paths.steps]) {
      await mkdir(dir);
    }
    return paths;
  }

  /** Removes a workspace folder; one that is already gone is fine. */
  async remove(id: string): Promise<void> {
    await removeTree(workspacePaths(this.root, id).root);
  }

  /**
   * The workspaces under the root whose owner is gone: a backend that
   * stopped without releasing them (crash, kill), or this backend before a
   * restart. Workspaces of running backends sharing the root (including
   * this one) are not stale.
   */
  async findStale(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
    const stale: string[] = [];
    for (const id of entries.filter(isWorkspaceId)) {
      if (await this.isStale(id)) {
        stale.push(id);
      }
    }
    return stale;
  }

  /**
   * Whether a workspace folder exists and its owner is gone. A folder
   * without an owner file is stale only once it is old enough not to be
   * one another backend is just creating.
   */
  async isStale(id: string): Promise<boolean> {
    const dir = workspacePaths(this.root, id).root;
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      owner = undefined;
    }
    if (owner === undefined) {
      const info = await lstat(dir).catch(() => undefined);
      return (
        info?.isDirectory() === true &&
        Date.now() - info.mtimeMs > UNOWNED_GRACE_MS
      );
    }
    return !(await this.isOwnerAlive(owner));
  }

  private async isOwnerAlive(owner: Owner): Promise<boolean> {
    if (!signalProcess(owner.pid, 0)) {
      return false;
    }
    const startTime = await processStartTime(owner.pid);
    if (owner.startTime !== undefined && startTime !== undefined) {
      return startTime === owner.startTime;
    }
    return true;
  }
}

/**
 * Removes a folder tree, also when a step made parts of it read-only (as
 * Go's module cache does), which stops removal for users other than root.
 */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') {
      throw error;
    }
    await makeWritable(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

async function makeWritable(dir: string): Promise<void> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    return;
  }
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir)) {
    await makeWritable(join(dir, entry));
  }
}
