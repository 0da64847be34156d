// The board: one column per active state (Blocked included), then a lane for every other state.
// Filters and collapsed columns live in the URL. A long column renders its first cards and a
// "Show more" button, so a 5 000-task board paints quickly.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useGraph } from "../api/queries";
import type { GraphTask } from "../api/types";
import { BOARD_COLUMNS, filtersFromParams, filtersToParams, filterTasks, groupByColumn, type Filters } from "../lib/filters";
import { stateLabel } from "../lib/format";
import { useLive, useNow } from "../live/LiveProvider";
import { EmptyState, ErrorMessage, errorText, Loading, StateBadge } from "./common";
import { FilterBar } from "./FilterBar";
import { TaskCard } from "./TaskCard";

const PAGE = 100;
const DEFAULT_COLLAPSED = "integrated";

function BoardPlaceholder() {
  return (
    <Loading label="Loading tasks">
      <div className="board">
        {[3, 2, 2, 2].map((n, i) => (
          <div key={i} className="column">
            <div className="placeholder" style={{ height: 24, marginBottom: 8 }} />
            {Array.from({ length: n }, (_, j) => (
              <div key={j} className="placeholder" style={{ height: 72, marginBottom: 8 }} />
            ))}
          </div>
        ))}
      </div>
    </Loading>
  );
}

interface ColumnProps {
  state: string;
  tasks: GraphTask[];
  expanded: boolean;
  onToggle: (state: string) => void;
  onSelect: (id: string) => void;
  lane?: boolean;
}

function Column({ state, tasks, expanded, onToggle, onSelect, lane }: ColumnProps) {
  const [shown, setShown] = useState(PAGE);
  const { state: live } = useLive();
  const now = useNow(1000);
  const label = lane ? "other" : state;
  return (
    <section className={`column${lane ? " other-lane" : ""}`} aria-label={lane ? "Other states" : `${stateLabel(state)} column`} data-column={state}>
      <button type="button" className="column-header" aria-expanded={expanded} onClick={() => onToggle(state)}>
        {lane ? <span className="badge state state-other">other states</span> : <StateBadge state={state} />}
        <span className="count">{tasks.length}</span>
        <span className="toggle" aria-hidden="true">
          {expanded ? "-" : "+"}
        </span>
      </button>
      {expanded && (
        <div className="column-body">
          {tasks.length === 0 && <div className="none">No {stateLabel(label)} tasks</div>}
          {tasks.slice(0, shown).map((t) => (
            <div key={t.id} style={lane ? { display: "flex", flexDirection: "column", gap: 4 } : undefined}>
              {lane && <StateBadge state={t.state} />}
              <TaskCard
                task={t}
                onSelect={onSelect}
                lease={live.leases.get(t.id)}
                reservation={live.reservations.get(t.id)}
                now={live.leases.has(t.id) || live.reservations.has(t.id) ? now : undefined}
              />
            </div>
          ))}
          {tasks.length > shown && (
            <button type="button" className="btn small more" onClick={() => setShown((s) => s + PAGE * 5)}>
              Show {Math.min(PAGE * 5, tasks.length - shown)} more of {tasks.length - shown}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

export function KanbanBoard({ projectId }: { projectId: string }) {
  const graph = useGraph(projectId);
  const navigate = useNavigate();
  const { taskId } = useParams();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const collapsed = new Set((params.get("collapsed") ?? DEFAULT_COLLAPSED).split(",").filter(Boolean));

  const setFilters = useCallback(
    (f: Filters) => setParams((p) => filtersToParams(f, p), { replace: true }),
    [setParams],
  );
  const toggle = useCallback(
    (state: string) =>
      setParams(
        (p) => {
          const set = new Set((p.get("collapsed") ?? DEFAULT_COLLAPSED).split(",").filter(Boolean));
          if (set.has(state)) set.delete(state);
          else set.add(state);
          const out = new URLSearchParams(p);
          out.set("collapsed", [...set].join(","));
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );
  const search = params.toString();
  const onSelect = useCallback(
    (id: string) => navigate({ pathname: `/projects/${projectId}/tasks/${id}`, search }),
    [navigate, projectId, search],
  );

  const tasks = graph.data?.tasks;
  const options = useMemo(() => {
    const classes = new Set<string>();
    const caps = new Set<string>();
    for (const t of tasks ?? []) {
      if (t.task_class) classes.add(t.task_class);
      for (const c of t.capability_tags ?? []) caps.add(c);
    }
    return { classes: [...classes].sort(), caps: [...caps].sort() };
  }, [tasks]);
  const filterKey = JSON.stringify(filters);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => groupByColumn(filterTasks(tasks ?? [], filters)), [tasks, filterKey]);
  const hasTasks = !!tasks?.length;
  // The board benchmark's marks: the first cards are in the DOM, then on screen (the task after
  // the next frame runs once that frame has been painted).
  useEffect(() => {
    if (!hasTasks || performance.getEntriesByName("tascade:board-rendered").length) return;
    performance.mark("tascade:board-rendered");
    requestAnimationFrame(() => setTimeout(() => performance.mark("tascade:board-painted"), 0));
  }, [hasTasks]);

  if (graph.isPending) return <BoardPlaceholder />;
  if (graph.isError)
    return <ErrorMessage message={`Failed to load tasks: ${errorText(graph.error)}`} onRetry={() => void graph.refetch()} />;
  if (!tasks || tasks.length === 0)
    return <EmptyState title="No tasks yet" hint="Create tasks via the API to see them on the board." />;

  return (
    <div data-selected-task={taskId ?? ""}>
      <FilterBar
        filters={filters}
        onChange={setFilters}
        phases={graph.data.phases ?? []}
        milestones={graph.data.milestones ?? []}
        taskClasses={options.classes}
        capabilities={options.caps}
      />
      <div className="board">
        {BOARD_COLUMNS.map((s) => (
          <Column key={s} state={s} tasks={columns.get(s)!} expanded={!collapsed.has(s)} onToggle={toggle} onSelect={onSelect} />
        ))}
      </div>
      <Column state="other" lane tasks={columns.get("other")!} expanded={!collapsed.has("other")} onToggle={toggle} onSelect={onSelect} />
    </div>
  );
}
