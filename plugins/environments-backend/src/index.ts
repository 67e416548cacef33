/**
 * The Environment Manager's backend.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export {
  environmentConditions,
  createEnvironmentConditionalDecision,
  environmentResourceRef,
} from './permissions/environmentRules';
export {
  ENVIRONMENTS_TOPIC,
  type EnvironmentCDEvent,
  type EnvironmentEventType,
} from './events/cdevents';
