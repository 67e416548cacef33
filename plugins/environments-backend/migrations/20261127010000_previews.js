// @ts-check

/**
 * Preview environments: an environment made for a component's pull request,
 * with an expiry that a scheduled task enforces, and the state of its
 * tear-down while one is under way or being retried.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table
      .string('preview_component')
      .nullable()
      .comment('Previews: entity ref of the component');
    table
      .integer('preview_pull_request_number')
      .nullable()
      .comment('Previews: the pull request number');
    table
      .text('preview_pull_request')
      .nullable()
      .comment('Previews: the pull request as JSON (number, url, branch)');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('Previews: torn down once past');
    table
      .text('teardown')
      .nullable()
      .comment('Previews: tear-down under way or failed, as JSON');
    // One preview per component and pull request, also when two replicas
    // create it at once; NULLs (other environments) do not collide.
    table.unique(['preview_component', 'preview_pull_request_number'], {
      indexName: 'environments_preview_idx',
    });
    table.index(['expires_at'], 'environments_expires_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('environments', table => {
    table.dropUnique(
      ['preview_component', 'preview_pull_request_number'],
      'environments_preview_idx',
    );
    table.dropIndex(['expires_at'], 'environments_expires_at_idx');
    table.dropColumn('preview_component');
    table.dropColumn('preview_pull_request_number');
    table.dropColumn('preview_pull_request');
    table.dropColumn('expires_at');
    table.dropColumn('teardown');
  });
};
