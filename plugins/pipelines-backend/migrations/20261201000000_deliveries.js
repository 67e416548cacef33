// @ts-check

/**
 * Webhook deliveries, one row per provider and delivery id, and the catalog
 * components each maps to.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deliveries', table => {
    table.comment('Webhook deliveries from GitHub and GitLab, deduplicated');
    table.increments('id').primary();
    table.string('provider', 16).notNullable().comment('github or gitlab');
    table
      .string('delivery_id', 255)
      .notNullable()
      .comment("The provider's delivery id, or sha256:<payload digest>");
    table.string('event', 64).notNullable();
    table.string('action', 64).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('matched, unmatched, ignored or rejected');
    table.text('reason').nullable();
    table.string('repository', 255).nullable().comment('The slug as sent');
    table
      .string('repository_key', 255)
      .nullable()
      .comment('The slug in lower case, for filters');
    table.string('repository_url', 1024).nullable();
    table.string('default_branch', 255).nullable();
    table.string('ref', 512).nullable();
    table.string('commit_sha', 64).nullable();
    table.string('author', 255).nullable();
    table.string('sender', 255).nullable();
    table.text('trigger').nullable().comment('The implied trigger as JSON');
    table.string('payload_digest', 71).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.integer('redeliveries').notNullable().defaultTo(0);
    table.timestamp('last_redelivered_at', { useTz: true }).nullable();
    table
      .timestamp('processed_at', { useTz: true })
      .nullable()
      .comment('When the run engine took it over');
    table.unique(['provider', 'delivery_id'], {
      indexName: 'deliveries_provider_delivery_id_uq',
    });
    table.index(['status'], 'deliveries_status_idx');
    table.index(['repository_key'], 'deliveries_repository_key_idx');
    table.index(['received_at'], 'deliveries_received_at_idx');
  });
  await knex.schema.createTable('delivery_components', table => {
    table.comment('The catalog components a delivery maps to');
    table
      .integer('delivery_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('deliveries')
      .onDelete('CASCADE');
    table
      .string('component_ref', 255)
      .notNullable()
      .comment('Entity ref in lower case');
    table.primary(['delivery_id', 'component_ref']);
    table.index(['component_ref'], 'delivery_components_component_ref_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('delivery_components');
  await knex.schema.dropTable('deliveries');
};
