/**
 * Types and permissions of the Environment Manager.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './client';
export * from './deployments';
export * from './variables';
export * from './previews';
export * from './signals';
export * from './events';
