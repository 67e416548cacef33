// @ts-check

/**
 * Rollbacks: a deployment may restore an earlier artifact in place of
 * another deployment, which is then marked rolled back.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .uuid('rollback_of')
      .nullable()
      .comment('The deployment this one rolls back');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('rollback_of');
  });
};
