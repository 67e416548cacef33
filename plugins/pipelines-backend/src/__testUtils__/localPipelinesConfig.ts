import { join } from 'node:path';

/**
 * The `pipelines` config of a test backend running whole pipelines with the
 * local executor: a short lease, heartbeat and poll so runs start and end
 * within a test, workspaces under `root`, and the component's repository URL
 * rewritten to the test's git repository.
 */
export function localPipelinesConfig(options: {
  root: string;
  rewrite: { from: string; to: string };
}) {
  return {
    git: { rewrites: [options.rewrite] },
    engine: {
      executor: 'local',
      lease: { seconds: 2 },
      heartbeat: { milliseconds: 200 },
      pollInterval: { milliseconds: 100 },
    },
    executors: {
      local: {
        enabled: true,
        workspaceRoot: join(options.root, 'workspaces'),
        killGracePeriod: { milliseconds: 300 },
      },
    },
  };
}
