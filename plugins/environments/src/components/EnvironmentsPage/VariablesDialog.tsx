import { useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  IconButton,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '@internal/platform-react';
import EditIcon from '@material-ui/icons/Edit';
import DeleteIcon from '@material-ui/icons/Delete';
import LockIcon from '@material-ui/icons/Lock';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Environment,
  environmentSecretsManagePermission,
  environmentUpdatePermission,
  EnvironmentVariable,
  VARIABLE_NAME_MAX_LENGTH,
  VARIABLE_NAME_PATTERN,
  VARIABLE_VALUE_MAX_LENGTH,
} from '@internal/plugin-environments-common';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';

/** What a secret's value shows as: it is never sent to the browser. */
export const MASK = '••••••••';

type Draft = { name: string; value: string; secret: boolean; isNew: boolean };

/** The first problem with a draft, or undefined. */
export function draftProblem(draft: Draft): string | undefined {
  if (!VARIABLE_NAME_PATTERN.test(draft.name)) {
    return 'Name: letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL)';
  }
  if (draft.name.length > VARIABLE_NAME_MAX_LENGTH) {
    return `Name: at most ${VARIABLE_NAME_MAX_LENGTH} characters`;
  }
  if (draft.value.length > VARIABLE_VALUE_MAX_LENGTH) {
    return `Value: at most ${VARIABLE_VALUE_MAX_LENGTH} characters`;
  }
  return undefined;
}

/**
 * The variables of an environment: plain values shown, secrets masked (the
 * API never returns them). Adding, changing and deleting is offered to those
 * allowed: plain variables with the environment's update permission, secrets
 * with its secrets permission.
 */
