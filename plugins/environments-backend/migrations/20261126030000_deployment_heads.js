// @ts-check

/**
 * What runs where: per component and environment, the latest deployment and
 * the latest succeeded one. Kept beside the history so that reading an
 * environment or a component's matrix does not scan every deployment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_heads', table => {
    table.comment(
      'Per component and environment: the latest and the live deployment',
    );
    table.string('component').notNullable().comment('Entity ref');
    table
      .string('environment', 63)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.uuid('latest_deployment_id').notNullable();
    table
      .uuid('live_deployment_id')
      .nullable()
      .comment('The latest succeeded deployment: what runs there');
    table.primary(['component', 'environment']);
    table.index(['environment'], 'deployment_heads_environment_idx');
  });

  // Existing history: the newest deployment of each pair, and the newest
  // succeeded one.
  const rows = await knex('deployments')
    .select('id', 'component', 'environment', 'status', 'created_at')
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  /** @type {Map<string, {component: string, environment: string, latest_deployment_id: string, live_deployment_id: string | null}>} */
  const heads = new Map();
  for (const row of rows) {
    const key = `${row.component}\u0000${row.environment}`;
    const head = heads.get(key) ?? {
      component: row.component,
      environment: row.environment,
      latest_deployment_id: row.id,
      live_deployment_id: null,
    };
    head.latest_deployment_id = row.id;
    if (row.status === 'succeeded') head.live_deployment_id = row.id;
    heads.set(key, head);
  }
  const values = [...heads.values()];
  for (let i = 0; i < values.length; i += 500) {
    await knex('deployment_heads').insert(values.slice(i, i + 500));
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_heads');
};
