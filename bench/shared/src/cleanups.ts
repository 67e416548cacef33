import { log } from './console';

/**
 * What a run must undo (the backend, the databases, temporary folders), in
 * reverse order, also when it fails or is interrupted (Ctrl-C, SIGTERM).
 */
export class Cleanups {
  private readonly steps: Array<() => Promise<void>> = [];
  private readonly onSignal = () => {
    log('Interrupted; stopping the backend and removing the databases');
    this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  add(step: () => Promise<void>) {
    this.steps.push(step);
  }

  /** Runs every step, latest first; a failing step is logged, not thrown. */
  async run() {
    while (this.steps.length) {
      await this.steps.pop()!().catch(error =>
        log(`Cleaning up failed: ${(error as Error).message}`),
      );
    }
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
