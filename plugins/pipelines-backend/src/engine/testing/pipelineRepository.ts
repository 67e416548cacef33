// Moved to the shared test utilities, where other plugins' tests reach it.
export {
  createPipelineRepository,
  type PipelineRepository,
} from '@internal/platform-backend-test-utils';
