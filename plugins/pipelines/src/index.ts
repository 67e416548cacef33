/**
 * The Pipeline Engine's frontend.
 *
 * @packageDocumentation
 */
export {
  pipelinesPlugin,
  PipelinesPage,
  EntityPipelinesContent,
} from './plugin';
export { pipelinesApiRef } from './api';
