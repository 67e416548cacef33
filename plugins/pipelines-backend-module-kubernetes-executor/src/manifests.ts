import type {
  V1Container,
  V1EnvVar,
  V1Job,
  V1PersistentVolumeClaim,
  V1PodSpec,
  V1Secret,
} from '@kubernetes/client-node';
import { createHash, randomBytes } from 'node:crypto';
import { KubernetesExecutorSettings } from './config';

/** Labels every object of the executor carries. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  runId: 'launchpad.dev/run-id',
  workspace: 'launchpad.dev/workspace',
  role: 'launchpad.dev/role',
} as const;
export const MANAGED_BY = 'launchpad-pipelines';
const RUN_ID_ANNOTATION = 'launchpad.dev/run-id';
const STEP_ID_ANNOTATION = 'launchpad.dev/step-id';

/** The step pods' own folder (an emptyDir): outputs file and termination message. */
export const STEP_DIR = '/launchpad-step';
export const OUTPUT_FILE = `${STEP_DIR}/output`;
export const TERMINATION_FILE = `${STEP_DIR}/termination-log`;
export const CONTAINER = 'step';
export const CLONE_CONTAINER = 'clone';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function slug(text: string, length: number): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, length)
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/**
 * The `launchpad.dev/run-id` label value: the run id itself when it is a
 * valid label value, a hash of it otherwise (the annotation keeps it whole).
 */
export function runLabel(runId: string): string {
  return LABEL_VALUE.test(runId) ? runId : `sha256-${hash(runId, 40)}`;
}

/** A workspace as its objects are named and labelled after it. */
export type WorkspaceRef = { id: string; runId: string };

const WORKSPACE_ID = /^pl-[a-z0-9-]{1,40}-[0-9a-f]{8}$/;

/**
 * A new workspace id: the run id's start and a random part. A run prepared
 * again (its first backend died mid-run) gets a workspace of its own, not
 * the claim its predecessor may still be deleting.
 */
export function newWorkspaceId(runId: string): string {
  return `pl-${slug(runId, 24)}-${randomBytes(4).toString('hex')}`;
}

export function isWorkspaceId(id: unknown): id is string {
  return typeof id === 'string' && WORKSPACE_ID.test(id);
}

/** The selector of everything the executor made for a workspace. */
export function workspaceSelector(workspaceId: string): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.workspace}=${workspaceId}`;
}

/**
 * The names of a workspace's objects. They follow from the workspace id,
 * so a workspace can be released after a restart from its plain data.
 */
export function workspaceNames(workspaceId: string) {
  return {
    claim: workspaceId,
    cloneJob: `${workspaceId}-clone`,
    credentials: `${workspaceId}-git`,
    /** A new name per step run: attempts and reruns of a step never clash. */
    stepJob: (stepId: string) =>
      `${workspaceId}-${slug(stepId, 12)}-${randomBytes(3).toString('hex')}`,
  };
}

function metadata(
  name: string,
  workspace: WorkspaceRef,
  role: string,
  annotations: Record<string, string> = {},
) {
  return {
    name,
    labels: {
      [LABELS.managedBy]: MANAGED_BY,
      [LABELS.runId]: runLabel(workspace.runId),
      [LABELS.workspace]: workspace.id,
      [LABELS.role]: role,
    },
    annotations: { [RUN_ID_ANNOTATION]: workspace.runId, ...annotations },
  };
}

export function claimManifest(
  workspace: WorkspaceRef,
  settings: KubernetesExecutorSettings,
): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: metadata(workspace.id, workspace, 'workspace'),
    spec: {
      accessModes: [settings.accessMode],
      resources: { requests: { storage: settings.workspaceSize } },
      ...(settings.storageClassName
        ? { storageClassName: settings.storageClassName }
        : {}),
    },
  };
}

export function credentialsManifest(
  workspace: WorkspaceRef,
  credentials: { username: string; password: string },
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(
      workspaceNames(workspace.id).credentials,
      workspace,
      'credentials',
    ),
    type: 'Opaque',
    stringData: {
      username: credentials.username,
      password: credentials.password,
    },
  };
}

/**
 * Runs the step's command, then copies its outputs file to the termination
 * message, where the executor reads it from the pod's status (also when the
 * step failed). Arguments: the termination message path, the working
 * directory, then the command. A working directory that a symbolic link
 * leads out of the checkout is refused.
 */
const STEP_WRAPPER = String.raw`termination=$1; workdir=$2; shift 2
: > "$PIPELINE_OUTPUT"
checkout=$(cd "$PIPELINE_WORKSPACE" && pwd -P) || exit 1
if ! cd "$workdir" 2>/dev/null; then
  echo "The working directory does not exist in the checkout" >&2; exit 1
