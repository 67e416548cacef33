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
export {
  actorOf,
  createRouteHelpers,
  type RouteHelpers,
} from './http/routeHelpers';
export {
  toIso,
  isUniqueViolation,
  isForeignKeyViolation,
} from './database/dbUtils';
export {
  componentRefOf,
  componentRefFromWorkspace,
} from './catalog/componentRef';
export {
  componentInputSchema,
  componentRefFromInput,
} from './catalog/componentInput';
export { attemptError, backendError, onBehalfOf } from './http/onBehalfOf';
export { apiRequestGuards, API_BODY_LIMIT } from './http/apiRequestGuards';
export { hideInternalErrors } from './http/hideInternalErrors';
export {
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './http/httpErrors';
export { rejectUnknownBodyFields } from './http/rejectUnknownBodyFields';
export {
  describeKubernetesError,
  kubernetesStatusCodeOf,
} from './kubernetes/kubernetesErrors';
export { pollUntil } from './pollUntil';
