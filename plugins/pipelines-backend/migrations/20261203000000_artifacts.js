// @ts-check

/**
 * What a run's stages produce (images, for now), kept with the run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('artifacts', table => {
    table.comment('What the stages of a run produced');
    table.increments('id').primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runs')
      .onDelete('CASCADE');
    table.integer('attempt').notNullable().comment('The attempt of the run');
    table.string('stage', 255).notNullable().comment('The stage that made it');
    table.string('type', 16).notNullable().comment('image');
    table
      .text('reference')
      .notNullable()
      .comment('registry/repository:tag, the first tag pushed');
    table
      .string('digest', 80)
      .notNullable()
      .comment('sha256: and 64 hex digits');
    table.text('tags').notNullable().comment('JSON array of every tag pushed');
    table.timestamp('created_at', { useTz: true }).notNullable();
    // One artifact per stage and attempt: an engine that retakes a run
    // after losing its lease replaces, not duplicates, what it recorded.
    table.unique(['run_id', 'attempt', 'stage'], {
      indexName: 'artifacts_run_attempt_stage_uq',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('artifacts');
};
