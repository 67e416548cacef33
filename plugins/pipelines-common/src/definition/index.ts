export * from './types';
export {
  parsePipeline,
  validatePipelineFile,
  formatPipelineErrors,
  PIPELINE_FILE_PATH,
  MAX_PIPELINE_FILE_BYTES,
  type PipelineParseResult,
} from './parsePipeline';
export { PIPELINE_SCHEMA } from './schemaValidation';
export {
  DEFAULT_PULL_REQUEST_TYPES,
  DEFAULT_IMAGE_TAGS,
  RESERVED_ENV_NAMES,
  isReservedEnvName,
} from './pipelineModel';
export { DEFAULT_PIPELINES, defaultPipelineFor } from './defaults';
export * from './durations';
export * from './expressions';
export * from './dag';
export * from './globs';
export * from './matching';
