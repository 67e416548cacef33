/**
 * Isomorphic pieces shared by the platform's -common packages: the request
 * helper of the clients generated from each backend's OpenAPI spec, and the
 * check that a -common package's list of enum values is the spec's.
 *
 * @packageDocumentation
 */
export { OpenApiRequester } from './OpenApiRequester';
export { allValuesOf } from './allValuesOf';
export type {
  DiscoveryApi,
  FetchApi,
  OperationRequest,
  QueryValue,
  RequestOptions,
  TypedResponse,
} from './types';
