/** A scheduled trigger as the pipeline file declares it. */
export type ScheduleEntry = { cron: string; branch?: string };

/** Where a component's scheduled runs build from. */
export type ScheduleSource = {
  repository?: string;
  cloneUrl: string;
  defaultBranch: string;
};

/** A scheduled trigger as kept, with when it fires next. */
export type ScheduleRecord = {
  id: number;
  component: string;
  cron: string;
  branch: string;
  repository?: string;
  cloneUrl: string;
  defaultBranch?: string;
  nextFireAt: string;
  lastFiredAt?: string;
  lastRunId?: string;
};

/**
 * The scheduled triggers of each component's pipeline. The runs of a
 * component's default branch keep them in step with its pipeline file; a
 * task fires those that are due.
 */
export interface ScheduleStore {
  /**
   * Makes the component's schedules what its default branch's pipeline file
   * declares: new ones are added, gone ones removed, and the ones that stay
   * keep their next fire time.
   */
  replaceForComponent(
    component: string,
    entries: ScheduleEntry[],
    source: ScheduleSource,
    now?: Date,
  ): Promise<void>;
  /** The component's schedules, or every one. */
  list(component?: string): Promise<ScheduleRecord[]>;
  /** The schedules due at `now`, earliest first. */
  listDue(now?: Date, limit?: number): Promise<ScheduleRecord[]>;
  /**
   * Moves a due schedule to its next fire time after `now`. Only one caller
   * wins a given fire time, so a schedule never fires twice for one time; a
   * fire time missed while no backend ran fires once, not once per missed
   * time. False for the callers that did not win.
   */
  advance(schedule: ScheduleRecord, now?: Date): Promise<boolean>;
  /** Notes the run a schedule queued, for the page that lists schedules. */
  setLastRun(id: number, runId: string): Promise<void>;
}
