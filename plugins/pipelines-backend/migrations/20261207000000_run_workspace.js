// @ts-check

/**
 * The executor workspace a run holds, kept from its preparation until the
 * engine released it, so that another replica releases the workspace of a
 * run whose engine died.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .text('workspace')
      .nullable()
      .comment('JSON: the executor workspace not released yet');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('workspace');
  });
};