export const VariablesDialog = ({
  environment,
  onClose,
}: {
  environment: Environment;
  onClose: () => void;
}) => {
  const api = useApi(environmentsApiRef);
  const resourceRef = environment.name;
  const { allowed: mayEdit } = usePermission({
    permission: environmentUpdatePermission,
    resourceRef,
  });
  const { allowed: mayManageSecrets } = usePermission({
    permission: environmentSecretsManagePermission,
    resourceRef,
  });
  const [reloads, setReloads] = useState(0);
  const { value, loading, error } = useAsync(
    () => api.listVariables(environment.name),
    [api, environment.name, reloads],
  );
  const [draft, setDraft] = useState<Draft>();
  const [deleting, setDeleting] = useState<EnvironmentVariable>();
  const [touched, setTouched] = useState(false);
  const [running, setRunning] = useState(false);
  const [actionError, setActionError] = useState<Error>();

  const mayChange = (secret: boolean) => (secret ? mayManageSecrets : mayEdit);
  const problem = draft ? draftProblem(draft) : undefined;

  const run = async (action: () => Promise<unknown>) => {
    setRunning(true);
    setActionError(undefined);
    try {
      await action();
      setDraft(undefined);
      setDeleting(undefined);
      setTouched(false);
      setReloads(n => n + 1);
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  const save = () => {
    setTouched(true);
    if (!draft || problem) return;
    run(() =>
      api.setVariable(environment.name, draft.name, {
        value: draft.value,
        secret: draft.secret,
      }),
    );
  };

  const startEdit = (variable: EnvironmentVariable) => {
    setDeleting(undefined);
    setTouched(false);
    setDraft({
      name: variable.name,
      // A secret cannot be read back: it is replaced, never shown.
      value: variable.secret ? '' : variable.value ?? '',
      secret: variable.secret,
      isNew: false,
    });
  };

  return (
    <Dialog
      open
      onClose={running ? undefined : onClose}
      aria-labelledby="variables-dialog-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="variables-dialog-title">
        Variables of {environment.title ?? environment.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Handed to every workload deployed here. Secrets are stored encrypted
          and never shown again once set.
        </DialogContentText>
        {error && <Alert severity="error">{errorMessage(error)}</Alert>}
        {loading && <LinearProgress />}
        {value && value.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No variables yet.
          </Typography>
        )}
        {value && value.length > 0 && (
          <Table size="small" aria-label="Variables">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Value</TableCell>
                <TableCell>Updated</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.map(variable => (
                <TableRow key={variable.name}>
                  <TableCell>
                    <code>{variable.name}</code>
                  </TableCell>
                  <TableCell>
                    {variable.secret ? (
                      <Tooltip title="Secret: stored encrypted, never shown">
                        <Box display="flex" alignItems="center">
                          <LockIcon fontSize="small" />
                          <Box component="span" ml={0.5}>
                            {MASK}
                          </Box>
                        </Box>
                      </Tooltip>
                    ) : (
                      <code>{variable.value}</code>
                    )}
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2">
                      {DateTime.fromISO(variable.updatedAt).toRelative()}
                    </Typography>
                    <Typography variant="caption" color="textSecondary">
                      {variable.updatedBy}
                    </Typography>
                  </TableCell>
                  <TableCell align="right">
                    {mayChange(variable.secret) && (
                      <>
                        <IconButton
                          size="small"
                          aria-label={`Edit ${variable.name}`}
                          onClick={() => startEdit(variable)}
                          disabled={running}
                        >
                          <EditIcon fontSize="small" />
                        </IconButton>
                        <IconButton
                          size="small"
                          aria-label={`Delete ${variable.name}`}
                          onClick={() => {
                            setDraft(undefined);
                            setDeleting(variable);
                          }}
                          disabled={running}
                        >
                          <DeleteIcon fontSize="small" />
                        </IconButton>
                      </>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}

        {deleting && (
          <Alert
            severity="warning"
            style={{ marginTop: 16 }}
            action={
              <>
                <Button onClick={() => setDeleting(undefined)}>Keep</Button>
                <Button
                  color="secondary"
                  onClick={() =>
                    run(() =>
                      api.deleteVariable(environment.name, deleting.name),
                    )
                  }
                  disabled={running}
                >
                  Delete
                </Button>
              </>
            }
          >
            Delete {deleting.name}? Deployments from now on will not get it.
          </Alert>
        )}

        {draft && (
          <Box mt={2}>
            <Typography variant="subtitle2">
              {draft.isNew ? 'New variable' : `Change ${draft.name}`}
            </Typography>
            <TextField
              fullWidth
              margin="dense"
              id="variable-name"
              label="Name"
              value={draft.name}
              disabled={!draft.isNew}
              onChange={e => setDraft({ ...draft, name: e.target.value })}
              placeholder="DATABASE_URL"
            />
            <TextField
              fullWidth
              margin="dense"
              id="variable-value"
              label={draft.secret ? 'Secret value' : 'Value'}
              type={draft.secret ? 'password' : 'text'}
              autoComplete="off"
              value={draft.value}
              onChange={e => setDraft({ ...draft, value: e.target.value })}
              helperText={
                draft.secret && !draft.isNew
                  ? 'The current value cannot be shown; enter the new one.'
                  : undefined
              }
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={draft.secret}
                  onChange={e =>
                    setDraft({ ...draft, secret: e.target.checked })
                  }
                  disabled={!mayManageSecrets || !mayEdit}
                />
              }
              label={
                mayManageSecrets
                  ? 'Secret'
                  : 'Secret (you may not manage secrets here)'
              }
            />
            {touched && problem && <Alert severity="warning">{problem}</Alert>}
            <Box display="flex" justifyContent="flex-end">
              <Button onClick={() => setDraft(undefined)} disabled={running}>
                Cancel
              </Button>
              <Button
                color="primary"
                variant="contained"
                onClick={save}
                disabled={running || !mayChange(draft.secret)}
              >
                Save
              </Button>
            </Box>
          </Box>
        )}
        {actionError && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {actionError.message}
          </Alert>
        )}
      </DialogContent>
      {running && <LinearProgress />}
      <DialogActions>
        {!draft && (mayEdit || mayManageSecrets) && (
          <Button
            color="primary"
            onClick={() => {
              setDeleting(undefined);
              setTouched(false);
              setDraft({
                name: '',
                value: '',
                secret: !mayEdit,
                isNew: true,
              });
            }}
            disabled={running}
          >
            Add variable
          </Button>
        )}
        <Button onClick={onClose} disabled={running}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
