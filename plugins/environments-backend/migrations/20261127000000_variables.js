// @ts-check

/**
 * Variables of environments, plain and secret. A secret's value is stored
 * only encrypted (AES-256-GCM): ciphertext, IV, authentication tag and the id
 * of the key that encrypted it, so keys can be rotated row by row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_variables', table => {
    table.comment('Variables handed to workloads deployed in an environment');
    table
      .string('environment', 63)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table
      .string('name', 128)
      .notNullable()
      .comment('Environment variable name');
    table.boolean('secret').notNullable();
    table.text('value').nullable().comment('Plain variables only');
    table.text('ciphertext').nullable().comment('Secrets only: base64');
    table.string('iv', 32).nullable().comment('Secrets only: base64, 12 bytes');
    table
      .string('auth_tag', 32)
      .nullable()
      .comment('Secrets only: base64 GCM tag');
    table
      .string('key_id', 64)
      .nullable()
      .comment('Secrets only: the configured key that encrypted it');
    table.string('updated_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['environment', 'name']);
    table.index(['key_id'], 'environment_variables_key_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_variables');
};
