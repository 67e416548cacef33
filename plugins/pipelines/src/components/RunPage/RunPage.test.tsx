import {
  PipelineLogPage,
  PipelineRunView,
  PipelineStepRunView,
} from '@internal/plugin-pipelines-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { aRun, renderWithApis } from '../__testUtils__/fixtures';
import { PipelinesPage } from '../PipelinesPage';

const at = (seconds: number) =>
  new Date(Date.UTC(2026, 10, 25, 10, 0, seconds)).toISOString();

const step = (
  stage: string,
  name: string,
  status: PipelineStepRunView['status'],
  from?: number,
  to?: number,
  extra: Partial<PipelineStepRunView> = {},
): PipelineStepRunView => ({
  stage,
  step: name,
  status,
  tries: 1,
  outputs: {},
  reused: false,
  ...(from !== undefined ? { startedAt: at(from) } : {}),
  ...(to !== undefined ? { finishedAt: at(to) } : {}),
  ...extra,
});

// checkout, then build and lint side by side, then test (which waited for
// build, the longer one), then deploy (skipped: test failed).
const steps = [
  step('.checkout', '.checkout', 'succeeded', 0, 2),
  step('build', 'compile', 'succeeded', 2, 20),
  step('lint', 'eslint', 'succeeded', 2, 8),
  step('test', 'unit', 'failed', 20, 30, { exitCode: 1 }),
  step('deploy', 'deploy', 'skipped', undefined, 30, {
    reason: "stage 'test' did not succeed",
  }),
];

const failedRun: PipelineRunView = aRun({
  status: 'failed',
  reason: "step 'unit' exited with code 1",
  steps,
  artifacts: [
    {
      type: 'image',
      stage: 'image',
      attempt: 1,
      image: 'registry.local/payments-api:a1b2c3d',
      tags: ['a1b2c3d', 'main'],
      digest: `sha256:${'ab'.repeat(32)}`,
      createdAt: at(19),
    },
  ],
});

const runningRun: PipelineRunView = aRun({
  status: 'running',
  finishedAt: undefined,
  steps: [
    step('.checkout', '.checkout', 'succeeded', 0, 2),
    step('build', 'compile', 'running', 2),
  ],
});

function renderRun(
  run: PipelineRunView,
  overrides: Parameters<typeof renderWithApis>[1] = {},
  options: { allowed?: boolean } = {},
) {
  return renderWithApis(
    <PipelinesPage />,
    {
      getRun: async () => run,
      getDelivery: async () => ({ id: 7, author: 'octocat' } as any),
      getStepLogs: async () => ({ items: [], complete: true }),
      ...overrides,
    },
    { ...options, routeEntries: [`/runs/${run.id}`] },
  );
}

