import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials } from '@backstage/backend-test-utils';

/**
 * Waits until the catalog of a started test backend has stitched a
 * component of the default namespace (it has its relations, `ownedBy`
 * among them): before that, ownership checks such as `IS_ENTITY_OWNER` see
 * no owner, and a test that deploys or triggers as the owning team is
 * refused. Reads as ada, the admin of `testMemberships`, whom every policy
 * lets read the catalog. Throws when the catalog has not stitched it within
 * 20 seconds.
 *
 * @public
 */
export async function waitForStitchedComponent(
  server: Server,
  name: string,
): Promise<void> {
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/catalog/entities/by-name/component/default/${name}`;
  for (let i = 0; i < 200; i++) {
    const res = await fetch(url, {
      headers: {
        Authorization: mockCredentials.user.header('user:default/ada'),
      },
    });
    if (res.ok) {
      const entity = (await res.json()) as { relations?: unknown[] };
      if ((entity.relations?.length ?? 0) > 0) return;
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the catalog did not stitch component ${name}`);
}
