/**
 * The Environment Manager's frontend.
 *
 * @packageDocumentation
 */
export { environmentsPlugin, EnvironmentsPage } from './plugin';
export { environmentsApiRef } from './api';
