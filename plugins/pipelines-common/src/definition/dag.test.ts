import { ancestorsOf, checkDag, topologicalOrder } from './dag';

describe('checkDag', () => {
  it('accepts a DAG', () => {
    expect(
      checkDag([
        { name: 'a', needs: [] },
        { name: 'b', needs: ['a'] },
        { name: 'c', needs: ['a'] },
        { name: 'd', needs: ['b', 'c'] },
      ]),
    ).toEqual([]);
  });

  it('reports unknown names and self-references', () => {
    expect(
      checkDag([
        { name: 'a', needs: ['a', 'x'] },
        { name: 'b', needs: ['a'] },
      ]),
    ).toEqual([
      { type: 'self', node: 'a', needIndex: 0 },
      { type: 'unknown', node: 'a', needIndex: 1, need: 'x' },
    ]);
  });

  it('reports each cycle once, as the shortest path from its first node', () => {
    expect(
      checkDag([
        { name: 'a', needs: ['b'] },
        { name: 'b', needs: ['c', 'a'] },
        { name: 'c', needs: ['a'] },
        { name: 'd', needs: ['e'] },
        { name: 'e', needs: ['d'] },
        { name: 'f', needs: ['a'] },
      ]),
    ).toEqual([
      { type: 'cycle', cycle: ['a', 'b', 'a'] },
      { type: 'cycle', cycle: ['d', 'e', 'd'] },
    ]);
  });
});

describe('topologicalOrder', () => {
  it('puts each node after what it needs, ties in the given order', () => {
    expect(
      topologicalOrder([
        { name: 'deploy', needs: ['image', 'docs'] },
        { name: 'image', needs: ['build'] },
        { name: 'build', needs: [] },
        { name: 'docs', needs: [] },
      ]),
    ).toEqual(['build', 'docs', 'image', 'deploy']);
  });

  it('refuses a cycle', () => {
    expect(() =>
      topologicalOrder([
        { name: 'a', needs: ['b'] },
        { name: 'b', needs: ['a'] },
      ]),
    ).toThrow(/Not a DAG/);
  });
});

describe('ancestorsOf', () => {
  it('follows needs transitively', () => {
    const nodes = [
      { name: 'a', needs: [] },
      { name: 'b', needs: ['a'] },
      { name: 'c', needs: ['b'] },
      { name: 'd', needs: [] },
    ];
    expect([...ancestorsOf(nodes, 'c')].sort()).toEqual(['a', 'b']);
    expect([...ancestorsOf(nodes, 'd')]).toEqual([]);
  });
});
