import * as Models from './schema/openapi/generated/models';
import { GetDoraFigures } from './schema/openapi';

/** DORA's performance bands, elite best. @public */
export type DoraBand = Models.DoraBand;

/**
 * One week of DORA figures: Monday 00:00 UTC to the next Monday, the first
 * and last clipped to the window. `deployments`: changes that reached the
 * environment this week, with the median lead time of those whose run is
 * known; `changes`: deployments started this week that ended, of which
 * `failedChanges` failed, were rolled back or had a rollback started;
 * `restored`: outages that started this week and have been restored, with
 * their median time to restore.
 *
 * @public
 */
export type DoraWeek = Models.DoraWeek;

/**
 * The DORA figures of a component, or of a team's components, for one
 * environment and window (`GET /dora`; the spec's `DoraFigures`). The
 * pipelines backend's README defines each figure. Lead time counts
 * `samples` (deployments whose run is known) and `withoutRun` (counted, not
 * measured); time to restore counts the outages still `open`.
 *
 * @public
 */
export type DoraFigures = Models.DoraFigures;

/**
 * Whose figures: one component, or the components a group owns, and not
 * both (the operation's query allows either and answers 400 to both or
 * neither); the environment (default `production`) and the window (ISO
 * dates; default the last 90 days).
 *
 * @public
 */
export type DoraFilter = GetDoraFigures['query'] &
  ({ component: string; owner?: never } | { owner: string; component?: never });
