import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Environment,
  EnvironmentsApi,
  EnvironmentVariable,
} from '@internal/plugin-environments-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { MASK, VariablesDialog } from './VariablesDialog';

const dev: Environment = {
  name: 'dev',
  title: 'Development',
  tier: 'development',
  promotionOrder: 10,
  owner: 'group:default/team-payments',
  target: { type: 'external' },
  protected: false,
  createdAt: '2026-11-25T10:00:00.000Z',
  createdBy: 'user:default/ada',
  updatedAt: '2026-11-25T10:00:00.000Z',
  updatedBy: 'user:default/ada',
};

const variables: EnvironmentVariable[] = [
  {
    name: 'DB_PASSWORD',
    secret: true,
    updatedAt: '2026-11-25T10:00:00.000Z',
    updatedBy: 'user:default/priya',
  },
  {
    name: 'LOG_LEVEL',
    value: 'debug',
    secret: false,
    updatedAt: '2026-11-25T10:00:00.000Z',
    updatedBy: 'user:default/otto',
  },
];

function fakeApi(overrides: Partial<EnvironmentsApi> = {}) {
  let stored = [...variables];
  const api = {
    listVariables: jest.fn(async () => stored),
    setVariable: jest.fn(async (_env, name, input) => {
      const variable = {
        name,
        secret: input.secret ?? false,
        ...(input.secret ? {} : { value: input.value }),
        updatedAt: '2026-11-26T10:00:00.000Z',
        updatedBy: 'user:default/priya',
      };
      stored = [...stored.filter(v => v.name !== name), variable];
      return variable;
    }),
    deleteVariable: jest.fn(async (_env, name) => {
      stored = stored.filter(v => v.name !== name);
    }),
    ...overrides,
  };
  return api as typeof api & EnvironmentsApi;
}

// usePermission caches decisions per permission and resource across
// renders, so each test asks about an environment of its own.
let tests = 0;

async function renderWith(
  api: Partial<EnvironmentsApi>,
  allowed: (permission: string) => boolean = () => true,
) {
  tests += 1;
  const environment = { ...dev, name: `dev-${tests}` };
  const onClose = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allowed(request.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
      ]}
    >
      <VariablesDialog environment={environment} onClose={onClose} />
    </TestApiProvider>,
  );
  return { onClose, name: environment.name };
}

describe('VariablesDialog', () => {
  it('shows plain values and masks secrets', async () => {
    await renderWith(fakeApi());
    expect(await screen.findByText('LOG_LEVEL')).toBeInTheDocument();
    expect(screen.getByText('Variables of Development')).toBeInTheDocument();
    expect(screen.getByText('debug')).toBeInTheDocument();
    expect(screen.getByText('DB_PASSWORD')).toBeInTheDocument();
    expect(screen.getByText(MASK)).toBeInTheDocument();
    expect(screen.getByText('user:default/priya')).toBeInTheDocument();
  });

  it('adds a plain variable and shows it', async () => {
    const api = fakeApi();
    await renderWith(api);
    fireEvent.click(await screen.findByText('Add variable'));
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'FEATURE_FLAGS' },
    });
    fireEvent.change(screen.getByLabelText('Value'), {
      target: { value: 'cart-v2' },
    });
    fireEvent.click(screen.getByText('Save'));
    expect(await screen.findByText('cart-v2')).toBeInTheDocument();
    expect(api.setVariable).toHaveBeenCalledWith(
      expect.stringMatching(/^dev-/),
      'FEATURE_FLAGS',
      {
        value: 'cart-v2',
        secret: false,
      },
    );
  });

  it('replaces a secret without ever showing it', async () => {
    const api = fakeApi();
    await renderWith(api);
    fireEvent.click(await screen.findByLabelText('Edit DB_PASSWORD'));
    const value = screen.getByLabelText('Secret value') as HTMLInputElement;
    expect(value.value).toBe('');
    expect(value.type).toBe('password');
    expect(
      screen.getByText('The current value cannot be shown; enter the new one.'),
    ).toBeInTheDocument();
    fireEvent.change(value, { target: { value: 'n3w' } });
    fireEvent.click(screen.getByText('Save'));
    await waitFor(() =>
      expect(api.setVariable).toHaveBeenCalledWith(
        expect.stringMatching(/^dev-/),
        'DB_PASSWORD',
        {
          value: 'n3w',
          secret: true,
        },
      ),
    );
    expect(screen.queryByText('n3w')).not.toBeInTheDocument();
  });

  it('deletes only once confirmed', async () => {
    const api = fakeApi();
    await renderWith(api);
    fireEvent.click(await screen.findByLabelText('Delete LOG_LEVEL'));
    expect(
      screen.getByText(
        'Delete LOG_LEVEL? Deployments from now on will not get it.',
      ),
    ).toBeInTheDocument();
    expect(api.deleteVariable).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('Delete'));
    await waitFor(() =>
      expect(screen.queryByText('LOG_LEVEL')).not.toBeInTheDocument(),
    );
    expect(api.deleteVariable).toHaveBeenCalledWith(
      expect.stringMatching(/^dev-/),
      'LOG_LEVEL',
    );
  });

  it('offers secrets only to those who manage them', async () => {
    await renderWith(
      fakeApi(),
      permission => permission !== 'environments.environment.secrets.manage',
    );
    expect(await screen.findByLabelText('Edit LOG_LEVEL')).toBeInTheDocument();
    expect(screen.queryByLabelText('Edit DB_PASSWORD')).not.toBeInTheDocument();
    expect(
      screen.queryByLabelText('Delete DB_PASSWORD'),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByText('Add variable'));
    expect(
      screen.getByRole('checkbox', {
        name: 'Secret (you may not manage secrets here)',
      }),
    ).toBeDisabled();
  });

  it('offers no changes to those who may not make them', async () => {
    await renderWith(fakeApi(), () => false);
    expect(await screen.findByText('LOG_LEVEL')).toBeInTheDocument();
    expect(screen.queryByText('Add variable')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Edit LOG_LEVEL')).not.toBeInTheDocument();
  });

  it('names the problem with a bad name and sends nothing', async () => {
    const api = fakeApi();
    await renderWith(api);
    fireEvent.click(await screen.findByText('Add variable'));
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: '1-BAD' },
    });
    fireEvent.click(screen.getByText('Save'));
    expect(
      screen.getByText(
        'Name: letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL)',
      ),
    ).toBeInTheDocument();
    expect(api.setVariable).not.toHaveBeenCalled();
  });

  it('shows what the backend answered when a change fails', async () => {
    const api = fakeApi({
      setVariable: jest.fn(async () => {
        throw new Error(
          'Secrets cannot be stored or read: no encryption key is configured',
        );
      }),
    });
    await renderWith(api);
    fireEvent.click(await screen.findByText('Add variable'));
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'TOKEN' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Secret' }));
    fireEvent.change(screen.getByLabelText('Secret value'), {
      target: { value: 'x' },
    });
    fireEvent.click(screen.getByText('Save'));
    expect(
      await screen.findByText(
        'Secrets cannot be stored or read: no encryption key is configured',
      ),
    ).toBeInTheDocument();
  });
});
