import {
  AuditorService,
  AuthService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  pipelinesLogsReadPermission,
  pipelinesRunCancelPermission,
  pipelinesRunReadPermission,
  pipelinesRunRerunPermission,
  pipelinesRunTriggerPermission,
} from '@internal/plugin-pipelines-common';
import {
  actorOf,
  componentRefOf,
  createRouteHelpers,
} from '@internal/platform-node';
import { RunEngine } from '../engine/RunEngine';
import { cloneUrlOf } from '../engine/cloneUrl';
import { branchOfSourceLocation } from '../engine/componentFacts';
import { ArtifactRecord } from '../store/ArtifactStore';
import { RunRecord } from '../store/RunQueueStore';
import { RunStore } from '../store/RunStore';
import { StepRunRecord } from '../store/StepRunStore';
import { spec } from '../schema/openapi';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the run routes need. */
export interface RunRouteOptions {
  runs: RunStore;
  /** Absent when no executor is configured: runs can be read, not started. */
  engine?: RunEngine;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  auth: AuthService;
}

function toApiRun(
  run: RunRecord,
  steps?: StepRunRecord[],
  artifacts?: ArtifactRecord[],
) {
  return {
    id: run.id,
    component: run.component,
    number: run.number,
    ...(run.repository ? { repository: run.repository } : {}),
    ...(run.ref ? { ref: run.ref } : {}),
    ...(run.branch ? { branch: run.branch } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
    trigger: run.trigger as unknown as { type: string },
    status: run.status,
    ...(run.reason ? { reason: run.reason } : {}),
    attempt: run.attempt,
    ...(run.definitionSource
      ? {
          definitionSource: run.definitionSource as 'repository' | 'default',
        }
      : {}),
    createdAt: run.createdAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    ...(steps && run.stages ? { stages: run.stages } : {}),
    ...(steps
      ? {
          steps: steps.map(s => ({
            stage: s.stage,
            step: s.step,
            status: s.status,
            tries: s.tries,
            ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
            ...(s.reason ? { reason: s.reason } : {}),
            outputs: s.outputs,
            reused: s.reused,
            ...(s.waitingFor ? { waitingFor: s.waitingFor } : {}),
            ...(s.startedAt ? { startedAt: s.startedAt } : {}),
            ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
          })),
        }
      : {}),
    ...(artifacts
      ? {
          artifacts: artifacts.map(a => ({
            type: a.type,
            stage: a.stage,
            attempt: a.attempt,
            image: a.image,
            tags: a.tags,
            digest: a.digest,
            createdAt: a.createdAt,
          })),
        }
      : {}),
  };
}

/** Adds the run routes (`/runs...`) to the plugin's router. */
export function addRunRoutes(router: OpenApiRouter, options: RunRouteOptions) {
  const { runs } = options;
  const { credentials, authorize, authorizedRefs, audited } =
    createRouteHelpers(options);

  function engineOrFail(): RunEngine {
    if (!options.engine) {
      throw new ServiceUnavailableError(
        'No pipeline executor is configured (pipelines.engine.executor), so runs cannot be started or changed',
      );
    }
    return options.engine;
  }

  router.get('/runs', async (req, res) => {
    const caller = await credentials(req);
    const { component, status, branch, limit, offset } = req.query;
    const page = await runs.list({
      ...(component ? { component: componentRefOf(component) } : {}),
      ...(status ? { status } : {}),
      ...(branch ? { branch } : {}),
      limit: limit ?? 20,
      offset: offset ?? 0,
    });
    const allowed = new Set(
      await authorizedRefs(
        caller,
        pipelinesRunReadPermission,
        page.map(r => r.component),
      ),
    );
    res.json({
      items: page.filter(r => allowed.has(r.component)).map(r => toApiRun(r)),
    });
  });

  router.get('/runs/:id', async (req, res) => {
    const run = await runs.get(req.params.id);
    await authorize(req, pipelinesRunReadPermission, run.component);
    res.json(
      toApiRun(
        run,
        await runs.listSteps(run.id),
        await runs.listArtifacts(run.id),
      ),
    );
  });

  router.post('/runs', async (req, res) => {
    const component = componentRefOf(req.body.component);
    const { commit } = req.body;
    const run = await audited(
      req,
      'pipeline-run-trigger',
      {
        component,
        ...(req.body.branch ? { branch: req.body.branch } : {}),
        ...(commit ? { commit } : {}),
      },
      async () => {
        const actor = actorOf(
          await authorize(req, pipelinesRunTriggerPermission, component),
        );
        const engine = engineOrFail();
        const entity = await options.catalog.getEntityByRef(component, {
          credentials: await options.auth.getOwnServiceCredentials(),
        });
        if (!entity) {
          throw new NotFoundError(`no component '${component}' in the catalog`);
        }
        const source = cloneUrlOf(entity);
        if (!source) {
          throw new InputError(
            `component '${component}' names no repository: it has neither a backstage.io/source-location annotation nor a GitHub or GitLab project slug`,
          );
        }
        // Found as the engine finds a run's default branch, so the run
        // records the branch it builds.
        const branch =
          req.body.branch ??
          branchOfSourceLocation(
            entity.metadata.annotations?.['backstage.io/source-location'],
          ) ??
          (await runs.lastKnownDefaultBranch(component));
        if (!branch) {
          throw new InputError(
            `no branch given and the default branch of component '${component}' is not known (its backstage.io/source-location names no /tree/<branch> and no webhook named it yet): give branch`,
          );
        }
        return engine.enqueue({
          component,
          repository: source.slug,
          cloneUrl: source.cloneUrl,
          ref: `refs/heads/${branch}`,
          branch,
          ...(commit ? { commit } : {}),
          trigger: {
            type: 'manual',
            branch,
            ...(commit ? { commit } : {}),
            requestedBy: actor,
          },
        });
      },
    );
    res.status(201).json(toApiRun(run));
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const run = await runs.get(req.params.id);
    const after = await audited(
      req,
      'pipeline-run-cancel',
      { runId: run.id, component: run.component },
      async () => {
        const actor = actorOf(
          await authorize(req, pipelinesRunCancelPermission, run.component),
        );
        return engineOrFail().cancel(run.id, `cancelled by ${actor}`);
      },
    );
    res.json(toApiRun(after));
  });

  router.post('/runs/:id/rerun', async (req, res) => {
    const run = await runs.get(req.params.id);
    const failedOnly = req.body.failedOnly ?? false;
    const after = await audited(
      req,
      'pipeline-run-rerun',
      { runId: run.id, component: run.component, failedOnly },
      async () => {
        await authorize(req, pipelinesRunRerunPermission, run.component);
        return engineOrFail().rerun(run.id, failedOnly);
      },
    );
    res.json(toApiRun(after));
  });

  router.get('/runs/:id/steps/:step/logs', async (req, res) => {
    const run = await runs.get(req.params.id);
    await authorize(req, pipelinesLogsReadPermission, run.component);
    const steps = await runs.listSteps(run.id, req.query.attempt);
    const step = steps.find(s => s.step === req.params.step);
    if (!step) {
      throw new NotFoundError(
        `run '${run.id}' has no step '${req.params.step}' in attempt ${
          req.query.attempt ?? run.attempt
        }`,
      );
    }
    const limit = req.query.limit ?? 1000;
    const items = await runs.readLog(step.id, {
      after: req.query.after ?? 0,
      limit,
    });
    const ended = !['pending', 'running'].includes(step.status);
    res.json({
      items: items.map(c => ({
        ...c,
        stream: c.stream as 'stdout' | 'stderr' | 'system',
      })),
      complete: ended && items.length < limit,
    });
  });
}