fi
case "$(pwd -P)/" in
  "$checkout"/*) ;;
  *) echo "The working directory leads out of the checkout" >&2; exit 1 ;;
esac
"$@" </dev/null
code=$?
if [ -f "$PIPELINE_OUTPUT" ]; then cat "$PIPELINE_OUTPUT" > "$termination"; fi
exit $code`;

/**
 * Checks the repository out into the workspace claim, as the local
 * executor does: a shallow fetch of the commit, a full fetch of the ref (or
 * of all branches and tags) when the server refuses it. Credentials come
 * from two variables a credential helper answers git with; they are never in
 * the URL or the checkout's config. Arguments: the termination message path
 * (the resolved commit is written there) and the workspace path.
 */
const CLONE_SCRIPT = String.raw`termination=$1; workspace=$2
set -e
mkdir -p "$workspace/src" "$workspace/home" "$workspace/tmp"
cd "$workspace/src"
fetch() {
  if [ -n "$LAUNCHPAD_GIT_USERNAME" ]; then
    git -c credential.helper= -c 'credential.helper=!f() { test "$1" = get || exit 0; printf "username=%s\npassword=%s\n" "$LAUNCHPAD_GIT_USERNAME" "$LAUNCHPAD_GIT_PASSWORD"; }; f' fetch --no-tags --no-recurse-submodules "$@"
  else
    git -c credential.helper= fetch --no-tags --no-recurse-submodules "$@"
  fi
}
git init --quiet --template= .
git remote add origin "$LAUNCHPAD_CLONE_URL"
if [ -n "$LAUNCHPAD_COMMIT" ]; then
  echo "Fetching commit $LAUNCHPAD_COMMIT from $LAUNCHPAD_CLONE_URL"
  if ! fetch --depth=1 origin "$LAUNCHPAD_COMMIT"; then
    if [ -n "$LAUNCHPAD_REF" ]; then
      echo "The server did not serve the commit on its own; fetching ref $LAUNCHPAD_REF instead"
      fetch origin "$LAUNCHPAD_REF"
    else
      echo "The server did not serve the commit on its own; fetching all branches and tags instead"
      fetch origin '+refs/heads/*:refs/remotes/origin/*' '+refs/tags/*:refs/tags/*'
    fi
  fi
  if ! git cat-file -e "$LAUNCHPAD_COMMIT^{commit}" 2>/dev/null; then
    echo "Commit $LAUNCHPAD_COMMIT is not in $LAUNCHPAD_CLONE_URL${'$'}{LAUNCHPAD_REF:+ at $LAUNCHPAD_REF}" >&2
    exit 3
  fi
  commit=$LAUNCHPAD_COMMIT
else
  echo "Fetching $LAUNCHPAD_REF from $LAUNCHPAD_CLONE_URL"
  if ! fetch --depth=1 origin "$LAUNCHPAD_REF"; then
    echo "The server refused a shallow fetch; fetching the full history instead"
    fetch origin "$LAUNCHPAD_REF"
  fi
  commit=$(git rev-parse --verify 'FETCH_HEAD^{commit}')
fi
git -c advice.detachedHead=false checkout --quiet --detach "$commit"
echo "Checked out $commit"
printf 'commit=%s\n' "$commit" > "$termination"`;

function podSpec(
  workspace: WorkspaceRef,
  settings: KubernetesExecutorSettings,
  container: V1Container,
): V1PodSpec {
  return {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: Math.ceil(settings.killGracePeriodMs / 1000),
    // Steps get no credentials for the cluster they run in.
    automountServiceAccountToken: false,
    // Nor the namespace's services as variables: the environment is the step's.
    enableServiceLinks: false,
    ...(settings.serviceAccountName
      ? { serviceAccountName: settings.serviceAccountName }
      : {}),
    volumes: [
      {
        name: 'workspace',
        persistentVolumeClaim: { claimName: workspace.id },
      },
      { name: 'launchpad-step', emptyDir: {} },
    ],
    containers: [
      {
        ...container,
        volumeMounts: [
          { name: 'workspace', mountPath: settings.workspacePath },
          { name: 'launchpad-step', mountPath: STEP_DIR },
        ],
        terminationMessagePath: TERMINATION_FILE,
        terminationMessagePolicy: 'File',
        ...(settings.resources.requests || settings.resources.limits
          ? { resources: settings.resources }
          : {}),
      },
    ],
  };
}

