/**
 * Backend pieces shared by the whole platform.
 *
 * @packageDocumentation
 */
export { rootConfigServiceFactory } from './rootConfigServiceFactory';
export {
  assertRequiredConfig,
  findMissingConfig,
  type RequiredConfigEntry,
} from './requiredConfig';
