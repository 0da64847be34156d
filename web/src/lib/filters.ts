// The board's filters, kept in the URL's query string so a view can be shared.
import type { GraphTask } from "../api/types";

export interface Filters {
  phase: string;
  milestone: string;
  state: string;
  taskClass: string;
  capability: string;
  search: string;
}

export const EMPTY_FILTERS: Filters = { phase: "", milestone: "", state: "", taskClass: "", capability: "", search: "" };

const PARAM: Record<keyof Filters, string> = {
  phase: "phase",
  milestone: "milestone",
  state: "state",
  taskClass: "class",
  capability: "cap",
  search: "q",
};

export function filtersFromParams(p: URLSearchParams): Filters {
  const f = { ...EMPTY_FILTERS };
  for (const k of Object.keys(PARAM) as (keyof Filters)[]) f[k] = p.get(PARAM[k]) ?? "";
  return f;
}

/** `params` with the filters written in (empty ones removed); other parameters kept. */
export function filtersToParams(f: Filters, params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of Object.keys(PARAM) as (keyof Filters)[]) {
    if (f[k]) out.set(PARAM[k], f[k]);
    else out.delete(PARAM[k]);
  }
  return out;
}

/** Every filter combines with AND; the search is a case-insensitive substring of title, short id or description. */
export function filterTasks(tasks: GraphTask[], f: Filters): GraphTask[] {
  const q = f.search.trim().toLowerCase();
  return tasks.filter(
    (t) =>
      (!f.phase || t.phase_id === f.phase) &&
      (!f.milestone || t.milestone_id === f.milestone) &&
      (!f.state || t.state === f.state) &&
      (!f.taskClass || t.task_class === f.taskClass) &&
      (!f.capability || (t.capability_tags ?? []).includes(f.capability)) &&
      (!q ||
        t.title.toLowerCase().includes(q) ||
        (t.short_id ?? "").toLowerCase().includes(q) ||
        (t.description ?? "").toLowerCase().includes(q)),
  );
}

export const BOARD_COLUMNS = ["ready", "claimed", "in_progress", "implemented", "integrated", "blocked"] as const;
export const OTHER_STATES = ["backlog", "reserved", "conflict", "abandoned", "cancelled"];

// One collator for every comparison: String.localeCompare with options builds one per call,
// which made sorting a 5 000-task board take seconds.
const collator = new Intl.Collator(undefined, { numeric: true });

/** Tasks per board column, each sorted by priority (lower first), then short id; the rest under "other". */
export function groupByColumn(tasks: GraphTask[]): Map<string, GraphTask[]> {
  const out = new Map<string, GraphTask[]>();
  for (const c of BOARD_COLUMNS) out.set(c, []);
  out.set("other", []);
  for (const t of tasks) (out.get(t.state) ?? out.get("other")!).push(t);
  for (const list of out.values())
    list.sort((a, b) => a.priority - b.priority || collator.compare(a.short_id ?? a.id, b.short_id ?? b.id));
  return out;
}
