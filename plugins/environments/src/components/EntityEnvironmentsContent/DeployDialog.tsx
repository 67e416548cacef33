import { useState } from 'react';
import { DialogContentText, MenuItem, TextField } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ActionDialog } from '@internal/platform-react';
import {
  Artifact,
  Deployment,
  DeploymentRequest,
  Environment,
} from '@internal/plugin-environments-common';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

type Form = { environment: string; version: string } & Artifact;

/** The free-text fields of the form, in the order shown. */
const TEXT_FIELDS: {
  field: 'version' | 'image' | 'digest';
  label: string;
  placeholder: string;
}[] = [
  { field: 'version', label: 'Version', placeholder: '1.4.0' },
  {
    field: 'image',
    label: 'Image',
    placeholder: 'registry.example.com/payments-api:1.4.0',
  },
  { field: 'digest', label: 'Digest', placeholder: 'sha256:…' },
];

/** The first problem with the form, named by its field, or undefined. */
export function formProblem(form: Form): string | undefined {
  if (!form.environment) return 'Choose an environment';
  if (!VERSION.test(form.version)) {
    return 'Version: letters, digits and . _ + -, starting with a letter or digit (e.g. 1.4.0)';
  }
  if (!form.image.trim())
    return 'Image: a reference such as registry/app:1.4.0';
  if (!DIGEST.test(form.digest)) return 'Digest: sha256: and 64 hex digits';
  return undefined;
}

/**
 * Deploys a built image of the component into an environment. Protected
 * environments are left out: versions reach them by promotion.
 */
export const DeployDialog = ({
  open,
  component,
  environments,
  latest,
  onDeploy,
  onClose,
}: {
  open: boolean;
  component: string;
  environments: Environment[];
  /** The newest deployment of the component, to start the form from. */
  latest?: Deployment;
  onDeploy: (request: DeploymentRequest) => Promise<void>;
  onClose: () => void;
}) => {
  const targets = environments.filter(e => !e.protected);
  const [form, setForm] = useState<Form>({
    environment: targets[0]?.name ?? '',
    version: latest?.version ?? '',
    image: latest?.artifact.image ?? '',
    digest: latest?.artifact.digest ?? '',
  });
  const [touched, setTouched] = useState(false);
  const problem = formProblem(form);
  const set = (field: keyof Form) => (e: { target: { value: unknown } }) =>
    setForm({ ...form, [field]: String(e.target.value) });

  const submit = async () => {
    setTouched(true);
    if (problem) return;
    await onDeploy({
      component,
      environment: form.environment,
      version: form.version,
      artifact: { image: form.image.trim(), digest: form.digest },
    });
    onClose();
  };

  return (
    <ActionDialog
      open={open}
      title="Deploy a version"
      confirmLabel="Deploy"
      onConfirm={submit}
      onClose={onClose}
    >
      <DialogContentText>
        Deploys a built image into an environment. Protected environments are
        reached by promotion.
      </DialogContentText>
      <TextField
        select
        fullWidth
        margin="dense"
        id="deploy-environment"
        label="Environment"
        value={form.environment}
        onChange={set('environment')}
      >
        {targets.map(e => (
          <MenuItem key={e.name} value={e.name}>
            {e.title ?? e.name}
          </MenuItem>
        ))}
      </TextField>
      {TEXT_FIELDS.map(({ field, label, placeholder }) => (
        <TextField
          key={field}
          fullWidth
          margin="dense"
          id={`deploy-${field}`}
          label={label}
          value={form[field]}
          onChange={set(field)}
          placeholder={placeholder}
        />
      ))}
      {touched && problem && (
        <Alert severity="warning" style={{ marginTop: 16 }}>
          {problem}
        </Alert>
      )}
    </ActionDialog>
  );
};
