import { jsonEqual } from './jsonEqual';
import { FakeResourceType } from './resources';
import { KubeObject } from './types';

/** A timestamp as Kubernetes writes them: RFC 3339, whole seconds. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Cause = { field: string; message: string };

const NAME_RULES = {
  label: {
    pattern: DNS1123_LABEL,
    max: 63,
    text: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  },
  dns1035: {
    pattern: DNS1035_LABEL,
    max: 63,
    text: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  },
  subdomain: {
    pattern: DNS1123_SUBDOMAIN,
    max: 253,
    text: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  },
};

/** Which rule names of a kind follow. */
const NAME_RULE_OF_KIND: Record<string, keyof typeof NAME_RULES> = {
  Namespace: 'label',
  Service: 'dns1035',
};

function checkName(
  value: string,
  field: string,
  rule: keyof typeof NAME_RULES,
  causes: Cause[],
) {
  const { pattern, max, text } = NAME_RULES[rule];
  if (!value) {
    causes.push({ field, message: 'Required value: name is required' });
  } else if (value.length > max) {
    causes.push({
      field,
      message: `Invalid value: "${value}": must be no more than ${max} characters`,
    });
  } else if (!pattern.test(value)) {
    causes.push({ field, message: `Invalid value: "${value}": ${text}` });
  }
}

function checkLabels(
  labels: Record<string, string> | undefined,
  field: string,
  causes: Cause[],
) {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (
      typeof value !== 'string' ||
      value.length > 63 ||
      !LABEL_VALUE.test(value)
    ) {
      causes.push({
        field: `${field}`,
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (label ${key})`,
      });
    }
  }
}

function checkPodSpec(spec: any, field: string, causes: Cause[]) {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({
      field: `${field}.containers`,
      message: 'Required value',
    });
    return;
  }
  containers.forEach((c: any, i: number) => {
    const at = `${field}.containers[${i}]`;
    checkName(c?.name ?? '', `${at}.name`, 'label', causes);
    if (!c?.image) {
      causes.push({ field: `${at}.image`, message: 'Required value' });
    }
    (c?.env ?? []).forEach((e: any, j: number) => {
      if (!ENV_NAME.test(e?.name ?? '')) {
        causes.push({
          field: `${at}.env[${j}].name`,
          message: `Invalid value: "${e?.name}": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`,
        });
      }
    });
  });
}

function selectorMatchesTemplate(spec: any): boolean {
  const matchLabels: Record<string, string> = spec?.selector?.matchLabels ?? {};
  const labels: Record<string, string> = spec?.template?.metadata?.labels ?? {};
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

/**
 * Checks an object as the API server's validation would for the fields the
 * fake server's users set; returns the causes of an `Invalid` error.
 */
export function validate(
  resource: FakeResourceType,
  object: KubeObject,
  previous: KubeObject | undefined,
): Cause[] {
  const causes: Cause[] = [];
  checkName(
    object.metadata.name,
    'metadata.name',
    NAME_RULE_OF_KIND[resource.kind] ?? 'subdomain',
    causes,
  );
  checkLabels(object.metadata.labels, 'metadata.labels', causes);
  const spec = object.spec;
  switch (resource.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'Job':
      if (resource.kind !== 'Job' && !spec?.selector) {
        causes.push({ field: 'spec.selector', message: 'Required value' });
      } else if (!selectorMatchesTemplate(spec)) {
        causes.push({
          field: 'spec.template.metadata.labels',
          message: `Invalid value: ${JSON.stringify(
            spec?.template?.metadata?.labels ?? {},
          )}: \`selector\` does not match template \`labels\``,
        });
      }
      if (previous && !jsonEqual(previous.spec?.selector, spec?.selector)) {
        causes.push({
          field: 'spec.selector',
          message: `Invalid value: ${JSON.stringify(
            spec?.selector,
          )}: field is immutable`,
        });
      }
      checkLabels(
        spec?.template?.metadata?.labels,
        'spec.template.metadata.labels',
        causes,
      );
      checkPodSpec(spec?.template?.spec, 'spec.template.spec', causes);
      if (
        resource.kind === 'Job' &&
        !['Never', 'OnFailure'].includes(spec?.template?.spec?.restartPolicy)
      ) {
        causes.push({
          field: 'spec.template.spec.restartPolicy',
          message: `Unsupported value: "${spec?.template?.spec?.restartPolicy}": supported values: "OnFailure", "Never"`,
        });
      }
      break;
    case 'Pod':
      checkPodSpec(spec, 'spec', causes);
      break;
    case 'PersistentVolumeClaim':
      if (!Array.isArray(spec?.accessModes) || spec.accessModes.length === 0) {
        causes.push({
          field: 'spec.accessModes',
          message: 'Required value: at least 1 access mode is required',
        });
      }
      if (!spec?.resources?.requests?.storage) {
        causes.push({
          field: 'spec.resources[storage]',
          message: 'Required value',
        });
      }
      if (previous && !jsonEqual(previous.spec, spec)) {
        causes.push({
          field: 'spec',
          message:
            'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
        });
      }
      break;
    case 'Service':
      (spec?.ports ?? []).forEach((p: any, i: number) => {
        if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) {
          causes.push({
            field: `spec.ports[${i}].port`,
            message: `Invalid value: ${p?.port}: must be between 1 and 65535, inclusive`,
          });
        }
      });
      break;
    case 'Secret':
      for (const [key, value] of Object.entries(
        (object.data as Record<string, unknown>) ?? {},
      )) {
        if (typeof value !== 'string' || !BASE64.test(value)) {
          causes.push({
            field: `data[${key}]`,
            message: 'Invalid value: must be base64 encoded',
          });
        }
      }
      break;
    default:
  }
  return causes;
}

