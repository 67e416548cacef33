import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePodLogs } from './FakePodLogs';
import { timestamp } from './kinds';
import { ObjectRegistry } from './ObjectRegistry';
import { resourceTypeOfKind } from './resources';
import { KubeObject, KubeWatchEvent } from './types';

const POD = resourceTypeOfKind('Pod');
const CLAIM = resourceTypeOfKind('PersistentVolumeClaim');
const SECRET = resourceTypeOfKind('Secret');
/** What the kubelet keeps of a termination message file. */
const MAX_TERMINATION_MESSAGE = 4096;

/**
 * What the fake API server gives its kubelet: the objects and the log
 * store the `pods/<name>/log` endpoint serves.
 *
 * @public
 */
export type FakeKubeletContext = {
  registry: ObjectRegistry;
  logs: FakePodLogs;
};

/**
 * Runs the pods of a fake API server, as a node's kubelet does; set one with
 * {@link FakeKubernetesApiServer.setKubelet}.
 *
 * @public
 */
export interface FakeKubelet {
  start(context: FakeKubeletContext): void;
  /** Stops every pod it runs. */
  stop(): Promise<void>;
}

type Running = {
  child: ChildProcess;
  exited: Promise<void>;
  graceMs: number;
};

/**
 * A kubelet that runs a pod's container as a child process of the test, for
 * testing code that runs commands in pods (Jobs) against the fake server:
 *
 * - it runs pods that belong to a Job or to nobody (pods of ReplicaSets are
 *   the simulated deployment controller's), with exactly one container whose
 *   `command` (plus `args`) it runs; the image is not pulled, the host's
 *   programs stand in for it, and `PATH` is the test process's unless the
 *   container sets one;
 * - volumes are folders under a temporary root: a `persistentVolumeClaim`
 *   one per claim (which it binds, as with `WaitForFirstConsumer`; a missing
 *   claim keeps the pod pending and unschedulable), an `emptyDir` one per pod.
 *   Mounts are simulated by rewriting paths: a container's `workingDir`,
 *   `terminationMessagePath`, and env values and arguments that start with a
 *   mount path are given the host folder instead, so a command must reach its
 *   volumes through those (e.g. `$WORKSPACE/file`), not through a path
 *   written out in a script;
 * - env is the container's `env` only (`value`, `secretKeyRef`, `fieldRef`
 *   to `metadata.name` and `metadata.namespace`), plus `HOSTNAME`;
 * - stdout and stderr go to the pod's log; on exit the container's
 *   terminated state gets the exit code (128 + signal for a signal), reason
 *   `Completed` or `Error`, and the first 4096 bytes of the file at
 *   `terminationMessagePath` as its message (`FallbackToLogsOnError`: the
 *   log's end when the file is empty and the container failed);
 * - a deleted pod's process group gets SIGTERM, and SIGKILL after the pod's
 *   `terminationGracePeriodSeconds`.
 *
 * @public
 */
export class FakeProcessKubelet implements FakeKubelet {
  private context?: FakeKubeletContext;
  private unsubscribe?: () => void;
  private root?: Promise<string>;
  private readonly running = new Map<string, Running>();

  /** The host folder standing for a claim's volume. */
  async claimDirectory(namespace: string, claimName: string): Promise<string> {
    const claim = this.context?.registry.find(CLAIM, namespace, claimName);
    if (!claim) {
      throw new Error(`No persistentvolumeclaim ${namespace}/${claimName}`);
    }
    return join(await this.rootDir(), 'volumes', claim.metadata.uid!);
  }

