import { PipelineLogPage } from '@internal/plugin-pipelines-common';

/** The end of a step's log, as the get-pipeline-step-logs action gives it. */
export interface StepLogTail {
  /** The last lines, joined by newlines. */
  text: string;
  lines: number;
  totalLines: number;
  /** The step has ended and nothing more comes. */
  complete: boolean;
}

/**
 * Reads a step's log page by page (after the last sequence number each time)
 * and keeps its last `tailLines` lines, never holding more than those: a
 * step's log may be long, and chunks do not end at line ends.
 */
export async function readStepLogTail(options: {
  tailLines: number;
  pageSize: number;
  readPage: (after: number, limit: number) => Promise<PipelineLogPage>;
}): Promise<StepLogTail> {
  const { tailLines, pageSize, readPage } = options;
  const lines: string[] = [];
  let partial = '';
  let totalLines = 0;
  const keep = (more: string[]) => {
    lines.push(...more);
    totalLines += more.length;
    if (lines.length > tailLines) lines.splice(0, lines.length - tailLines);
  };

  let after = 0;
  let complete: boolean;
  for (;;) {
    const page = await readPage(after, pageSize);
    for (const chunk of page.items) {
      const parts = (partial + chunk.text).split('\n');
      partial = parts.pop()!;
      keep(parts);
    }
    complete = page.complete;
    if (page.items.length < pageSize) break;
    after = page.items[page.items.length - 1].seq;
  }
  if (partial) keep([partial]);
  return {
    text: lines.join('\n'),
    lines: lines.length,
    totalLines,
    complete,
  };
}
