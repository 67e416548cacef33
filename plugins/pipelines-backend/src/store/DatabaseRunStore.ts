import { Knex } from 'knex';
import { DatabaseArtifactStore } from './DatabaseArtifactStore';
import { DatabaseRunQueueStore } from './DatabaseRunQueueStore';
import { DatabaseRunSourceStore } from './DatabaseRunSourceStore';
import { DatabaseStepRunStore } from './DatabaseStepRunStore';
import { DatabaseWorkspaceStore } from './DatabaseWorkspaceStore';
import { RunStore } from './RunStore';

/**
 * The run store on the plugin's database: each concern's Database store on
 * the same client, as one {@link RunStore}. The tables must be migrated
 * (`createPipelinesStores` does it).
 */
export function createDatabaseRunStore(db: Knex): RunStore {
  const queue = new DatabaseRunQueueStore(db);
  const source = new DatabaseRunSourceStore(db);
  const steps = new DatabaseStepRunStore(db);
  const artifacts = new DatabaseArtifactStore(db);
  const workspaces = new DatabaseWorkspaceStore(db);
  return {
    enqueue: queue.enqueue.bind(queue),
    get: queue.get.bind(queue),
    find: queue.find.bind(queue),
    list: queue.list.bind(queue),
    listByIds: queue.listByIds.bind(queue),
    listFinished: queue.listFinished.bind(queue),
    listSuperseded: queue.listSuperseded.bind(queue),
    claimNext: queue.claimNext.bind(queue),
    renewLease: queue.renewLease.bind(queue),
    finish: queue.finish.bind(queue),
    requestCancel: queue.requestCancel.bind(queue),
    failExpired: queue.failExpired.bind(queue),
    rerun: queue.rerun.bind(queue),

    setCommit: source.setCommit.bind(source),
    setDefinition: source.setDefinition.bind(source),
    lastKnownDefaultBranch: source.lastKnownDefaultBranch.bind(source),

    listSteps: steps.listSteps.bind(steps),
    startStep: steps.startStep.bind(steps),
    countTry: steps.countTry.bind(steps),
    setWaitingFor: steps.setWaitingFor.bind(steps),
    recordStep: steps.recordStep.bind(steps),
    finishStep: steps.finishStep.bind(steps),
    appendLog: steps.appendLog.bind(steps),
    readLog: steps.readLog.bind(steps),

    addArtifact: artifacts.addArtifact.bind(artifacts),
    listArtifacts: artifacts.listArtifacts.bind(artifacts),
    listArtifactsByDigest: artifacts.listArtifactsByDigest.bind(artifacts),

    setWorkspace: workspaces.setWorkspace.bind(workspaces),
    clearWorkspace: workspaces.clearWorkspace.bind(workspaces),
    listWorkspaces: workspaces.listWorkspaces.bind(workspaces),
  };
}
