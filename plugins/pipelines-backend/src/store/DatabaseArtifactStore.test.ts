import {
  describeRunStore,
  pushRun as push,
  TEST_COMMIT as commit,
} from '../__testUtils__/testRunStore';

describeRunStore('DatabaseArtifactStore', createStore => {
  function imageOf(runId: string, digest: string, attempt = 1) {
    return {
      runId,
      attempt,
      type: 'image' as const,
      stage: 'image',
      image: `registry.test/payments-api:${commit}`,
      tags: [commit, 'latest'],
      digest,
    };
  }

  it('keeps one artifact per stage and attempt, with its run', async () => {
    const { store, knex } = await createStore();
    const { run } = await store.enqueue(push());
    const digest = `sha256:${'a'.repeat(64)}`;
    const image = imageOf(run.id, digest);
    const first = await store.addArtifact(
      image,
      new Date('2026-12-03T10:00:00Z'),
    );
    expect(first).toEqual({
      ...image,
      createdAt: '2026-12-03T10:00:00.000Z',
    });
    // Recorded again by an engine that retook the run: replaced.
    const newer = `sha256:${'b'.repeat(64)}`;
    await store.addArtifact({ ...image, digest: newer, tags: [commit] });
    await store.addArtifact({ ...image, attempt: 2 });
    const listed = await store.listArtifacts(run.id);
    expect(listed.map(a => [a.attempt, a.digest, a.tags])).toEqual([
      [1, newer, [commit]],
      [2, digest, [commit, 'latest']],
    ]);
    const other = await store.enqueue(push({ deliveryId: 2 }));
    expect(await store.listArtifacts(other.run.id)).toEqual([]);
    await expect(
      store.addArtifact({ ...image, runId: 'no-such-run' }),
    ).rejects.toThrow(/no-such-run/);
    await knex('runs').where({ id: run.id }).delete();
    expect(await store.listArtifacts(run.id)).toEqual([]);
  });

  it("finds artifacts by digest among the components' runs", async () => {
    const { store } = await createStore();
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    const first = (await store.enqueue(push({ deliveryId: 1 }))).run;
    const second = (await store.enqueue(push({ deliveryId: 2 }))).run;
    const other = (
      await store.enqueue(
        push({ deliveryId: 3, component: 'component:default/other' }),
      )
    ).run;
    await store.addArtifact(imageOf(first.id, a));
    await store.addArtifact(imageOf(second.id, b));
    await store.addArtifact(imageOf(second.id, a, 2));
    await store.addArtifact(imageOf(other.id, a));
    const found = await store.listArtifactsByDigest({
      components: ['component:default/payments-api'],
      digests: [a, `sha256:${'c'.repeat(64)}`],
    });
    expect(found.map(f => [f.runId, f.attempt, f.digest])).toEqual([
      [first.id, 1, a],
      [second.id, 2, a],
    ]);
    expect(
      await store.listArtifactsByDigest({ components: [], digests: [a] }),
    ).toEqual([]);
  });
});
