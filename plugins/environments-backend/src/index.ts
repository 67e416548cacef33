/**
 * The Environment Manager's backend.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export {
  ENVIRONMENTS_TOPIC,
  type EnvironmentCDEvent,
  type EnvironmentEventType,
} from './events/cdevents';
