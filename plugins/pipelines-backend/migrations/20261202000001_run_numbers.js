// @ts-check

/**
 * Runs are numbered per component, from 1.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .integer('number')
      .nullable()
      .comment('Counts the runs of the component, from 1');
    table.unique(['component', 'number'], {
      indexName: 'runs_component_number_uq',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropUnique(['component', 'number'], 'runs_component_number_uq');
    table.dropColumn('number');
  });
};
