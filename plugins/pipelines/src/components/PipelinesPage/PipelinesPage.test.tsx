import { Delivery } from '@internal/plugin-pipelines-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { aRun, renderWithApis } from '../__testUtils__/fixtures';
import { PipelinesPage } from './PipelinesPage';

const delivery = (extra: Partial<Delivery>): Delivery => ({
  id: 1,
  provider: 'github',
  deliveryId: 'd-1',
  event: 'push',
  status: 'matched',
  repository: { slug: 'launchpad-examples/payments-api' },
  ref: 'refs/heads/main',
  components: ['component:default/payments-api'],
  payloadDigest: `sha256:${'0'.repeat(64)}`,
  receivedAt: '2026-11-25T10:00:00.000Z',
  redeliveries: 0,
  ...extra,
});

describe('PipelinesPage', () => {
  it("lists every component's runs and filters by component", async () => {
    const listRuns = jest.fn(async () => ({
      items: [
        aRun(),
        aRun({
          id: 'run-9',
          number: 4,
          component: 'component:default/web-shop',
        }),
      ],
    }));
    await renderWithApis(<PipelinesPage />, { listRuns });
    expect(await screen.findByRole('link', { name: '#4' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /web-shop/ })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Component'), {
      target: { value: 'web-shop' },
    });
    await waitFor(() =>
      expect(listRuns).toHaveBeenLastCalledWith(
        expect.objectContaining({ component: 'web-shop' }),
      ),
    );
  });

  it('lists webhook deliveries with the runs they started or why they started none', async () => {
    await renderWithApis(
      <PipelinesPage />,
      {
        listRuns: async () => ({ items: [aRun({ id: 'run-5', number: 5 })] }),
        listDeliveries: async () => ({
          items: [
            delivery({ id: 7 }),
            delivery({
              id: 8,
              status: 'unmatched',
              repository: { slug: 'someone/unknown' },
              components: [],
              reason: 'no component in the catalog has the annotation',
            }),
            delivery({
              id: 9,
              event: 'ping',
              status: 'ignored',
              components: [],
              reason: 'a ping',
            }),
          ],
        }),
      },
      { routeEntries: ['/deliveries'] },
    );
    const started = await screen.findByRole('link', { name: 'started run #5' });
    expect(started).toHaveAttribute('href', '/pipelines/runs/run-5');
    const unmatched = screen
      .getAllByRole('row')
      .find(r => within(r).queryByText('someone/unknown'))!;
    expect(
      within(unmatched).getByText('unknown repository'),
    ).toBeInTheDocument();
    expect(
      within(unmatched).getByText(
        'no component in the catalog has the annotation',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('a ping')).toBeInTheDocument();
  });
});
