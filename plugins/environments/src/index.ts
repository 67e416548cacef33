/**
 * The Environment Manager's frontend.
 *
 * @packageDocumentation
 */
export {
  environmentsPlugin,
  EnvironmentsPage,
  EntityEnvironmentsContent,
} from './plugin';
export { environmentsApiRef } from './api';
