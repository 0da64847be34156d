// Pure graph helpers over the project graph: an edge from A to B means B depends on A.
import type { Dependency, GraphTask } from "../api/types";

export interface Adjacency {
  /** task -> the tasks it depends on (edges into it) */
  prerequisites: Map<string, string[]>;
  /** task -> the tasks that depend on it (edges out of it) */
  dependents: Map<string, string[]>;
}

export function adjacency(edges: Dependency[]): Adjacency {
  const prerequisites = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  for (const e of edges) {
    (prerequisites.get(e.to_task_id) ?? prerequisites.set(e.to_task_id, []).get(e.to_task_id)!).push(e.from_task_id);
    (dependents.get(e.from_task_id) ?? dependents.set(e.from_task_id, []).get(e.from_task_id)!).push(e.to_task_id);
  }
  return { prerequisites, dependents };
}

function reach(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) stack.push(n);
  }
  return seen;
}

/** Every task `id` transitively depends on. */
export function ancestors(id: string, adj: Adjacency): Set<string> {
  return reach(id, adj.prerequisites);
}

/** Every task that transitively depends on `id`. */
export function descendants(id: string, adj: Adjacency): Set<string> {
  return reach(id, adj.dependents);
}

const FINISHED = new Set(["integrated", "cancelled", "abandoned"]);

/**
 * The critical path: the longest chain of unfinished tasks through the dependency graph (each
 * unfinished task counts 1, finished tasks 0), as the task ids from first to last, plus the
 * edges along it as "from->to". Empty when every task is finished. The graph has no cycle.
 */
export function criticalPath(tasks: GraphTask[], edges: Dependency[]): { nodes: string[]; edges: Set<string> } {
  const adj = adjacency(edges);
  const weight = new Map(tasks.map((t) => [t.id, FINISHED.has(t.state) ? 0 : 1]));
  // Kahn's order, then the longest weighted path ending at each task.
  const indegree = new Map(tasks.map((t) => [t.id, 0]));
  for (const e of edges) if (indegree.has(e.to_task_id) && weight.has(e.from_task_id)) indegree.set(e.to_task_id, indegree.get(e.to_task_id)! + 1);
  const queue = tasks.filter((t) => indegree.get(t.id) === 0).map((t) => t.id);
  const best = new Map<string, number>();
  const prev = new Map<string, string | null>();
  for (const id of queue) {
    best.set(id, weight.get(id)!);
    prev.set(id, null);
  }
  for (let i = 0; i < queue.length; ++i) {
    const id = queue[i];
    for (const d of adj.dependents.get(id) ?? []) {
      if (!indegree.has(d)) continue;
      const candidate = best.get(id)! + weight.get(d)!;
      if (!best.has(d) || candidate > best.get(d)!) {
        best.set(d, candidate);
        prev.set(d, id);
      }
      indegree.set(d, indegree.get(d)! - 1);
      if (indegree.get(d) === 0) queue.push(d);
    }
  }
  let end: string | null = null;
  let top = 0;
  for (const [id, v] of best) if (v > top) [end, top] = [id, v];
  const nodes: string[] = [];
  for (let at = end; at; at = prev.get(at) ?? null) nodes.unshift(at);
  // Leading finished tasks add nothing to the path's length: drop them.
  while (nodes.length && FINISHED.has(tasks.find((t) => t.id === nodes[0])?.state ?? "")) nodes.shift();
  const edgeSet = new Set<string>();
  for (let i = 1; i < nodes.length; ++i) edgeSet.add(`${nodes[i - 1]}->${nodes[i]}`);
  return { nodes, edges: edgeSet };
}
