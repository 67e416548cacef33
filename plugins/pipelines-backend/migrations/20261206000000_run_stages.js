// @ts-check

/**
 * The stage graph of the definition a run loaded, so pages draw stages that
 * have not started yet, in their real order.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('stages')
      .nullable()
      .comment('JSON: name, type, needs and step names of each stage');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('stages');
  });
};
