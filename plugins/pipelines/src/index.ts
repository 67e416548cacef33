/**
 * The Pipeline Engine's frontend.
 *
 * @packageDocumentation
 */
export {
  pipelinesPlugin,
  PipelinesPage,
  EntityPipelinesContent,
  EntityDoraContent,
} from './plugin';
export { pipelinesApiRef } from './api';
