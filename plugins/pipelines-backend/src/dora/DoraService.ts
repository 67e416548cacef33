import { Deployment } from '@internal/plugin-environments-common';
import { DoraFigures } from '@internal/plugin-pipelines-common';
import { computeDoraFigures, DoraDeployment } from './doraFigures';
import { DoraRunFacts, DoraRunOf } from './DoraRunFacts';

/** The most deployments `GET /deployments` of the Environments API returns. */
export const DEPLOYMENTS_PER_REQUEST = 500;

/** How DORA figures read deployments: newest first, as the API gives them. */
export type DeploymentSource = {
  listDeployments(filter: {
    component: string;
    environment: string;
    limit: number;
  }): Promise<Deployment[]>;
};

/**
 * The change a deployment carries: the run its pipeline trigger names, else
 * the earliest run of the component that pushed the same image (a promotion
 * or a deployment by hand carries the image, not the run).
 */
export function toDoraDeployment(
  d: Deployment,
  runsById: Map<string, DoraRunOf>,
  runsByDigest: Map<string, DoraRunOf>,
): DoraDeployment {
  const byTrigger =
    d.trigger.type === 'pipeline' && d.trigger.pipelineRun
      ? runsById.get(d.trigger.pipelineRun)
      : undefined;
  const run =
    byTrigger && byTrigger.component === d.component
      ? byTrigger
      : runsByDigest.get(`${d.component} ${d.artifact.digest}`);
  return {
    id: d.id,
    component: d.component,
    status: d.status,
    createdAt: d.createdAt,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(d.rollbackOf ? { rollbackOf: d.rollbackOf } : {}),
    ...(run ? { run: { id: run.id, createdAt: run.createdAt } } : {}),
  };
}

/** Gathers deployments and runs, and computes the figures. */
export class DoraService {
  constructor(
    private readonly options: {
      deployments: DeploymentSource;
      runs: DoraRunFacts;
    },
  ) {}

  async figures(request: {
    components: string[];
    environment: string;
    from: Date;
    to: Date;
  }): Promise<DoraFigures> {
    const { components, environment, from, to } = request;
    const truncated: string[] = [];
    const deployments: Deployment[] = [];
    for (const component of components) {
      const page = await this.options.deployments.listDeployments({
        component,
        environment,
        limit: DEPLOYMENTS_PER_REQUEST,
      });
      const oldest = page[page.length - 1];
      if (
        page.length >= DEPLOYMENTS_PER_REQUEST &&
        Date.parse(oldest.createdAt) > from.getTime()
      ) {
        truncated.push(component);
      }
      // Later deployments stay: a failure in the window may be restored after it.
      deployments.push(...page);
    }
    const runsById = await this.options.runs.runsById(
      deployments.flatMap(d =>
        d.trigger.type === 'pipeline' && d.trigger.pipelineRun
          ? [d.trigger.pipelineRun]
          : [],
      ),
    );
    const runsByDigest = await this.options.runs.runsByDigest(
      components,
      deployments.map(d => d.artifact.digest),
    );
    const failedRuns = await this.options.runs.failedDefaultBranchRuns(
      components,
      from,
      to,
    );
    return {
      environment,
      components,
      truncated,
      ...computeDoraFigures({
        from,
        to,
        deployments: deployments.map(d =>
          toDoraDeployment(d, runsById, runsByDigest),
        ),
        failedRuns,
      }),
    };
  }
}
