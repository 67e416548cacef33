// @ts-check

/**
 * Locks and freezes on environments. Released locks stay, as the record of
 * who froze what and why.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_locks', table => {
    table.comment('Locks and freezes: no deployments while one is active');
    table.uuid('id').primary();
    table
      .string('environment', 63)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.text('reason').notNullable();
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('released_at', { useTz: true }).nullable();
    table.string('released_by').nullable();
    table.index(['environment', 'released_at'], 'environment_locks_active_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_locks');
};
