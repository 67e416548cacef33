/**
 * Isomorphic pieces shared by the platform's -common packages: the request
 * helper of the clients generated from each backend's OpenAPI spec.
 *
 * @packageDocumentation
 */
export { OpenApiRequester } from './OpenApiRequester';
export type {
  DiscoveryApi,
  FetchApi,
  OperationRequest,
  QueryValue,
  RequestOptions,
  TypedResponse,
} from './types';
