/**
 * The Pipeline Engine's backend.
 *
 * @packageDocumentation
 */
export { pipelinesPlugin as default } from './plugin';
