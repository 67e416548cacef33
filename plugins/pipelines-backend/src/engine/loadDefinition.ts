import {
  defaultPipelineFor,
  formatPipelineErrors,
  MAX_PIPELINE_FILE_BYTES,
  parsePipeline,
  PIPELINE_FILE_PATH,
  PipelineDefinition,
} from '@internal/plugin-pipelines-common';
import {
  PipelineExecutor,
  PipelineWorkspace,
} from '@internal/plugin-pipelines-node';

/** The exit code of the reading command when the file is not there. */
const NO_FILE = 78;

/** A run's definition, or why it has none. */
export type LoadedDefinition =
  | {
      ok: true;
      definition: PipelineDefinition;
      source: 'repository' | 'default';
    }
  | { ok: false; reason: string };

/**
 * Reads `.platform/pipeline.yaml` from a prepared workspace, through the
 * executor (so it works wherever the executor keeps the checkout), and
 * parses it; without the file, the default pipeline of the component's type.
 */
export async function loadDefinition(options: {
  executor: PipelineExecutor;
  workspace: PipelineWorkspace;
  componentType?: string;
  signal?: AbortSignal;
}): Promise<LoadedDefinition> {
  let text = '';
  const result = await options.executor.runStep({
    workspace: options.workspace,
    stepId: 'read-pipeline-definition',
    command: [
      'sh',
      '-c',
      `if [ -f "$1" ]; then exec cat "$1"; elif [ -e "$1" ]; then echo "$1 is not a file" >&2; exit 1; else exit ${NO_FILE}; fi`,
      'sh',
      PIPELINE_FILE_PATH,
    ],
    timeoutMs: 60_000,
    // One byte more than allowed, so the parser reports a file too large.
    maxOutputBytes: MAX_PIPELINE_FILE_BYTES + 1024,
    log: chunk => {
      if (chunk.stream === 'stdout') text += chunk.text;
    },
    signal: options.signal,
  });
  if (result.reason === 'exited' && result.exitCode === NO_FILE) {
    const fallback = options.componentType
      ? defaultPipelineFor(options.componentType)
      : undefined;
    if (!fallback) {
      return {
        ok: false,
        reason: `The repository has no ${PIPELINE_FILE_PATH} and there is no default pipeline for component type '${
          options.componentType ?? 'unknown'
        }'`,
      };
    }
    return { ok: true, definition: fallback, source: 'default' };
  }
  if (result.reason !== 'exited' && result.reason !== 'output_limit_exceeded') {
    return {
      ok: false,
      reason: `Could not read ${PIPELINE_FILE_PATH}: ${
        result.message ?? result.reason
      }`,
    };
  }
  if (result.reason === 'exited' && result.exitCode !== 0) {
    return {
      ok: false,
      reason: `Could not read ${PIPELINE_FILE_PATH} (exit code ${result.exitCode})`,
    };
  }
  const parsed = parsePipeline(text);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: `${PIPELINE_FILE_PATH} is invalid:\n${formatPipelineErrors(
        parsed.errors,
      )}`,
    };
  }
  return { ok: true, definition: parsed.definition, source: 'repository' };
}
