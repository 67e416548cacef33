/**
 * Frontend pieces shared by the platform's plugins.
 *
 * @packageDocumentation
 */

export { errorMessage } from './errorMessage';
export { useEachSignal } from './useEachSignal';
export { ActionDialog } from './components/ActionDialog';
export type { ActionDialogProps } from './components/ActionDialog';
export { ConfirmActionDialog } from './components/ConfirmActionDialog';
export type { PendingAction } from './components/ConfirmActionDialog';
