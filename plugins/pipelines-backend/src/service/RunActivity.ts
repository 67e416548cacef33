import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  PIPELINES_SIGNAL_CHANNEL,
  PipelinesRunSignal,
} from '@internal/plugin-pipelines-common';
import { PipelineCDEvent, PIPELINES_TOPIC } from '../engine/cdevents';

/** The run page, where notifications point. */
function runLink(runId: string): string {
  return `/pipelines/runs/${encodeURIComponent(runId)}`;
}

/** The run's status after the change the event announces. */
function runStatusOf(event: PipelineCDEvent): string | undefined {
  switch (event.context.type) {
    case 'dev.cdevents.pipelinerun.queued.0.2.0':
      return 'queued';
    case 'dev.cdevents.pipelinerun.finished.0.2.0':
      return String(event.customData.status);
    case 'dev.cdevents.pipelinerun.started.0.2.0':
    case 'dev.cdevents.taskrun.started.0.2.0':
    case 'dev.cdevents.taskrun.finished.0.2.0':
      return 'running';
    default:
      // Artifact events change nothing a page shows but the artifact list,
      // which the step's finish announces anyway.
      return undefined;
  }
}

function runIdOf(event: PipelineCDEvent): string {
  const pipelineRun = event.subject.content.pipelineRun as
    | { id: string }
    | undefined;
  return pipelineRun?.id ?? event.subject.id;
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
    const event = params.eventPayload as PipelineCDEvent;
    const status = runStatusOf(event);
    const component = event.customData?.component;
    if (!status || typeof component !== 'string') return;
    const runId = runIdOf(event);
    const signal: PipelinesRunSignal = {
      runId,
      component,
      status,
      ...(event.context.type.startsWith('dev.cdevents.taskrun')
        ? { step: String(event.subject.content.taskName) }
        : {}),
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
      event.context.type === 'dev.cdevents.pipelinerun.finished.0.2.0' &&
      status === 'failed'
    ) {
      await this.notifyFailure(event, runId, component);
    }
  }

  private async notifyFailure(
    event: PipelineCDEvent,
    runId: string,
    component: string,
  ) {
    const { number, branch, commit } = event.customData as {
      number?: number;
      branch?: string;
      commit?: string;
    };
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