  start(context: FakeKubeletContext): void {
    this.context = context;
    this.unsubscribe = context.registry.subscribe(event => this.onEvent(event));
    for (const pod of context.registry.list(POD)) {
      if (this.isMine(pod) && pod.status?.phase === 'Pending') {
        this.schedule(pod);
      }
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    const running = [...this.running.values()];
    for (const run of running) this.kill(run, 0);
    await Promise.all(running.map(r => r.exited));
    if (this.root) {
      await rm(await this.root, { recursive: true, force: true });
    }
  }

  private rootDir(): Promise<string> {
    this.root ??= mkdtemp(join(tmpdir(), 'fake-kubelet-'));
    return this.root;
  }

  private isMine(pod: KubeObject) {
    const owners = pod.metadata.ownerReferences ?? [];
    return owners.length === 0 || owners.some(o => o.kind === 'Job');
  }

  private onEvent(event: KubeWatchEvent) {
    if (event.group !== '' || event.plural !== 'pods') return;
    if (event.type === 'ADDED' && this.isMine(event.object)) {
      this.schedule(event.object);
    } else if (event.type === 'DELETED') {
      const uid = event.object.metadata.uid!;
      const run = this.running.get(uid);
      if (run) this.kill(run, run.graceMs);
      this.context?.logs.remove(uid);
    }
  }

  private schedule(pod: KubeObject) {
    setImmediate(() =>
      this.startPod(pod).catch(error =>
        process.emitWarning(`Fake kubelet failed: ${error}`),
      ),
    );
  }

  private kill(run: Running, graceMs: number) {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-run.child.pid!, name);
      } catch {
        // Gone already.
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    run.exited.finally(() => clearTimeout(timer));
  }

