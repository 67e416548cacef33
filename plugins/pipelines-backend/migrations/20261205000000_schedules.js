// @ts-check

/**
 * The scheduled triggers of each component's pipeline (`triggers.schedule`),
 * as its default branch last declared them, and when each fires next.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('schedules', table => {
    table.comment(
      'Scheduled triggers from the pipeline file of each component',
    );
    table.increments('id').primary();
    table.string('component', 255).notNullable();
    table.string('cron', 255).notNullable().comment('Five fields, UTC');
    table.string('branch', 255).notNullable().comment('The branch to build');
    table.string('repository', 255).nullable().comment('owner/name');
    table.text('clone_url').notNullable();
    table.string('default_branch', 255).nullable();
    table.timestamp('next_fire_at', { useTz: true }).notNullable();
    table.timestamp('last_fired_at', { useTz: true }).nullable();
    table.string('last_run_id', 36).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['component', 'cron', 'branch'], {
      indexName: 'schedules_component_cron_branch_uniq',
    });
    table.index(['next_fire_at'], 'schedules_next_fire_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('schedules');
};
