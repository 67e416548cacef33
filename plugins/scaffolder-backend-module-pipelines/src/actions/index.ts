export { createTriggerRunAction } from './triggerRun';
