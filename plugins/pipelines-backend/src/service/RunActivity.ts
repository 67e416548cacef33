import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  isPipelineRunCDEvent,
  isTaskRunCDEvent,
  PIPELINE_RUN_CDEVENT_TYPES,
  PIPELINES_SIGNAL_CHANNEL,
  PIPELINES_TOPIC,
  PipelineRunCDEvent,
  PipelinesRunSignal,
  TaskRunCDEvent,
} from '@internal/plugin-pipelines-common';

/** The run page, where notifications point. */
function runLink(runId: string): string {
  return `/pipelines/runs/${encodeURIComponent(runId)}`;
}

/** The run's status after the change the event announces. */
function runStatusOf(event: PipelineRunCDEvent | TaskRunCDEvent): string {
  switch (event.context.type) {
    case PIPELINE_RUN_CDEVENT_TYPES.queued:
      return 'queued';
    case PIPELINE_RUN_CDEVENT_TYPES.finished:
      return String(event.customData.status);
    default:
      // A run that started, or one of its steps that started or ended.
      return 'running';
  }
}

/** The run an event is about and, for a step's event, the step. */
function runChangeOf(payload: unknown):
  | {
      event: PipelineRunCDEvent | TaskRunCDEvent;
      runId: string;
      step?: string;
    }
  | undefined {
  if (isTaskRunCDEvent(payload)) {
    const { pipelineRun, taskName } = payload.subject.content;
    return { event: payload, runId: pipelineRun.id, step: taskName };
  }
  if (isPipelineRunCDEvent(payload)) {
    return { event: payload, runId: payload.subject.id };
  }
  // Artifact events change nothing a page shows but the artifact list,
  // which the step's finish announces anyway.
  return undefined;
}

/**
 * Tells people about runs, from the engine's CDEvents rather than from the
 * engine itself, so a run change reaches them whichever replica ran it: a
 * signal to every open page, and a notification to the component's owners
 * when a run fails. Neither may fail the run, so failures are logged.
 */
export class RunActivity {
  constructor(
    private readonly options: {
      signals: SignalsService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** Subscribes to the engine's events. */
  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'pipelines-run-activity',
      topics: [PIPELINES_TOPIC],
      onEvent: params => this.handle(params),
    });
  }

  /** Handles one engine event. */
  async handle(params: EventParams): Promise<void> {
    const change = runChangeOf(params.eventPayload);
    const component = change?.event.customData?.component;
    if (!change || typeof component !== 'string') return;
    const { event, runId, step } = change;
    const status = runStatusOf(event);
    const signal: PipelinesRunSignal = {
      runId,
      component,
      status,
      ...(step ? { step } : {}),
    };
    await this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: PIPELINES_SIGNAL_CHANNEL,
        message: signal,
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not signal the change of run ${runId}`,
          error,
        ),
      );
    if (
      isPipelineRunCDEvent(event) &&
      event.context.type === PIPELINE_RUN_CDEVENT_TYPES.finished &&
      status === 'failed'
    ) {
      await this.notifyFailure(event, runId, component);
    }
  }

  private async notifyFailure(
    event: PipelineRunCDEvent,
    runId: string,
    component: string,
  ) {
    // From an untyped payload: read as optional, whatever the type says.
    const { number, branch, commit } = event.customData as Partial<
      PipelineRunCDEvent['customData']
    >;
    const where = [
      branch ? `on ${branch}` : undefined,
      commit ? `at ${commit.slice(0, 7)}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    await this.options.notifications
      .send({
        // A component ref resolves to its owners' members.
        recipients: { type: 'entity', entityRef: component },
        payload: {
          title: `Pipeline run #${number ?? '?'} of ${
            parseEntityRef(component).name
          } failed${where ? ` ${where}` : ''}`,
          description:
            String(event.subject.content.errors ?? '') ||
            'A step failed; its log says why.',
          link: runLink(runId),
          severity: 'high',
          topic: 'pipelines',
          scope: `pipeline-run:${runId}`,
        },
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not send the notification that run ${runId} failed`,
          error,
        ),
      );
  }
}
