// The dependency graph: a layered layout of the (filtered) tasks, the critical path in red, the
// selected task's prerequisites and dependents highlighted; a click opens the task's drawer.
import { useCallback, useMemo } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useGraph } from "../api/queries";
import { filtersFromParams, filtersToParams, filterTasks, type Filters } from "../lib/filters";
import { ancestors, adjacency, criticalPath, descendants } from "../lib/graph";
import { layoutGraph, NODE_H, NODE_W } from "../lib/layout";
import { shortId } from "../lib/format";
import { EmptyState, ErrorMessage, errorText, Loading } from "./common";
import { FilterBar } from "./FilterBar";

const MAX_NODES = 1500;

const FILL: Record<string, string> = {
  ready: "var(--s-ready-bg)",
  claimed: "var(--s-claimed-bg)",
  in_progress: "var(--s-in_progress-bg)",
  implemented: "var(--s-implemented-bg)",
  integrated: "var(--s-integrated-bg)",
  blocked: "var(--s-blocked-bg)",
};
const TEXT: Record<string, string> = {
  ready: "var(--s-ready-fg)",
  claimed: "var(--s-claimed-fg)",
  in_progress: "var(--s-in_progress-fg)",
  implemented: "var(--s-implemented-fg)",
  integrated: "var(--s-integrated-fg)",
  blocked: "var(--s-blocked-fg)",
};

function pathOf(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

function clip(text: string, n: number): string {
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

export function GraphView({ projectId, selected }: { projectId: string; selected?: string }) {
  const graph = useGraph(projectId);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const setFilters = useCallback((f: Filters) => setParams((p) => filtersToParams(f, p), { replace: true }), [setParams]);
  const filterKey = JSON.stringify(filters);

  const data = graph.data;
  const tasks = useMemo(() => filterTasks(data?.tasks ?? [], filters), [data, filterKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const placed = useMemo(
    () => (tasks.length && tasks.length <= MAX_NODES ? layoutGraph(tasks, data?.dependencies ?? []) : null),
    [tasks, data?.dependencies],
  );
  const critical = useMemo(() => criticalPath(tasks, data?.dependencies ?? []), [tasks, data?.dependencies]);
  const selectedId = useMemo(
    () => (selected ? (data?.tasks.find((t) => t.id === selected || t.short_id === selected)?.id ?? selected) : undefined),
    [selected, data],
  );
  const related = useMemo(() => {
    if (!selectedId || !data) return null;
    const adj = adjacency(data.dependencies);
    return { up: ancestors(selectedId, adj), down: descendants(selectedId, adj) };
  }, [selectedId, data]);

  if (graph.isPending) return <Loading label="Loading graph" />;
  if (graph.isError) return <ErrorMessage message={`Failed to load the graph: ${errorText(graph.error)}`} onRetry={() => void graph.refetch()} />;
  if (!data || data.tasks.length === 0) return <EmptyState title="No tasks yet" hint="Create tasks via the API to see their graph." />;

  const classes = [...new Set(data.tasks.map((t) => t.task_class).filter(Boolean) as string[])].sort();
  const caps = [...new Set(data.tasks.flatMap((t) => t.capability_tags ?? []))].sort();
  const search = params.toString();
  const open = (id: string) => navigate({ pathname: `/projects/${projectId}/graph/${id}`, search });
  const inFocus = (id: string) => !related || id === selectedId || related.up.has(id) || related.down.has(id);

  return (
    <div>
      <FilterBar filters={filters} onChange={setFilters} phases={data.phases ?? []} milestones={data.milestones ?? []} taskClasses={classes} capabilities={caps} />
      <div className="graph-legend">
        <span>
          {tasks.length} tasks, {placed?.edges.length ?? 0} dependencies
        </span>
        <span>
          <svg width="28" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="28" y2="4" stroke="#dc2626" strokeWidth="3" />
          </svg>{" "}
          critical path ({critical.nodes.length} open tasks)
        </span>
        <span>
          <svg width="28" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="28" y2="4" stroke="#94a3b8" strokeWidth="2" strokeDasharray="6 3" />
          </svg>{" "}
          unlocks on integrated
        </span>
        {selectedId && <span>Selected: prerequisites and dependents highlighted</span>}
      </div>
      {!placed ? (
        <EmptyState title={tasks.length ? `${tasks.length} tasks are too many to draw` : "No task matches the filters"} hint={tasks.length ? `Filter by phase or milestone to draw at most ${MAX_NODES}.` : undefined} />
      ) : (
        <div className="graph-wrap">
          <svg
            width={placed.width}
            height={placed.height}
            role="img"
            aria-label={`Dependency graph of ${tasks.length} tasks`}
            data-testid="dependency-graph"
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" fill="#94a3b8" />
              </marker>
            </defs>
            {placed.edges.map((e) => {
              const crit = critical.edges.has(`${e.from}->${e.to}`);
              const rel = related && (e.from === selectedId || e.to === selectedId || (related.up.has(e.from) && (related.up.has(e.to) || e.to === selectedId)) || (related.down.has(e.to) && (related.down.has(e.from) || e.from === selectedId)));
              const cls = ["graph-edge", crit && "critical", rel && "related", related && !rel && "dim", e.unlockOn === "integrated" && "integrated-unlock"].filter(Boolean).join(" ");
              return <path key={`${e.from}->${e.to}`} className={cls} d={pathOf(e.points)} markerEnd="url(#arrow)" data-from={e.from} data-to={e.to} />;
            })}
            {placed.nodes.map(({ task, x, y }) => {
              const cls = [
                "graph-node",
                task.id === selectedId && "selected",
                critical.nodes.includes(task.id) && "critical",
                !inFocus(task.id) && "dim",
              ]
                .filter(Boolean)
                .join(" ");
              return (
                <g
                  key={task.id}
                  className={cls}
                  transform={`translate(${x - NODE_W / 2},${y - NODE_H / 2})`}
                  role="button"
                  tabIndex={0}
                  aria-label={`${shortId(task)}: ${task.title} (${task.state.replace(/_/g, " ")})`}
                  data-task-id={task.id}
                  onClick={() => open(task.id)}
                  onKeyDown={(ev) => (ev.key === "Enter" || ev.key === " ") && (ev.preventDefault(), open(task.id))}
                >
                  <rect width={NODE_W} height={NODE_H} rx="8" fill={FILL[task.state] ?? "var(--s-other-bg)"} />
                  <text x="10" y="20" fill={TEXT[task.state] ?? "var(--s-other-fg)"} fontWeight="700" className="mono">
                    {clip(shortId(task), 14)} · {task.state.replace(/_/g, " ")}
                  </text>
                  <text x="10" y="40" fill={TEXT[task.state] ?? "var(--s-other-fg)"}>
                    {clip(task.title, 26)}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      )}
    </div>
  );
}
