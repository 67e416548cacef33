import { parseStepOutputs } from './outputs';

describe('parseStepOutputs', () => {
  it('reads key=value lines, the value being everything after the first =', () => {
    expect(
      parseStepOutputs('version=1.4.2\nurl=https://x.test/?a=b\nempty=\n'),
    ).toEqual({
      outputs: { version: '1.4.2', url: 'https://x.test/?a=b', empty: '' },
      problems: [],
    });
  });

  it('reads multi-line values between key<<DELIMITER and DELIMITER', () => {
    const text = [
      'notes<<EOF',
      'first line',
      '',
      'a=b is not a key here',
      'EOF',
      'after=1',
      'one<<END',
      'END',
    ].join('\n');
    expect(parseStepOutputs(text)).toEqual({
      outputs: {
        notes: 'first line\n\na=b is not a key here',
        after: '1',
        one: '',
      },
      problems: [],
    });
  });

  it('treats = before << as a plain value and << before = as a delimiter', () => {
    expect(parseStepOutputs('cmd=cat <<X\nk<<a=b\nv\na=b\n').outputs).toEqual({
      cmd: 'cat <<X',
      k: 'v',
    });
  });

  it('lets later keys win, skips empty lines and reads CRLF files', () => {
    expect(
      parseStepOutputs('a=1\r\n\r\n  \na=2\r\nm<<E\r\nx\r\nE\r\n'),
    ).toEqual({ outputs: { a: '2', m: 'x' }, problems: [] });
  });

  it('reports malformed lines with their line numbers and keeps the rest', () => {
    const text = [
      'good=1',
      'no equals sign',
      '=value',
      '9lives=x',
      'has space=x',
      'x<<',
      'fine-name_2=ok',
    ].join('\n');
    const { outputs, problems } = parseStepOutputs(text);
    expect(outputs).toEqual({ good: '1', 'fine-name_2': 'ok' });
    expect(problems).toEqual([
      {
        line: 2,
        message:
          "Expected 'key=value' or 'key<<DELIMITER', got 'no equals sign'",
      },
      {
        line: 3,
        message: expect.stringContaining("'' is not a valid output name"),
      },
      { line: 4, message: expect.stringContaining("'9lives' is not a valid") },
      {
        line: 5,
        message: expect.stringContaining("'has space' is not a valid"),
      },
      {
        line: 6,
        message: "The multi-line value of 'x' has no delimiter after '<<'",
      },
    ]);
  });

  it('reports a multi-line value that is never closed', () => {
    expect(parseStepOutputs('a=1\nlog<<EOF\nline\nb=2\n')).toEqual({
      outputs: { a: '1' },
      problems: [
        {
          line: 2,
          message:
            "The multi-line value of 'log' is never ended by a line 'EOF'",
        },
      ],
    });
  });

  it('reports an invalid key of a multi-line value and skips its lines', () => {
    expect(parseStepOutputs('bad key<<E\nx=1\nE\ny=2')).toEqual({
      outputs: { y: '2' },
      problems: [{ line: 1, message: expect.stringContaining("'bad key'") }],
    });
  });
});
