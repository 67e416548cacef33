/**
 * The signal channel on which the environments backend announces changes to
 * deployments and promotions, so open pages update without polling.
 *
 * @public
 */
export const ENVIRONMENTS_SIGNAL_CHANNEL = 'environments:changes';

/** A change announced on {@link ENVIRONMENTS_SIGNAL_CHANNEL}. @public */
export type EnvironmentsChangeSignal = {
  kind: 'deployment' | 'promotion';
  /** Entity ref of the component concerned. */
  component: string;
  environment: string;
  /** The deployment's or promotion's id. */
  id: string;
  status: string;
};
