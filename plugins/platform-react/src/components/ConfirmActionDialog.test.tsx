import { useState } from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createResponseError } from '../testUtils';
import { ConfirmActionDialog, PendingAction } from './ConfirmActionDialog';

function Harness(props: { run: () => Promise<void> }) {
  const [action, setAction] = useState<PendingAction>();
  return (
    <>
      <button
        onClick={() =>
          setAction({
            title: 'Promote 1.5.0 to Staging?',
            body: 'It deploys 1.5.0 to staging.',
            confirmLabel: 'Promote',
            run: props.run,
          })
        }
      >
        Ask
      </button>
      <ConfirmActionDialog
        action={action}
        onClose={() => setAction(undefined)}
      />
    </>
  );
}

describe('ConfirmActionDialog', () => {
  it('acts only once confirmed, then closes', async () => {
    const run = jest.fn(async () => {});
    render(<Harness run={run} />);
    fireEvent.click(screen.getByText('Ask'));
    expect(
      screen.getByRole('dialog', { name: 'Promote 1.5.0 to Staging?' }),
    ).toBeInTheDocument();
    expect(screen.getByText('It deploys 1.5.0 to staging.')).toBeVisible();
    expect(run).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("stays open with the backend's message when refused, and forgets it once cancelled", async () => {
    const error = await createResponseError({
      status: 409,
      statusText: 'Conflict',
      name: 'ConflictError',
      message: 'staging is locked: Black Friday freeze',
    });
    render(
      <Harness
        run={async () => {
          throw error;
        }}
      />,
    );
    fireEvent.click(screen.getByText('Ask'));
    fireEvent.click(screen.getByRole('button', { name: 'Promote' }));
    expect(
      await screen.findByText('staging is locked: Black Friday freeze'),
    ).toBeVisible();
    expect(screen.queryByText('Request failed with 409 Conflict')).toBeNull();
    expect(screen.getByRole('dialog')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getByText('Ask'));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      screen.queryByText('staging is locked: Black Friday freeze'),
    ).toBeNull();
  });
});
