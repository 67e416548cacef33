import { findExpressions, resolveExpressions } from './expressions';

describe('findExpressions', () => {
  it('finds step outputs and run fields, with their offsets', () => {
    expect(
      findExpressions(
        'v${{ steps.build.outputs.version }}-${{run.shortCommit}}',
      ),
    ).toEqual([
      {
        source: '${{ steps.build.outputs.version }}',
        index: 1,
        expression: { type: 'output', step: 'build', key: 'version' },
      },
      {
        source: '${{run.shortCommit}}',
        index: 36,
        expression: { type: 'run', field: 'shortCommit' },
      },
    ]);
    expect(findExpressions('plain $HOME and ${NAME}')).toEqual([]);
  });

  it('says what is wrong with an expression', () => {
    expect(findExpressions('${{ github.sha }}')).toEqual([
      expect.objectContaining({
        error:
          "'github.sha' is not an expression; write steps.<step>.outputs.<key> or run.<field>",
      }),
    ]);
    expect(findExpressions('${{ run.nope }}')[0].error).toMatch(
      /^'run\.nope' is not a run field; known fields are id, number, commit/,
    );
    expect(findExpressions('a ${{ run.commit')).toEqual([
      {
        source: '${{ run.commit',
        index: 2,
        error: "'${{' is not closed with '}}'",
      },
    ]);
  });
});

describe('resolveExpressions', () => {
  const context = {
    steps: { build: { version: '1.4.0', empty: '' } },
    run: { shortCommit: 'abc123def456', branch: 'main' },
  };

  it('puts in the values', () => {
    expect(
      resolveExpressions(
        'v${{ steps.build.outputs.version }}-${{ run.shortCommit }}${{ steps.build.outputs.empty }}',
        context,
      ),
    ).toBe('v1.4.0-abc123def456');
    expect(resolveExpressions('no expressions', context)).toBe(
      'no expressions',
    );
  });

  it('gives the empty string for a run field that does not apply', () => {
    expect(resolveExpressions('[${{ run.tag }}]', context)).toBe('[]');
  });

  it('refuses outputs that were not written and steps that have not run', () => {
    expect(() =>
      resolveExpressions('${{ steps.build.outputs.digest }}', context),
    ).toThrow(
      "${{ steps.build.outputs.digest }}: step 'build' did not write 'digest' to $PIPELINE_OUTPUT",
    );
    expect(() =>
      resolveExpressions('${{ steps.test.outputs.x }}', context),
    ).toThrow("${{ steps.test.outputs.x }}: step 'test' has not run");
    expect(() => resolveExpressions('${{ nope }}', context)).toThrow(
      "${{ nope }}: 'nope' is not an expression",
    );
  });
});