describe('RunPage', () => {
  it('lays the stages out left to right in the order they waited for each other', async () => {
    await renderRun(failedRun);
    const graph = await screen.findByTestId('stage-graph');
    const column = (stage: string) =>
      within(graph).getByTestId(`stage-${stage}`).getAttribute('data-column');
    expect(column('.checkout')).toBe('0');
    expect(column('build')).toBe('1');
    expect(column('lint')).toBe('1');
    expect(column('test')).toBe('2');
    expect(column('deploy')).toBe('3');
    // The summary: why it failed, who pushed.
    expect(screen.getAllByText("step 'unit' exited with code 1").length).toBe(
      1,
    );
    expect(await screen.findByText(/push by octocat/)).toBeInTheDocument();
    expect(
      screen.getByText('registry.local/payments-api:a1b2c3d'),
    ).toBeInTheDocument();
  });

  it("lays a run out from its definition's stages, the ones not started as pending", async () => {
    await renderRun({
      ...runningRun,
      stages: [
        {
          name: 'build',
          type: 'steps',
          needs: [],
          steps: [
            { name: 'compile', needs: [] },
            { name: 'unit', needs: ['compile'] },
          ],
        },
        {
          name: 'image',
          type: 'image',
          needs: ['build'],
          steps: [{ name: 'image', needs: [] }],
        },
        {
          name: 'docs',
          type: 'steps',
          needs: [],
          steps: [{ name: 'publish', needs: [] }],
        },
      ],
    });
    const graph = await screen.findByTestId('stage-graph');
    const column = (stage: string) =>
      within(graph).getByTestId(`stage-${stage}`).getAttribute('data-column');
    expect(column('.checkout')).toBe('0');
    expect(column('build')).toBe('1');
    expect(column('docs')).toBe('1');
    expect(column('image')).toBe('2');
    expect(
      within(graph).getByRole('button', { name: /Step compile: running/ }),
    ).toBeInTheDocument();
    expect(
      within(graph).getByRole('button', { name: /Step unit: pending/ }),
    ).toHaveAttribute('aria-disabled', 'true');
  });

  it("streams the selected step's log: lines of a second poll are appended until complete", async () => {
    const pages: PipelineLogPage[] = [
      {
        items: [
          { seq: 1, stream: 'stdout', text: 'compiling 12 files\n', at: at(3) },
          {
            seq: 2,
            stream: 'stderr',
            text: 'warning: deprecated API\n',
            at: at(4),
          },
        ],
        complete: false,
      },
      {
        items: [
          { seq: 3, stream: 'system', text: 'the step ended\n', at: at(20) },
        ],
        complete: true,
      },
    ];
    const getStepLogs = jest.fn(async () => pages.shift()!);
    await renderRun(runningRun, { getStepLogs });
    expect(await screen.findByText('compiling 12 files')).toBeInTheDocument();
    expect(getStepLogs).toHaveBeenCalledWith(
      expect.objectContaining({ runId: 'run-1', step: 'compile', after: 0 }),
    );
    expect(
      screen.getByText('warning: deprecated API').closest('[data-stream]'),
    ).toHaveAttribute('data-stream', 'stderr');
    expect(
      await screen.findByText('the step ended', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(getStepLogs).toHaveBeenLastCalledWith(
      expect.objectContaining({ step: 'compile', after: 2 }),
    );
    expect(screen.getByText('compiling 12 files')).toBeInTheDocument();
    // Complete: no more polls.
    await new Promise(r => setTimeout(r, 1500));
    expect(getStepLogs).toHaveBeenCalledTimes(2);
  });

  it('shows the log of the step clicked', async () => {
    const getStepLogs = jest.fn(async ({ step: name }: { step: string }) => ({
      items: [
        {
          seq: 1,
          stream: 'stdout' as const,
          text: `log of ${name}\n`,
          at: at(1),
        },
      ],
      complete: true,
    }));
    await renderRun(failedRun, { getStepLogs });
    // The failed step is shown first.
    expect(await screen.findByText('log of unit')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Step eslint/ }));
    expect(await screen.findByText('log of eslint')).toBeInTheDocument();
  });

  it('highlights what the search finds and steps through the matches', async () => {
    await renderRun(failedRun, {
      getStepLogs: async () => ({
        items: [
          {
            seq: 1,
            stream: 'stdout',
            text: 'FAIL src/a.test.ts\nok b\n',
            at: at(21),
          },
          {
            seq: 2,
            stream: 'stderr',
            text: 'Expected 1, received 2 (fail)\n',
            at: at(22),
          },
        ],
        complete: true,
      }),
    });
    await screen.findByText('ok b');
    fireEvent.change(screen.getByLabelText('Search the log'), {
      target: { value: 'fail' },
    });
    const marks = await waitFor(() => {
      const found = document.querySelectorAll('mark');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(marks[0]).toHaveTextContent('FAIL');
    expect(marks[1]).toHaveTextContent('fail');
    expect(marks[0]).toHaveAttribute('data-current-match', 'true');
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('2 of 2')).toBeInTheDocument();
    expect(document.querySelectorAll('mark')[1]).toHaveAttribute(
      'data-current-match',
      'true',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
  });

  it("lists a deploy stage's deployments, linking to the component's Environments tab", async () => {
    await renderRun(
      aRun({
        status: 'failed',
        steps: [
          step('.checkout', '.checkout', 'succeeded', 0, 2),
          step('deploy', 'deploy', 'failed', 2, 9, {
            outputs: { deployment_dev: 'dep-1', deployment_staging: 'dep-2' },
          }),
        ],
      }),
    );
    const dev = await screen.findByRole('link', { name: 'dev' });
    expect(dev).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/environments',
    );
    expect(screen.getByText(/deployment dep-1/)).toBeInTheDocument();
    expect(screen.getByText(/deployment dep-2/)).toBeInTheDocument();
    // Only the last environment can have failed: the stage waits for each.
    const items = screen
      .getAllByRole('listitem')
      .filter(li => /deployment dep-/.test(li.textContent ?? ''));
    expect(within(items[0]).getByTitle('Succeeded')).toBeInTheDocument();
    expect(within(items[1]).getByTitle('Failed')).toBeInTheDocument();
  });

  it('says what a running deploy step waits for, next to the step and above its log', async () => {
    const waitingFor =
      "a final status report from the external CD system for 'dev' (POST http://localhost:7007/api/environments/deployments/dep-1/status) until 2026-11-25T10:30:02.000Z (pipelines.engine.deployTimeout, 30m)";
    await renderRun(
      aRun({
        status: 'running',
        finishedAt: undefined,
        steps: [
          step('.checkout', '.checkout', 'succeeded', 0, 2),
          step('deploy', 'deploy', 'running', 2, undefined, {
            outputs: { deployment_dev: 'dep-1' },
            waitingFor,
          }),
        ],
      }),
    );
    const graph = await screen.findByTestId('stage-graph');
    const deploy = within(graph).getByRole('button', {
      name: /Step deploy: running/,
    });
    expect(within(deploy).getByTestId('waiting-deploy')).toHaveTextContent(
      `Waiting for ${waitingFor}`,
    );
    // The log card of the running step (shown by default) says it too.
    expect(screen.getAllByText(`Waiting for ${waitingFor}`)).toHaveLength(2);
  });

  it('says nothing of waiting once the step has ended', async () => {
    await renderRun(
      aRun({
        status: 'failed',
        steps: [
          step('.checkout', '.checkout', 'succeeded', 0, 2),
          step('deploy', 'deploy', 'failed', 2, 9, {
            reason: "no status report from the external CD system for 'dev'",
            waitingFor: 'left over',
          }),
        ],
      }),
    );
    await screen.findByTestId('stage-graph');
    expect(screen.queryByTestId('waiting-deploy')).not.toBeInTheDocument();
    expect(screen.queryByText(/Waiting for/)).not.toBeInTheDocument();
  });

  it('re-runs the failed steps after confirmation', async () => {
    const rerunRun = jest.fn(async () =>
      aRun({ status: 'queued', attempt: 2 }),
    );
    await renderRun(failedRun, { rerunRun });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Re-run failed steps' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/Attempt 2 runs again/),
    ).toBeInTheDocument();
    expect(rerunRun).not.toHaveBeenCalled();
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Re-run failed steps' }),
    );
    await waitFor(() =>
      expect(rerunRun).toHaveBeenCalledWith('run-1', { failedOnly: true }),
    );
  });

  it('re-runs everything after confirmation', async () => {
    const rerunRun = jest.fn(async () =>
      aRun({ status: 'queued', attempt: 2 }),
    );
    await renderRun(failedRun, { rerunRun });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-run all' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Re-run all' }));
    await waitFor(() =>
      expect(rerunRun).toHaveBeenCalledWith('run-1', { failedOnly: false }),
    );
  });

  it('cancels a running run after confirmation, and shows why when refused', async () => {
    const cancelRun = jest.fn(async () => {
      throw new Error('No pipeline executor is configured');
    });
    await renderRun(runningRun, { cancelRun });
    expect(
      screen.queryByRole('button', { name: 'Re-run all' }),
    ).not.toBeInTheDocument();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog');
    expect(cancelRun).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel run' }));
    await waitFor(() => expect(cancelRun).toHaveBeenCalledWith('run-1'));
    expect(
      await within(dialog).findByText('No pipeline executor is configured'),
    ).toBeInTheDocument();
  });

  it('offers neither re-run nor cancel without the permissions', async () => {
    await renderRun(failedRun, {}, { allowed: false });
    await screen.findByTestId('stage-graph');
    await new Promise(r => setTimeout(r, 300));
    expect(
      screen.queryByRole('button', { name: /Re-run/ }),
    ).not.toBeInTheDocument();
  });

  it('offers no cancel of a running run without the permission', async () => {
    await renderRun(runningRun, {}, { allowed: false });
    await screen.findByTestId('stage-graph');
    await new Promise(r => setTimeout(r, 300));
    expect(
      screen.queryByRole('button', { name: 'Cancel' }),
    ).not.toBeInTheDocument();
  });
});
