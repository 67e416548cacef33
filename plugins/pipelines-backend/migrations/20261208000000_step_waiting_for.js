// @ts-check

/**
 * What a running step waits for outside the executor (a deploy stage for a
 * deployment the Environments plugin or an external CD system finishes), so
 * the run page says it rather than only spinning.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('step_runs', table => {
    table
      .text('waiting_for')
      .nullable()
      .comment('What the running step waits for; cleared when it ends');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('step_runs', table => {
    table.dropColumn('waiting_for');
  });
};
