/**
 * What the benchmarks of bench/ share: the backend under test in a process of
 * its own, fresh databases per run, an HTTP client with a real user token,
 * the machine's description, statistics, console output and clean-up.
 */
export * from './backendProcess';
export * from './cleanups';
export * from './console';
export * from './database';
export * from './http';
export * from './machine';
export * from './stats';
