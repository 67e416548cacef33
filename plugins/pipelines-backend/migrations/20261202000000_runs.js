// @ts-check

/**
 * Pipeline runs, the step runs of each attempt, and their logs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runs', table => {
    table.comment('Pipeline runs: the durable run queue');
    table.string('id', 36).primary().comment('A UUID');
    table.string('component', 255).notNullable().comment('Entity ref');
    table.string('repository', 255).nullable().comment('The slug');
    table.string('clone_url', 1024).nullable();
    table.string('ref', 512).nullable();
    table.string('branch', 255).nullable();
    table.string('commit_sha', 64).nullable();
    table.text('trigger').notNullable().comment('The RunTrigger as JSON');
    table
      .integer('delivery_id')
      .nullable()
      .comment('The delivery that started it, for idempotent hand-over');
    table.string('component_type', 64).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('queued, running, succeeded, failed or cancelled');
    table.text('reason').nullable();
    table.integer('attempt').notNullable().defaultTo(1);
    table
      .boolean('rerun_failed_only')
      .notNullable()
      .defaultTo(false)
      .comment('The current attempt reuses the steps that succeeded before');
    table
      .text('cancel_reason')
      .nullable()
      .comment('Set when a cancel was asked for a running run');
    table.string('claimed_by', 255).nullable().comment('The engine holding it');
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.text('definition_source').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.unique(['delivery_id', 'component'], {
      indexName: 'runs_delivery_component_uq',
    });
    table.index(['status', 'created_at'], 'runs_status_created_idx');
    table.index(['component', 'created_at'], 'runs_component_created_idx');
  });
  await knex.schema.createTable('step_runs', table => {
    table.comment('One step of one attempt of a run');
    table.increments('id').primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('attempt').notNullable().comment('The attempt of the run');
    table.string('stage', 255).notNullable();
    table.string('step', 255).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, running, succeeded, failed, cancelled or skipped');
    table.integer('tries').notNullable().defaultTo(0).comment('Retries + 1');
    table.integer('exit_code').nullable();
    table.text('reason').nullable();
    table.text('outputs').nullable().comment('JSON');
    table
      .boolean('reused')
      .notNullable()
      .defaultTo(false)
      .comment(
        'Taken over from the attempt before by a re-run of failed steps',
      );
    table.integer('log_count').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.unique(['run_id', 'attempt', 'step'], {
      indexName: 'step_runs_run_attempt_step_uq',
    });
  });
  await knex.schema.createTable('step_logs', table => {
    table.comment('Chunks of the log of a step run');
    table
      .integer('step_run_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('step_runs')
      .onDelete('CASCADE');
    table.integer('seq').notNullable().comment('From 1 within the step run');
    table.string('stream', 8).notNullable();
    table.text('text').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.primary(['step_run_id', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('step_logs');
  await knex.schema.dropTable('step_runs');
  await knex.schema.dropTable('runs');
};
