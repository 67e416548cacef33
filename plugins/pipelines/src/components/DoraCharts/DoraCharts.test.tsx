import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { DoraFigures, PipelinesApi } from '@internal/plugin-pipelines-common';
import { createResponseError } from '@internal/platform-react/testUtils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { pipelinesApiRef } from '../../api';
import { EntityDoraContent } from './EntityDoraContent';

// jsdom has no layout and no ResizeObserver, which recharts'
// ResponsiveContainer needs: every box measures 480 x 200 here.
beforeAll(() => {
  (globalThis as any).ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  jest
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockReturnValue({ width: 480, height: 200, top: 0, left: 0 } as DOMRect);
});

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};
const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const week = (start: string, extra: object = {}) => ({
  start,
  end: start,
  deployments: 0,
  changes: 0,
  failedChanges: 0,
  restored: 0,
  ...extra,
});

const figures: DoraFigures = {
  environment: 'production',
  components: ['component:default/payments-api'],
  truncated: [],
  from: '2026-08-28T00:00:00.000Z',
  to: '2026-11-26T00:00:00.000Z',
  weeks: [
    week('2026-11-16T00:00:00.000Z', {
      deployments: 2,
      leadTimeSeconds: 4 * 3600,
      changes: 3,
      failedChanges: 1,
      changeFailureRate: 1 / 3,
    }),
    week('2026-11-23T00:00:00.000Z', {
      deployments: 1,
      changes: 2,
      failedChanges: 1,
      restored: 1,
      timeToRestoreSeconds: 45 * 60,
    }),
  ],
  deploymentFrequency: { deployments: 3, perWeek: 1.5, band: 'high' },
  leadTime: {
    medianSeconds: 4 * 3600,
    samples: 2,
    withoutRun: 1,
    band: 'elite',
  },
  changeFailureRate: { failed: 2, total: 5, rate: 0.4, band: 'low' },
  timeToRestore: {
    medianSeconds: 45 * 60,
    restored: 1,
    open: 1,
    band: 'elite',
  },
};

const empty: DoraFigures = {
  ...figures,
  weeks: [week('2026-11-23T00:00:00.000Z')],
  deploymentFrequency: { deployments: 0, perWeek: 0 },
  leadTime: { samples: 0, withoutRun: 0 },
  changeFailureRate: { failed: 0, total: 0 },
  timeToRestore: { restored: 0, open: 0 },
};

/** The environments API answers the list of environments, out of order. */
const fetchApi = {
  fetch: jest.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    if (!url.endsWith('/api/environments/environments')) {
      return new Response('not found', { status: 404 });
    }
    return new Response(
      JSON.stringify({
        items: [
          { name: 'production', tier: 'production', promotionOrder: 30 },
          { name: 'dev', tier: 'development', promotionOrder: 10 },
          { name: 'pr-7', tier: 'preview', promotionOrder: 5 },
          { name: 'staging', tier: 'staging', promotionOrder: 20 },
        ],
      }),
      { headers: { 'Content-Type': 'application/json' } },
    );
  }),
};
const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

