import { mockServices } from '@backstage/backend-test-utils';
import {
  PIPELINES_SIGNAL_CHANNEL,
  PIPELINES_TOPIC,
} from '@internal/plugin-pipelines-common';
import {
  artifactEvent,
  pipelineRunEvent,
  pipelineRunFinishedEvent,
  taskRunEvent,
} from '../engine/cdevents';
import { RunRecord } from '../store/RunQueueStore';
import { RunActivity } from './RunActivity';

const run = {
  id: 'run-1',
  component: 'component:default/payments-api',
  number: 7,
  attempt: 1,
  repository: 'https://github.com/acme/payments-api',
  ref: 'refs/heads/main',
  branch: 'main',
  commit: '0123456789abcdef0123456789abcdef01234567',
  trigger: { type: 'push' },
} as unknown as RunRecord;

describe('RunActivity', () => {
  function setUp() {
    const signals = { publish: jest.fn().mockResolvedValue(undefined) };
    const notifications = { send: jest.fn().mockResolvedValue(undefined) };
    const logger = mockServices.logger.mock();
    const activity = new RunActivity({ signals, notifications, logger });
    const handle = (eventPayload: object) =>
      activity.handle({ topic: PIPELINES_TOPIC, eventPayload });
    return { signals, notifications, logger, handle };
  }

  it('signals every run and step change with the run status after it', async () => {
    const { signals, handle } = setUp();
    await handle(pipelineRunEvent('queued', run));
    await handle(pipelineRunEvent('started', run));
    await handle(
      taskRunEvent(
        'finished',
        run,
        { id: 1, stage: 'build', step: 'test' },
        {
          status: 'succeeded',
          exitCode: 0,
        },
      ),
    );
    await handle(pipelineRunFinishedEvent(run, 'succeeded'));

    expect(signals.publish.mock.calls.map(([s]) => s)).toEqual([
      expect.objectContaining({
        channel: PIPELINES_SIGNAL_CHANNEL,
        recipients: { type: 'broadcast' },
        message: {
          runId: 'run-1',
          component: 'component:default/payments-api',
          status: 'queued',
        },
      }),
      expect.objectContaining({
        message: expect.objectContaining({ status: 'running' }),
      }),
      expect.objectContaining({
        message: {
          runId: 'run-1',
          component: 'component:default/payments-api',
          status: 'running',
          step: 'test',
        },
      }),
      expect.objectContaining({
        message: expect.objectContaining({ status: 'succeeded' }),
      }),
    ]);
  });

  it("tells nobody of artifact events or of payloads that are not the engine's", async () => {
    const { signals, notifications, handle } = setUp();
    const artifact = {
      runId: 'run-1',
      attempt: 1,
      type: 'image' as const,
      stage: 'image',
      image: 'registry.local/payments-api:7',
      tags: ['7'],
      digest: `sha256:${'ab'.repeat(32)}`,
      createdAt: new Date().toISOString(),
    };
    await handle(
      artifactEvent('published', run, artifact, 'registry.local/payments-api'),
    );
    await handle({ hello: 'world' });
    // The engine's envelope, but a type name it does not publish.
    const later = pipelineRunFinishedEvent(run, 'failed', 'boom');
    await handle({
      ...later,
      context: {
        ...later.context,
        type: 'dev.cdevents.pipelinerun.finished.0.3.0',
      },
    });
    expect(signals.publish).not.toHaveBeenCalled();
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it("notifies the component's owners of a failed run, and only of that", async () => {
    const { notifications, handle } = setUp();
    await handle(pipelineRunFinishedEvent(run, 'succeeded'));
    await handle(pipelineRunFinishedEvent(run, 'cancelled', 'superseded'));
    expect(notifications.send).not.toHaveBeenCalled();

    await handle(pipelineRunFinishedEvent(run, 'failed', "step 'test' failed"));
    expect(notifications.send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: 'component:default/payments-api',
      },
      payload: expect.objectContaining({
        title: 'Pipeline run #7 of payments-api failed on main at 0123456',
        description: "step 'test' failed",
        link: '/pipelines/runs/run-1',
        topic: 'pipelines',
        scope: 'pipeline-run:run-1',
      }),
    });
  });

  it('logs, and does not throw, when signals or notifications fail', async () => {
    const { signals, notifications, logger, handle } = setUp();
    signals.publish.mockRejectedValue(new Error('bus down'));
    notifications.send.mockRejectedValue(new Error('no notifications'));
    await expect(
      handle(pipelineRunFinishedEvent(run, 'failed', 'boom')),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
