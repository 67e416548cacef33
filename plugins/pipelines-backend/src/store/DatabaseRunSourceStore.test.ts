import {
  describeRunStore,
  pushRun as push,
  TEST_COMMIT as commit,
} from '../__testUtils__/testRunStore';

describeRunStore('DatabaseRunSourceStore', createStore => {
  it('keeps the default branch a delivery named, and the commit a manual run resolved', async () => {
    const { store } = await createStore();
    const manual = (
      await store.enqueue(
        push({
          deliveryId: undefined,
          commit: undefined,
          trigger: { type: 'manual', requestedBy: 'user:default/priya' },
        }),
      )
    ).run;
    expect(
      await store.lastKnownDefaultBranch('component:default/payments-api'),
    ).toBeUndefined();
    await store.enqueue(
      push({ defaultBranch: 'trunk', deliveryId: 1 }),
      new Date('2026-01-01T10:00:00Z'),
    );
    const latest = (
      await store.enqueue(
        push({ defaultBranch: 'main', deliveryId: 2 }),
        new Date('2026-01-01T11:00:00Z'),
      )
    ).run;
    expect(latest.defaultBranch).toBe('main');
    expect(
      await store.lastKnownDefaultBranch('component:default/payments-api'),
    ).toBe('main');
    expect(
      await store.lastKnownDefaultBranch('component:default/other'),
    ).toBeUndefined();

    expect(manual.commit).toBeUndefined();
    await store.setCommit(manual.id, commit);
    await store.setCommit(manual.id, 'f'.repeat(40));
    expect((await store.get(manual.id)).commit).toBe(commit);
  });

  it('knows the default branch from the delivery of a run that did not keep it', async () => {
    const { store, knex } = await createStore();
    // A run queued before runs kept their delivery's default branch.
    const [{ id: deliveryId }] = await knex('deliveries')
      .insert({
        provider: 'github',
        delivery_id: 'd-1',
        event: 'push',
        status: 'matched',
        default_branch: 'trunk',
        payload_digest: `sha256:${'0'.repeat(64)}`,
        received_at: new Date('2026-01-01T09:00:00Z'),
      })
      .returning('id');
    await store.enqueue(
      push({ defaultBranch: 'main', deliveryId: 7 }),
      new Date('2026-01-01T09:00:00Z'),
    );
    const { run } = await store.enqueue(
      push({ deliveryId: Number(deliveryId) }),
      new Date('2026-01-01T10:00:00Z'),
    );
    expect(run.defaultBranch).toBeUndefined();
    expect(
      await store.lastKnownDefaultBranch('component:default/payments-api'),
    ).toBe('trunk');
  });

  it('keeps where the definition came from and its stages', async () => {
    const { store } = await createStore();
    const { run } = await store.enqueue(push());
    expect(run.stages).toBeUndefined();
    const stages = [
      {
        name: 'build',
        type: 'steps' as const,
        needs: [],
        steps: [
          { name: 'test', needs: [] },
          { name: 'lint', needs: ['test'] },
        ],
      },
      {
        name: 'image',
        type: 'image' as const,
        needs: ['build'],
        steps: [{ name: 'image', needs: [] }],
      },
    ];
    await store.setDefinition(run.id, 'repository', stages);
    expect(await store.get(run.id)).toMatchObject({
      definitionSource: 'repository',
      stages,
    });
  });
});