function job(
  name: string,
  workspace: WorkspaceRef,
  role: string,
  settings: KubernetesExecutorSettings,
  timeoutMs: number,
  container: V1Container,
  annotations: Record<string, string> = {},
): V1Job {
  const meta = metadata(name, workspace, role, annotations);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta,
    spec: {
      // A failed step is the step's result: the engine decides on retries.
      backoffLimit: 0,
      // A backstop for when this backend is gone: the executor stops the
      // Job itself at the timeout.
      activeDeadlineSeconds:
        Math.ceil(timeoutMs / 1000) +
        Math.ceil(settings.killGracePeriodMs / 1000) +
        60,
      ttlSecondsAfterFinished: settings.jobTtlSeconds,
      template: {
        metadata: { labels: meta.labels, annotations: meta.annotations },
        spec: podSpec(workspace, settings, container),
      },
    },
  };
}

export function cloneJobManifest(options: {
  workspace: WorkspaceRef;
  settings: KubernetesExecutorSettings;
  /** Without one, the Job only lays the workspace's folders out. */
  repository?: { cloneUrl: string; commit?: string; ref?: string };
  withCredentials: boolean;
}): V1Job {
  const { workspace, settings, repository } = options;
  const names = workspaceNames(workspace.id);
  const cloneJob = (container: Omit<V1Container, 'name' | 'image'>) =>
    job(
      names.cloneJob,
      workspace,
      'clone',
      settings,
      settings.checkoutTimeoutMs,
      {
        name: CLONE_CONTAINER,
        image: settings.cloneImage,
        ...container,
      },
    );
  if (!repository) {
    return cloneJob({
      command: [
        '/bin/sh',
        '-c',
        'mkdir -p "$1/src" "$1/home" "$1/tmp"',
        'launchpad-prepare',
        settings.workspacePath,
      ],
    });
  }
  const env: V1EnvVar[] = [
    { name: 'LAUNCHPAD_CLONE_URL', value: repository.cloneUrl },
    { name: 'LAUNCHPAD_COMMIT', value: repository.commit ?? '' },
    { name: 'LAUNCHPAD_REF', value: repository.ref ?? '' },
    { name: 'HOME', value: `${settings.workspacePath}/home` },
    { name: 'GIT_TERMINAL_PROMPT', value: '0' },
    // Without a terminal, ssh must not wait for a host key answer.
    { name: 'GIT_SSH_COMMAND', value: 'ssh -o BatchMode=yes' },
  ];
  if (options.withCredentials) {
    for (const [variable, key] of [
      ['LAUNCHPAD_GIT_USERNAME', 'username'],
      ['LAUNCHPAD_GIT_PASSWORD', 'password'],
    ]) {
      env.push({
        name: variable,
        valueFrom: { secretKeyRef: { name: names.credentials, key } },
      });
    }
  }
  return cloneJob({
    command: [
      '/bin/sh',
      '-c',
      CLONE_SCRIPT,
      'launchpad-clone',
      TERMINATION_FILE,
      settings.workspacePath,
    ],
    env,
  });
}

export function stepJobManifest(options: {
  name: string;
  workspace: WorkspaceRef;
  stepId: string;
  attempt: number;
  settings: KubernetesExecutorSettings;
  image: string;
  command: string | string[];
  env: Record<string, string>;
  workingDirectory: string;
  timeoutMs: number;
}): V1Job {
  const argv =
    typeof options.command === 'string'
      ? ['/bin/sh', '-e', '-c', options.command]
      : options.command;
  return job(
    options.name,
    options.workspace,
    'step',
    options.settings,
    options.timeoutMs,
    {
      name: CONTAINER,
      image: options.image,
      command: [
        '/bin/sh',
        '-c',
        STEP_WRAPPER,
        'launchpad-step',
        TERMINATION_FILE,
        options.workingDirectory,
        ...argv,
      ],
      env: Object.entries(options.env).map(([name, value]) => ({
        name,
        value,
      })),
    },
    {
      [STEP_ID_ANNOTATION]: options.stepId,
      'launchpad.dev/attempt': String(options.attempt),
    },
  );
}
