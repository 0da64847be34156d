// Layered layout of the dependency graph (dagre, left to right).
import { Graph, layout } from "@dagrejs/dagre";
import type { Dependency, GraphTask } from "../api/types";

export const NODE_W = 190;
export const NODE_H = 54;

export interface Placed {
  nodes: { task: GraphTask; x: number; y: number }[];
  edges: { from: string; to: string; unlockOn?: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

export function layoutGraph(tasks: GraphTask[], deps: Dependency[]): Placed {
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 60, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.id));
  for (const t of tasks) g.setNode(t.id, { width: NODE_W, height: NODE_H });
  const edges = deps.filter((d) => ids.has(d.from_task_id) && ids.has(d.to_task_id));
  for (const e of edges) g.setEdge(e.from_task_id, e.to_task_id);
  layout(g);
  const label = g.graph() as { width?: number; height?: number };
  return {
    nodes: tasks.map((task) => {
      const n = g.node(task.id) as { x: number; y: number };
      return { task, x: n.x, y: n.y };
    }),
    edges: edges.map((e) => ({
      from: e.from_task_id,
      to: e.to_task_id,
      unlockOn: e.unlock_on,
      points: ((g.edge(e.from_task_id, e.to_task_id) as { points?: { x: number; y: number }[] }).points ?? []),
    })),
    width: label.width ?? 0,
    height: label.height ?? 0,
  };
}
