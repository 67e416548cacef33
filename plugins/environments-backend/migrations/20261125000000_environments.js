// @ts-check

/**
 * Environments: one row each, keyed by name.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environments', table => {
    table.comment('Environments that components are deployed to');
    table.string('name', 63).primary().comment('Unique, URL-safe name');
    table.string('title').nullable();
    table.text('description').nullable();
    table
      .string('tier', 16)
      .notNullable()
      .comment('development, staging, production or preview');
    table
      .integer('promotion_order')
      .notNullable()
      .comment('Position in the promotion path, lowest first');
    table
      .string('owner')
      .notNullable()
      .comment('Entity ref of the owning group');
    table
      .text('target')
      .notNullable()
      .comment(
        'Deploy target as JSON: kubernetes cluster and namespace, or external',
      );
    table.boolean('protected').notNullable().defaultTo(false);
    table.string('created_by').notNullable();
    table.string('updated_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['promotion_order'], 'environments_promotion_order_idx');
    table.index(['owner'], 'environments_owner_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environments');
};
