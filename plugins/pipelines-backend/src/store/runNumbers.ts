import { isUniqueViolation } from '@internal/platform-node';
import { Knex } from 'knex';

/** How often an insert tries the next number after losing a race for one. */
const MAX_TRIES = 10;

/**
 * Inserts a run with its component's next number (runs are counted per
 * component, from 1). Two inserts racing for a number meet the unique index
 * on component and number; the loser takes the next one.
 */
export async function insertNumberedRun(
  db: Knex,
  row: Record<string, unknown> & { id: string; component: string },
): Promise<void> {
  for (let tries = 0; ; tries++) {
    const last = await db('runs')
      .where({ component: row.component })
      .max({ number: 'number' })
      .first();
    try {
      await db('runs').insert({
        ...row,
        number: Number(last?.number ?? 0) + 1,
      });
      return;
    } catch (error) {
      const numberTaken =
        isUniqueViolation(error) &&
        /number/.test(String((error as Error).message)) &&
        tries < MAX_TRIES;
      if (!numberTaken) throw error;
    }
  }
}
