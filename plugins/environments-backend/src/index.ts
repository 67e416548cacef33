/**
 * The Environment Manager's backend.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