let nextClusterIp = 10;

/**
 * Fills in what the API server defaults, so that clients read back what a
 * real server would give them.
 */
export function applyDefaults(resource: FakeResourceType, object: KubeObject) {
  const spec = object.spec;
  switch (resource.kind) {
    case 'Namespace':
      object.spec = { finalizers: ['kubernetes'], ...spec };
      object.status = { phase: 'Active' };
      break;
    case 'Deployment':
      object.spec = {
        replicas: 1,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
        },
        ...spec,
      };
      defaultPodSpec(object.spec.template?.spec, 'Always');
      break;
    case 'ReplicaSet':
      object.spec = { replicas: 1, ...spec };
      defaultPodSpec(object.spec.template?.spec, 'Always');
      break;
    case 'Job': {
      const uid = object.metadata.uid!;
      const selfLabels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': object.metadata.name,
        'controller-uid': uid,
        'job-name': object.metadata.name,
      };
      object.spec = {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
        },
        ...spec,
      };
      const template = (object.spec.template ??= {});
      template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, ...selfLabels },
      };
      defaultPodSpec(template.spec, undefined);
      break;
    }
    case 'Pod':
      defaultPodSpec(spec, 'Always');
      object.status ??= { phase: 'Pending' };
      break;
    case 'PersistentVolumeClaim':
      object.spec = { volumeMode: 'Filesystem', ...spec };
      // Bound when a pod first uses it, as with WaitForFirstConsumer.
      object.status ??= { phase: 'Pending' };
      break;
    case 'Service': {
      const ip = `10.96.${Math.floor(nextClusterIp / 250)}.${
        (nextClusterIp % 250) + 1
      }`;
      if (!spec?.clusterIP) nextClusterIp++;
      object.spec = {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        clusterIP: ip,
        ...spec,
      };
      object.spec.clusterIPs ??= [object.spec.clusterIP];
      object.spec.ports = (object.spec.ports ?? []).map((p: any) => ({
        protocol: 'TCP',
        targetPort: p.port,
        ...p,
      }));
      object.status ??= { loadBalancer: {} };
      break;
    }
    case 'Secret': {
      // The API server folds write-only stringData into data.
      const stringData = object.stringData as
        | Record<string, string>
        | undefined;
      object.type ??= 'Opaque';
      if (stringData) {
        object.data = {
          ...(object.data as Record<string, string> | undefined),
          ...Object.fromEntries(
            Object.entries(stringData).map(([k, v]) => [
              k,
              Buffer.from(String(v)).toString('base64'),
            ]),
          ),
        };
        delete object.stringData;
      }
      break;
    }
    default:
  }
}

function defaultPodSpec(spec: any, restartPolicy: string | undefined) {
  if (!spec) return;
  if (restartPolicy) spec.restartPolicy ??= restartPolicy;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  for (const c of spec.containers ?? []) {
    const tagged =
      /:[^/@]+$/.test(c.image ?? '') || (c.image ?? '').includes('@');
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??=
      tagged && !String(c.image).endsWith(':latest')
        ? 'IfNotPresent'
        : 'Always';
  }
}
