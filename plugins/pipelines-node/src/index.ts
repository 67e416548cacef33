/**
 * The Pipeline Engine's extension point for executors, the interface they
 * implement, and what executors share: the outputs file format and the
 * variables every step sees.
 *
 * @packageDocumentation
 */
export * from './executor';
export * from './errors';
export * from './extensionPoint';
export * from './outputs';
export * from './environment';
export * from './images';
export * from './requestChecks';
export * from './stepResults';
export * from './executorConfig';