  private unschedulable(pod: KubeObject, message: string) {
    const { registry } = this.context!;
    const { namespace, name } = pod.metadata;
    registry.updateStatus(POD, namespace!, name, status => ({
      ...status,
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message,
          lastTransitionTime: timestamp(),
        },
      ],
    }));
  }

  private async startPod(pod: KubeObject): Promise<void> {
    const { registry, logs } = this.context!;
    const namespace = pod.metadata.namespace!;
    const uid = pod.metadata.uid!;
    const containers = pod.spec?.containers ?? [];
    if (containers.length !== 1 || !Array.isArray(containers[0].command)) {
      this.unschedulable(
        pod,
        'the fake kubelet runs pods with exactly one container that has a command',
      );
      return;
    }
    const container = containers[0];
    const root = await this.rootDir();

    // Volumes: a folder each.
    const volumes = new Map<string, string>();
    for (const volume of pod.spec.volumes ?? []) {
      if (volume.persistentVolumeClaim) {
        const claimName = volume.persistentVolumeClaim.claimName;
        const claim = registry.find(CLAIM, namespace, claimName);
        if (!claim) {
          this.unschedulable(
            pod,
            `persistentvolumeclaim "${claimName}" not found`,
          );
          return;
        }
        if (claim.status?.phase !== 'Bound') {
          registry.updateStatus(CLAIM, namespace, claimName, status => ({
            ...status,
            phase: 'Bound',
            accessModes: claim.spec.accessModes,
            capacity: { storage: claim.spec.resources.requests.storage },
          }));
        }
        volumes.set(volume.name, join(root, 'volumes', claim.metadata.uid!));
      } else if (volume.emptyDir) {
        volumes.set(volume.name, join(root, 'pods', uid, volume.name));
      } else {
        this.unschedulable(
          pod,
          `the fake kubelet cannot mount volume "${volume.name}": only persistentVolumeClaim and emptyDir`,
        );
        return;
      }
    }
    const mounts: Array<{ path: string; host: string }> = [];
    for (const mount of container.volumeMounts ?? []) {
      const host = volumes.get(mount.name);
      if (!host) {
        this.unschedulable(pod, `volume "${mount.name}" is not in the pod`);
        return;
      }
      mounts.push({
        path: mount.mountPath.replace(/\/+$/, ''),
        host: mount.subPath ? join(host, mount.subPath) : host,
      });
    }
    mounts.sort((a, b) => b.path.length - a.path.length);
    for (const mount of mounts) await mkdir(mount.host, { recursive: true });
    const translate = (value: string) => {
      const mount = mounts.find(
        m => value === m.path || value.startsWith(`${m.path}/`),
      );
      return mount ? mount.host + value.slice(mount.path.length) : value;
    };

    // Environment: the container's own, nothing of the test process.
    const env: Record<string, string> = { HOSTNAME: pod.metadata.name };
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom;
      let value: string | undefined = variable.value ?? '';
      if (from?.secretKeyRef) {
        const secret = registry.find(SECRET, namespace, from.secretKeyRef.name);
        const data = secret?.data as Record<string, string> | undefined;
        const encoded = data?.[from.secretKeyRef.key];
        if (encoded === undefined && !from.secretKeyRef.optional) {
          this.unschedulable(
            pod,
            `CreateContainerConfigError: secret "${from.secretKeyRef.name}" or its key "${from.secretKeyRef.key}" not found`,
          );
          return;
        }
        value =
          encoded === undefined
            ? undefined
            : Buffer.from(encoded, 'base64').toString('utf8');
      } else if (from?.fieldRef) {
        value = {
          'metadata.name': pod.metadata.name,
          'metadata.namespace': namespace,
        }[from.fieldRef.fieldPath as string];
      }
      if (value !== undefined) env[variable.name] = translate(value);
    }
    env.PATH ??= process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';

    const messageFile = translate(
      container.terminationMessagePath ?? '/dev/termination-log',
    );
    const ownMessageFile = !mounts.some(m => messageFile.startsWith(m.host));
    const terminationFile = ownMessageFile
      ? join(root, 'pods', uid, 'termination', container.name)
      : messageFile;
    await mkdir(join(terminationFile, '..'), { recursive: true });
    await (await open(terminationFile, 'w')).close();
    const cwd = container.workingDir
      ? translate(container.workingDir)
      : join(root, 'pods', uid, 'rootfs');
    await mkdir(cwd, { recursive: true });

    // The pod may have been deleted while its volumes were prepared.
    const live = registry.find(POD, namespace, pod.metadata.name);
    if (!live || live.metadata.uid !== uid) return;

    const [file, ...args] = [
      ...container.command,
      ...(container.args ?? []),
    ].map((a: string) => translate(a));
    const startedAt = timestamp();
    logs.open(uid, container.name);
    const child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => logs.append(uid, container.name, chunk);
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    // The container ends with its main process: what that left running in
    // the background is killed with it, as the runtime does.
    const exited = new Promise<{ code: number | null; signal: string | null }>(
      resolve => {
        let ended: { code: number | null; signal: string | null } | undefined;
        child.on('error', () => {
          ended ??= { code: 128, signal: null };
        });
        child.on('exit', (code, signal) => {
          ended ??= { code, signal };
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // Nothing left.
          }
        });
        child.on('close', () => resolve(ended ?? { code: 128, signal: null }));
      },
    );
    const run: Running = {
      child,
      exited: exited.then(() => undefined),
      graceMs: (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000,
    };
    this.running.set(uid, run);

    const containerStatus = (state: unknown) => ({
      name: container.name,
      image: container.image,
      imageID: `${container.image}@sha256:${'0'.repeat(64)}`,
      containerID: `fake://${uid}`,
      ready: false,
      restartCount: 0,
      started: false,
      state,
    });
    try {
      registry.updateStatus(POD, namespace, pod.metadata.name, status => ({
        ...status,
        phase: 'Running',
        startTime: startedAt,
        podIP: '10.244.0.10',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'True',
            lastTransitionTime: startedAt,
          },
          { type: 'Ready', status: 'True', lastTransitionTime: startedAt },
        ],
        containerStatuses: [
          {
            ...containerStatus({ running: { startedAt } }),
            ready: true,
            started: true,
          },
        ],
      }));
    } catch {
      // Deleted in the meantime: the DELETED event stops the process.
    }

    const { code, signal } = await exited;
    this.running.delete(uid);
    logs.end(uid, container.name);
    const signals: Record<string, number> = { SIGTERM: 15, SIGKILL: 9 };
    const exitCode = code ?? 128 + (signals[signal ?? ''] ?? 0);
    let message = await readStart(terminationFile);
    if (
      message === '' &&
      exitCode !== 0 &&
      container.terminationMessagePolicy === 'FallbackToLogsOnError'
    ) {
      message = logs
        .text(uid, container.name)
        .split('\n')
        .slice(-80)
        .join('\n')
        .slice(-2048);
    }
    await rm(join(root, 'pods', uid), { recursive: true, force: true });
    if (
      registry.find(POD, namespace, pod.metadata.name)?.metadata.uid !== uid
    ) {
      return;
    }
    registry.updateStatus(POD, namespace, pod.metadata.name, status => ({
      ...status,
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: status.conditions?.map((c: any) =>
        c.type === 'Ready'
          ? { ...c, status: 'False', reason: 'PodCompleted' }
          : c,
      ),
      containerStatuses: [
        containerStatus({
          terminated: {
            exitCode,
            ...(signal ? { signal: signals[signal] } : {}),
            reason: exitCode === 0 ? 'Completed' : 'Error',
            ...(message ? { message } : {}),
            startedAt,
            finishedAt: timestamp(),
            containerID: `fake://${uid}`,
          },
        }),
      ],
    }));
  }
}

async function readStart(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(MAX_TERMINATION_MESSAGE);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
