import { PipelineLogPage } from '@internal/plugin-pipelines-common';
import { readStepLogTail } from './stepLogTail';

/** A log of these chunk texts, served a page at a time like the route does. */
function logOf(texts: string[], complete = true) {
  const chunks = texts.map((text, i) => ({
    seq: i + 1,
    stream: 'stdout' as const,
    text,
    at: '2026-01-01T00:00:00.000Z',
  }));
  const asked: Array<[number, number]> = [];
  const readPage = async (
    after: number,
    limit: number,
  ): Promise<PipelineLogPage> => {
    asked.push([after, limit]);
    const items = chunks.filter(c => c.seq > after).slice(0, limit);
    return { items, complete: complete && items.length < limit };
  };
  return { readPage, asked };
}

describe('readStepLogTail', () => {
  it('pages through the whole log and keeps the last lines across chunk borders', async () => {
    const log = logOf(['one\ntw', 'o\nthree\n', 'four\nfi', 've']);
    const tail = await readStepLogTail({
      tailLines: 3,
      pageSize: 2,
      readPage: log.readPage,
    });
    expect(tail).toEqual({
      text: 'three\nfour\nfive',
      lines: 3,
      totalLines: 5,
      complete: true,
    });
    // Each page after the last sequence number of the one before.
    expect(log.asked).toEqual([
      [0, 2],
      [2, 2],
      [4, 2],
    ]);
  });

  it('gives the whole log when it is shorter than the tail', async () => {
    const tail = await readStepLogTail({
      tailLines: 10,
      pageSize: 5,
      readPage: logOf(['a\n', 'b\n']).readPage,
    });
    expect(tail).toEqual({
      text: 'a\nb',
      lines: 2,
      totalLines: 2,
      complete: true,
    });
  });

  it('says when the step is still writing', async () => {
    const tail = await readStepLogTail({
      tailLines: 10,
      pageSize: 5,
      readPage: logOf(['building...\n'], false).readPage,
    });
    expect(tail).toMatchObject({ text: 'building...', complete: false });
  });

  it('reads an empty log as no lines', async () => {
    const tail = await readStepLogTail({
      tailLines: 10,
      pageSize: 5,
      readPage: logOf([]).readPage,
    });
    expect(tail).toEqual({ text: '', lines: 0, totalLines: 0, complete: true });
  });
});
