/**
 * How a scaffolder task ended: its status, the messages of its log, and the
 * output of its completion event.
 *
 * @public
 */
export type ScaffolderTaskOutcome = {
  status: string;
  log: string;
  // The template's output, whatever its steps put there.
  output: any;
};

/**
 * A Template entity of the default namespace, owned by the platform admins,
 * that runs the given steps and outputs what its last step outputs (as
 * `result`).
 *
 * @public
 */
export function scaffolderTestTemplate(
  name: string,
  steps: Array<{ id: string }>,
) {
  const last = steps[steps.length - 1].id;
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name },
    spec: {
      owner: 'group:default/platform-admins',
      type: 'test',
      steps,
      output: { result: `\${{ steps['${last}'].output }}` },
    },
  };
}

/**
 * Follows a scaffolder task through the scaffolder API until it has ended.
 *
 * @param get - reads a path of the backend's API (`/scaffolder/...`) as the
 *   user who started the task
 * @public
 */
export async function scaffolderTaskOutcome(
  get: (path: string) => PromiseLike<{ body: any }>,
  taskId: string,
): Promise<ScaffolderTaskOutcome> {
  for (;;) {
    const task = await get(`/scaffolder/v2/tasks/${taskId}`);
    if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
      const events = await get(`/scaffolder/v2/tasks/${taskId}/events`);
      const messages: string[] = events.body.map(
        (e: { body: { message?: string } }) => e.body.message ?? '',
      );
      const completion = events.body.find(
        (e: { type: string }) => e.type === 'completion',
      );
      return {
        status: task.body.status as string,
        log: messages.join('\n'),
        output: completion?.body.output,
      };
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
