import { bearerFor } from '@internal/platform-backend-test-utils';
import request from 'supertest';

/**
 * Waits until the catalog of a started test backend has stitched the
 * component (it has its relations): before that, ownership checks of the
 * pipelines routes see no owner.
 */
export async function waitForStitchedComponent(
  server: Parameters<typeof request>[0],
  name: string,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/component/default/${name}`)
      .set('Authorization', bearerFor('ada'));
    if (res.body?.relations?.length > 0) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`the catalog did not stitch component ${name}`);
}
