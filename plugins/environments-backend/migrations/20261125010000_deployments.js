// @ts-check

/**
 * Deployments of component versions into environments.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.comment('Deployments of a component version into an environment');
    table.uuid('id').primary();
    table.string('component').notNullable().comment('Entity ref');
    table
      .string('environment', 63)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('RESTRICT');
    table.string('version', 128).notNullable();
    table.text('image').notNullable();
    table.string('digest', 71).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, in_progress, succeeded, failed, rolled_back');
    table.text('message').nullable();
    table.text('trigger').notNullable().comment('JSON: type and who');
    table.string('deployer', 63).notNullable();
    table.uuid('previous_deployment_id').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(
      ['component', 'environment', 'created_at'],
      'deployments_history_idx',
    );
    table.index(['environment', 'status'], 'deployments_environment_idx');
  });
  // One deployment in flight per component and environment: the second of
  // two concurrent deploys fails on this index and gets a 409.
  await knex.raw(
    `CREATE UNIQUE INDEX deployments_one_active_idx ON deployments (component, environment) WHERE status IN ('pending', 'in_progress')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
};
