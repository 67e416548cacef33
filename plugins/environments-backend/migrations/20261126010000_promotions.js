// @ts-check

/**
 * Promotions between environments, and who may approve them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table
      .text('approvers')
      .nullable()
      .comment(
        'JSON list of group refs that approve promotions; null: the owner',
      );
  });
  await knex.schema.createTable('promotions', table => {
    table.comment('Promotions of a deployed version to the next environment');
    table.uuid('id').primary();
    table.string('component').notNullable();
    table.string('from_environment', 63).notNullable();
    table.string('to_environment', 63).notNullable();
    table.string('version', 128).notNullable();
    table.text('image').notNullable();
    table.string('digest', 71).notNullable();
    table.uuid('source_deployment_id').notNullable();
    table.string('status', 24).notNullable();
    table.string('requested_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('approved_by').nullable();
    table.timestamp('approved_at', { useTz: true }).nullable();
    table.uuid('deployment_id').nullable();
    table.index(['component', 'created_at'], 'promotions_component_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotions');
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('approvers');
  });
};
