import { PipelineLogChunkView } from '@internal/plugin-pipelines-common';

/** A line of a step's log, with the stream it came from. */
export type LogLine = {
  stream: PipelineLogChunkView['stream'];
  text: string;
  /** False while the line's newline has not come yet. */
  ended: boolean;
};

// Colours and cursor moves of terminal output: shown as plain text.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * Appends chunks to the lines so far (a new array; the lines before are
 * kept). A chunk may hold several lines or part of one: a part continues
 * the last line when that came from the same stream and did not end.
 */
export function appendChunks(
  lines: LogLine[],
  chunks: PipelineLogChunkView[],
): LogLine[] {
  const next = [...lines];
  for (const chunk of chunks) {
    const parts = chunk.text.replace(/\r\n/g, '\n').split('\n');
    parts.forEach((raw, i) => {
      const text = raw.replace(ANSI, '');
      const ended = i < parts.length - 1;
      // The empty rest after a chunk's final newline is no line.
      if (!ended && raw === '') return;
      const last = next[next.length - 1];
      if (i === 0 && last && !last.ended && last.stream === chunk.stream) {
        next[next.length - 1] = { ...last, text: last.text + text, ended };
      } else {
        next.push({ stream: chunk.stream, text, ended });
      }
    });
  }
  return next;
}
