/**
 * Test helpers for the platform's frontend plugins.
 *
 * @packageDocumentation
 */

export { renderWithPlatformApis } from './renderWithPlatformApis';
export type { RenderWithPlatformApisOptions } from './renderWithPlatformApis';
export { createTestSignalApi } from './createTestSignalApi';
export { createResponseError } from './createResponseError';
