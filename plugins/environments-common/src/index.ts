/**
 * Types and permissions of the Environment Manager.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './client';
export * from './deployments';
export * from './signals';
export * from './events';