function renderTab(entity: object, api: Partial<PipelinesApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [fetchApiRef, fetchApi],
        [discoveryApiRef, discoveryApi],
      ]}
    >
      <EntityProvider entity={entity as any}>
        <EntityDoraContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityDoraContent', () => {
  it("shows a component's four figures with their totals and bands, for production over 90 days", async () => {
    const getDoraFigures = jest.fn(async () => figures);
    await renderTab(component, { getDoraFigures });

    expect(
      await screen.findByLabelText('Deployment frequency total'),
    ).toHaveTextContent('1.5 / week');
    expect(screen.getByText('3 deployments into production')).toBeVisible();
    expect(
      screen.getByLabelText('Deployment frequency band high'),
    ).toHaveTextContent('High');
    expect(
      screen.getByLabelText('Lead time for changes total'),
    ).toHaveTextContent('4.0 h');
    expect(
      screen.getByText(
        'Median from run start to deployment, 2 measured, 1 without a known run',
      ),
    ).toBeVisible();
    expect(
      screen.getByLabelText('Lead time for changes band elite'),
    ).toBeVisible();
    expect(
      screen.getByLabelText('Change failure rate total'),
    ).toHaveTextContent('40 %');
    expect(
      screen.getByText('2 of 5 changes failed or were rolled back'),
    ).toBeVisible();
    expect(screen.getByLabelText('Change failure rate band low')).toBeVisible();
    expect(screen.getByLabelText('Time to restore total')).toHaveTextContent(
      '45 min',
    );
    expect(
      screen.getByText('Median over 1 restored outage, 1 open'),
    ).toBeVisible();

    // Four weekly charts; bars for each week's deployments (2, 1) and its
    // succeeded (2, 1) and failed (1, 1) changes.
    expect(document.querySelectorAll('.recharts-wrapper')).toHaveLength(4);
    expect(document.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(
      6,
    );

    expect(getDoraFigures).toHaveBeenCalledTimes(1);
    const [filter] = getDoraFigures.mock.calls[0] as unknown as [
      Record<string, string>,
    ];
    expect(filter).toMatchObject({
      component: 'component:default/payments-api',
      environment: 'production',
    });
    const days = (Date.now() - Date.parse(filter.from)) / 86400_000;
    expect(days).toBeCloseTo(90, 1);
  });

  it('offers the environments by promotion order and asks again for the one picked', async () => {
    const getDoraFigures = jest.fn(async () => figures);
    await renderTab(component, { getDoraFigures });
    await screen.findByLabelText('Deployment frequency total');

    const input = screen.getByRole('textbox', { name: 'Environment' });
    fireEvent.mouseDown(input);
    fireEvent.change(input, { target: { value: '' } });
    const listbox = await screen.findByRole('listbox');
    await waitFor(() =>
      expect(
        within(listbox)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['dev', 'staging', 'production']),
    );
    fireEvent.click(within(listbox).getByRole('option', { name: 'staging' }));

    await waitFor(() =>
      expect(getDoraFigures).toHaveBeenLastCalledWith(
        expect.objectContaining({ environment: 'staging' }),
      ),
    );
  });

  it('says what produces data when there is none', async () => {
    await renderTab(component, { getDoraFigures: async () => empty });
    expect(
      await screen.findByText(
        'No deployments into production in the last 90 days',
      ),
    ).toBeVisible();
    expect(screen.getByText(/made by the deploy stages of/)).toBeVisible();
    expect(screen.queryByLabelText('Deployment frequency total')).toBeNull();
  });

  it("shows a group's figures over the components it owns", async () => {
    const getDoraFigures = jest.fn(async () => ({
      ...figures,
      components: [
        'component:default/orders-api',
        'component:default/payments-api',
      ],
      truncated: ['component:default/orders-api'],
    }));
    await renderTab(group, { getDoraFigures });
    expect(
      await screen.findByText(
        'Across 2 components the team owns that you may read.',
      ),
    ).toBeVisible();
    expect(
      screen.getByText(/not counted for component:default\/orders-api/),
    ).toBeVisible();
    expect(getDoraFigures).toHaveBeenCalledWith(
      expect.objectContaining({ owner: 'group:default/team-payments' }),
    );
    expect(getDoraFigures.mock.calls[0]).not.toHaveProperty('0.component');
  });

  it("shows the backend's message when the figures cannot be had", async () => {
    const error = await createResponseError({
      status: 403,
      statusText: 'Forbidden',
      name: 'NotAllowedError',
      message:
        'Not allowed to pipelines.run.read on component:default/payments-api',
      request: { method: 'GET', url: '/dora' },
    });
    await renderTab(component, {
      getDoraFigures: async () => {
        throw error;
      },
    });
    expect(
      await screen.findByText(
        'Not allowed to pipelines.run.read on component:default/payments-api',
      ),
    ).toBeInTheDocument();
  });
});
