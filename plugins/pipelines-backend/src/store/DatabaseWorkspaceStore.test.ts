import {
  describeRunStore,
  pushRun as push,
  TEST_COMMIT as commit,
} from '../__testUtils__/testRunStore';

describeRunStore('DatabaseWorkspaceStore', createStore => {
  it('keeps a run workspace until it is released, for runs no engine runs', async () => {
    const { store, knex } = await createStore();
    const { run: a } = await store.enqueue(push());
    const { run: b } = await store.enqueue(push({ deliveryId: 2 }));
    await store.claimNext({
      owner: 'x',
      leaseMs: 60_000,
      perComponentLimit: 2,
    });
    await store.claimNext({
      owner: 'x',
      leaseMs: 60_000,
      perComponentLimit: 2,
    });
    const ws = (runId: string, id = `ws-${runId}`) => ({
      id,
      executor: 'kubernetes',
      runId,
      repository: { cloneUrl: 'file:///tmp/none', commit },
    });
    await store.setWorkspace(a.id, ws(a.id));
    await store.setWorkspace(b.id, ws(b.id));
    // Running runs are their holders' to release.
    expect(await store.listWorkspaces()).toEqual([]);
    expect(await store.listWorkspaces([a.id])).toEqual([
      { runId: a.id, status: 'running', workspace: ws(a.id) },
    ]);
    expect(await store.listWorkspaces([])).toEqual([]);
    await store.finish(a.id, 'x', 'succeeded');
    expect(await store.listWorkspaces()).toEqual([
      { runId: a.id, status: 'succeeded', workspace: ws(a.id) },
    ]);
    // Another workspace stored meanwhile (a later attempt) is not cleared.
    await store.clearWorkspace(a.id, ws(a.id, 'ws-older'));
    expect(await store.listWorkspaces([a.id])).toHaveLength(1);
    await store.clearWorkspace(a.id, ws(a.id));
    await store.clearWorkspace(a.id, ws(a.id)); // twice is fine
    expect(await store.listWorkspaces([a.id, b.id])).toEqual([
      { runId: b.id, status: 'running', workspace: ws(b.id) },
    ]);
    // The run API does not show it.
    expect(await store.get(b.id)).not.toHaveProperty('workspace');
    // A value that is no workspace is dropped rather than tried forever.
    await knex('runs').where({ id: b.id }).update({ workspace: '{"id":1}' });
    expect(await store.listWorkspaces([b.id])).toEqual([]);
    expect(
      (await knex('runs').where({ id: b.id }).first('workspace')).workspace,
    ).toBeNull();
  });
});
