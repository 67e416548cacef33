import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Delivery } from '@internal/plugin-pipelines-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  aRun,
  component,
  entity,
  fakeSignals,
  renderWithApis,
} from '../__testUtils__/fixtures';
import { EntityPipelinesContent } from './EntityPipelinesContent';

const failedPush = aRun({
  id: 'run-2',
  number: 2,
  status: 'failed',
  reason: "step 'test' exited with code 1",
});
const manual = aRun({
  id: 'run-1',
  number: 1,
  branch: 'feature/login',
  ref: 'refs/heads/feature/login',
  commit: undefined,
  trigger: {
    type: 'manual',
    branch: 'feature/login',
    requestedBy: 'user:default/priya',
  },
});

const delivery = { id: 7, author: 'octocat' } as Delivery;

function renderTab(
  overrides: Parameters<typeof renderWithApis>[1],
  options: Parameters<typeof renderWithApis>[2] = {},
) {
  return renderWithApis(
    <EntityProvider entity={entity}>
      <EntityPipelinesContent />
    </EntityProvider>,
    {
      listDeliveries: async () => ({ items: [delivery] }),
      ...overrides,
    },
    options,
  );
}

describe('EntityPipelinesContent', () => {
  it("lists the component's runs with status, ref, commit, author and trigger", async () => {
    const listRuns = jest.fn(async () => ({ items: [failedPush, manual] }));
    await renderTab({ listRuns });
    const link = await screen.findByRole('link', { name: '#2' });
    expect(link).toHaveAttribute('href', '/pipelines/runs/run-2');
    expect(listRuns).toHaveBeenCalledWith(
      expect.objectContaining({ component, offset: 0, limit: 21 }),
    );
    const rows = screen.getAllByRole('row');
    const pushRow = rows.find(r => within(r).queryByText('#2'))!;
    expect(
      within(pushRow).getByText('Failed', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(within(pushRow).getByText('main')).toBeInTheDocument();
    expect(within(pushRow).getByText('a1b2c3d')).toBeInTheDocument();
    expect(within(pushRow).getByText('push')).toBeInTheDocument();
    expect(within(pushRow).getByText('2m 00s')).toBeInTheDocument();
    expect(await within(pushRow).findByText('octocat')).toBeInTheDocument();
    const manualRow = rows.find(r => within(r).queryByText('#1'))!;
    expect(within(manualRow).getByText('feature/login')).toBeInTheDocument();
    expect(within(manualRow).getByText('manual')).toBeInTheDocument();
    expect(
      within(manualRow).getByRole('link', { name: /priya/ }),
    ).toBeInTheDocument();
  });

  it('filters by branch and status', async () => {
    const listRuns = jest.fn(async () => ({ items: [failedPush] }));
    await renderTab({ listRuns });
    await screen.findByText('#2');
    fireEvent.change(screen.getByLabelText('Branch'), {
      target: { value: 'main' },
    });
    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith(
        expect.objectContaining({ branch: 'main' }),
      ),
    );
    fireEvent.mouseDown(screen.getByLabelText('Status'));
    fireEvent.click(await screen.findByRole('option', { name: 'Failed' }));
    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith(
        expect.objectContaining({ branch: 'main', status: 'failed' }),
      ),
    );
  });

  it('says how runs start when there are none', async () => {
    await renderTab({ listRuns: async () => ({ items: [] }) });
    expect(await screen.findByText('No pipeline runs yet')).toBeInTheDocument();
    expect(screen.getByText('.platform/pipeline.yaml')).toBeInTheDocument();
    expect(screen.getByText(/webhook configured/)).toBeInTheDocument();
  });

  it('starts a run of the branch asked for', async () => {
    const triggerRun = jest.fn(async () =>
      aRun({ id: 'run-3', number: 3, status: 'queued' }),
    );
    await renderTab({
      listRuns: async () => ({ items: [failedPush] }),
      triggerRun,
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Run pipeline' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/^Branch/), {
      target: { value: 'release/1.2' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(triggerRun).toHaveBeenCalledWith({
        component,
        branch: 'release/1.2',
      }),
    );
  });

  it('starts a run of the default branch when no branch is given', async () => {
    const triggerRun = jest.fn(async () =>
      aRun({ id: 'run-4', number: 4, status: 'queued' }),
    );
    await renderTab({
      listRuns: async () => ({ items: [failedPush] }),
      triggerRun,
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Run pipeline' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(triggerRun).toHaveBeenCalledWith({ component }));
  });

  it('offers Run pipeline only to those allowed to trigger', async () => {
    await renderTab(
      { listRuns: async () => ({ items: [failedPush] }) },
      { allowed: false },
    );
    await screen.findByText('#2');
    // The decision is asked for and denied: give it time to arrive.
    await act(() => new Promise(r => setTimeout(r, 200)));
    expect(
      screen.queryByRole('button', { name: 'Run pipeline' }),
    ).not.toBeInTheDocument();
  });

  it('reads the runs again when a run of the component changes', async () => {
    const signals = fakeSignals();
    const listRuns = jest.fn(async () => ({ items: [failedPush] }));
    await renderTab({ listRuns }, { signals: signals.api });
    await screen.findByText('#2');
    const calls = listRuns.mock.calls.length;
    act(() =>
      signals.push({
        runId: 'run-9',
        component: 'component:default/other',
        status: 'running',
      }),
    );
    act(() => signals.push({ runId: 'run-3', component, status: 'queued' }));
    await waitFor(() => expect(listRuns).toHaveBeenCalledTimes(calls + 1));
  });
});
