// @ts-check

/**
 * The repository's default branch as the run's webhook named it, for stages
 * that run only there (`when: { defaultBranch: true }`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runs', table => {
    table
      .string('default_branch', 255)
      .nullable()
      .comment('The default branch of the repository, as the delivery said');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runs', table => {
    table.dropColumn('default_branch');
  });
};
