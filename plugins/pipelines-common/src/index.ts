/**
 * Types, permissions, the pipeline definition model (`.platform/pipeline.yaml`
 * with its JSON Schema and parser) and the API client of the Pipeline Engine.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './triggers';
export * from './deliveries';
export * from './runs';
export * from './client';
export * from './runApi';
export * from './manualRunBranch';
export * from './dora';
export * from './signals';
export * from './events';
export * from './definition';
