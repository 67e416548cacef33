/**
 * What the benchmarks of bench/ share: the backend under test in a process of
 * its own, fresh databases per run, an HTTP client with a real user token,
 * the machine's description, statistics, console output and clean-up, the
 * options every benchmark takes, the run around its phases and its result.
 */
export * from './backendProcess';
export * from './benchRun';
export * from './cleanups';
export * from './console';
export * from './database';
export * from './http';
export * from './machine';
export * from './options';
export * from './result';
export * from './stats';
