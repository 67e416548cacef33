import { jsonEqual } from './jsonEqual';
import {
  describePath,
  enclosingItems,
  FieldPath,
  fieldSet,
  isUnder,
  removeAt,
  segmentsOf,
  toFieldsV1,
  valueAt,
} from './fieldPaths';
import { timestamp } from './kinds';
import { mergeApplied } from './merge';
import { FakeResourceType } from './resources';
import { applyConflict } from './status';
import { KubeObject, ManagedFieldsEntry } from './types';

/** One manager's fields of one object. */
export type OwnershipEntry = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  paths: Set<FieldPath>;
};

function copy(entries: OwnershipEntry[]): OwnershipEntry[] {
  return entries.map(e => ({ ...e, paths: new Set(e.paths) }));
}

function isItemPath(path: FieldPath) {
  const segments = segmentsOf(path);
  return segments[segments.length - 1].startsWith('k:');
}

/** Whether a leaf is one of the key fields of the list item it sits in. */
function isItemKeyField(path: FieldPath) {
  const segments = segmentsOf(path);
  const parent = segments[segments.length - 2];
  if (segments.length < 2 || !parent.startsWith('k:')) return false;
  const key = JSON.parse(parent.slice(2)) as Record<string, unknown>;
  return segments[segments.length - 1].slice(2) in key;
}

/**
 * The outcome of a server-side apply by `manager`: the merged object and the
 * new ownership. Fields another manager owns with a different value are
 * conflicts: refused unless `force`, which takes them over. Fields the
 * manager applied before and no longer applies are removed, unless someone
 * else owns them too.
 */
export function planApply(options: {
  resource: FakeResourceType;
  live: KubeObject | undefined;
  entries: OwnershipEntry[];
  applied: KubeObject;
  manager: string;
  force: boolean;
}): { object: KubeObject; entries: OwnershipEntry[] } {
  const { resource, live, applied, manager, force } = options;
  const appliedPaths = fieldSet(applied);
  const isMine = (e: OwnershipEntry) =>
    e.manager === manager && e.operation === 'Apply';
  const entries = copy(options.entries);
  const mine = entries.find(isMine);
  const others = entries.filter(e => !isMine(e));

  if (live) {
    const conflicts: Array<{
      manager: string;
      field: string;
      path: FieldPath;
      entry: OwnershipEntry;
    }> = [];
    for (const entry of others) {
      for (const path of appliedPaths) {
        if (!entry.paths.has(path) || isItemPath(path)) continue;
        const current = valueAt(live, path);
        if (
          !current.found ||
          !jsonEqual(current.value, valueAt(applied, path).value)
        ) {
          conflicts.push({
            manager: entry.manager,
            field: describePath(path),
            path,
            entry,
          });
        }
      }
    }
    if (conflicts.length && !force) {
      throw applyConflict(resource, applied.metadata.name, conflicts);
    }
    for (const c of conflicts) c.entry.paths.delete(c.path);
  }

  let result = structuredClone(live ?? applied) as KubeObject;
  if (live && mine) {
    const ownedByOthers = (path: FieldPath) =>
      others.some(e => [...e.paths].some(p => isUnder(p, path)));
    const dropped = [...mine.paths].filter(
      p => !appliedPaths.has(p) && !others.some(e => e.paths.has(p)),
    );
    const droppedItems = new Set(
      dropped.filter(
        p =>
          isItemPath(p) &&
          !ownedByOthers(p) &&
          ![...appliedPaths].some(a => isUnder(a, p)),
      ),
    );
    for (const path of dropped) {
      if (isItemPath(path)) {
        if (droppedItems.has(path)) removeAt(result, path);
      } else if (
        !enclosingItems(path).some(item => droppedItems.has(item)) &&
        !isItemKeyField(path)
      ) {
        removeAt(result, path);
      }
    }
  }
  result = mergeApplied(result, applied) as KubeObject;

  const next = others.filter(e => e.paths.size > 0);
  next.push({
    manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion ?? '',
    time: timestamp(),
    paths: appliedPaths,
  });
  return { object: result, entries: next };
}

/**
 * Ownership after a create, replace or patch by `manager`: it takes the
 * fields it changed from whoever had them, as Kubernetes does for updates.
 */
export function planUpdate(options: {
  before: KubeObject | undefined;
  after: KubeObject;
  entries: OwnershipEntry[];
  manager: string;
}): OwnershipEntry[] {
  const { before, after, manager } = options;
  const beforePaths = before ? fieldSet(before) : new Set<FieldPath>();
  const afterPaths = fieldSet(after);
  const changed = [...afterPaths].filter(
    p =>
      !beforePaths.has(p) ||
      !jsonEqual(valueAt(before, p).value, valueAt(after, p).value),
  );
  const removed = [...beforePaths].filter(p => !afterPaths.has(p));
  const entries = copy(options.entries);
  for (const entry of entries) {
    for (const p of [...changed, ...removed]) entry.paths.delete(p);
  }
  if (changed.length) {
    let mine = entries.find(
      e => e.manager === manager && e.operation === 'Update',
    );
    if (!mine) {
      mine = {
        manager,
        operation: 'Update',
        apiVersion: after.apiVersion ?? '',
        time: '',
        paths: new Set(),
      };
      entries.push(mine);
    }
    mine.time = timestamp();
    for (const p of changed) mine.paths.add(p);
  }
  return entries.filter(e => e.paths.size > 0);
}

/** Ownership as `metadata.managedFields` shows it. */
export function renderManagedFields(
  entries: OwnershipEntry[],
): ManagedFieldsEntry[] {
  return entries.map(e => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.paths),
  }));
}
