/** A stage or a step as the DAG sees it. @public */
export interface DagNode {
  name: string;
  needs: string[];
}

/** Something wrong with `needs`: a name that is not there, or a cycle. @public */
export type DagProblem =
  | { type: 'unknown'; node: string; needIndex: number; need: string }
  | { type: 'self'; node: string; needIndex: number }
  | {
      type: 'cycle';
      /** The nodes in the order they need each other, the first repeated at the end. */
      cycle: string[];
    };

/**
 * Every problem with the `needs` of a set of nodes: unknown names, nodes
 * that need themselves, and each cycle (one per strongly connected group,
 * reported from the node that comes first).
 *
 * @public
 */
export function checkDag(nodes: DagNode[]): DagProblem[] {
  const problems: DagProblem[] = [];
  const names = new Set(nodes.map(n => n.name));
  const edges = new Map<string, string[]>();
  for (const node of nodes) {
    const valid: string[] = [];
    node.needs.forEach((need, needIndex) => {
      if (need === node.name) {
        problems.push({ type: 'self', node: node.name, needIndex });
      } else if (!names.has(need)) {
        problems.push({ type: 'unknown', node: node.name, needIndex, need });
      } else {
        valid.push(need);
      }
    });
    edges.set(node.name, valid);
  }
  for (const component of stronglyConnected(
    nodes.map(n => n.name),
    edges,
  )) {
    if (component.length > 1) {
      problems.push({ type: 'cycle', cycle: cycleWithin(component, edges) });
    }
  }
  return problems;
}

/** Tarjan's algorithm; components come in no particular order. */
function stronglyConnected(
  names: string[],
  edges: Map<string, string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  const visit = (name: string) => {
    index.set(name, counter);
    low.set(name, counter);
    counter++;
    stack.push(name);
    onStack.add(name);
    for (const next of edges.get(name) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(name, Math.min(low.get(name)!, index.get(next)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      result.push(component);
    }
  };
  for (const name of names) {
    if (!index.has(name)) visit(name);
  }
  // Report cycles in the order their first member appears.
  const position = new Map(names.map((n, i) => [n, i]));
  return result
    .map(c => c.sort((a, b) => position.get(a)! - position.get(b)!))
    .sort((a, b) => position.get(a[0])! - position.get(b[0])!);
}

/** A cycle through the first member of a strongly connected component. */
function cycleWithin(component: string[], edges: Map<string, string[]>) {
  const members = new Set(component);
  const start = component[0];
  // Breadth-first from the start's needs back to the start: the shortest cycle.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const current = queue.shift()!;
    for (const next of edges.get(current) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = current; at !== start; at = previous.get(at)!) {
          path.splice(1, 0, at);
        }
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  // Unreachable: every node of a component reaches every other.
  return [...component, start];
}

/**
 * The nodes in an order in which each comes after everything it needs,
 * ties kept in the given order. Throws on a cycle or an unknown name.
 *
 * @public
 */
export function topologicalOrder(nodes: DagNode[]): string[] {
  const problems = checkDag(nodes);
  if (problems.length) {
    throw new Error(`Not a DAG: ${JSON.stringify(problems[0])}`);
  }
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    for (const node of nodes) {
      if (!done.has(node.name) && node.needs.every(n => done.has(n))) {
        done.add(node.name);
        order.push(node.name);
      }
    }
  }
  return order;
}

/**
 * Everything a node needs, directly or through what it needs.
 *
 * @public
 */
export function ancestorsOf(nodes: DagNode[], name: string): Set<string> {
  const byName = new Map(nodes.map(n => [n.name, n]));
  const seen = new Set<string>();
  const pending = [...(byName.get(name)?.needs ?? [])];
  while (pending.length) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(byName.get(next)?.needs ?? []));
  }
  return seen;
}
