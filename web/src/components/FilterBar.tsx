// Six filters over the board: phase, milestone, state, task class, capability and a search box.
import type { Milestone, Phase } from "../api/types";
import type { Filters } from "../lib/filters";
import { stateLabel } from "../lib/format";

interface Props {
  filters: Filters;
  onChange: (f: Filters) => void;
  phases: Phase[];
  milestones: Milestone[];
  taskClasses: string[];
  capabilities: string[];
}

const STATE_OPTIONS = ["ready", "claimed", "in_progress", "implemented", "integrated", "blocked", "backlog", "reserved", "conflict", "abandoned", "cancelled"];

export function FilterBar({ filters, onChange, phases, milestones, taskClasses, capabilities }: Props) {
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => onChange({ ...filters, [k]: e.target.value });
  return (
    <div className="filters" role="search" aria-label="Task filters">
      <select aria-label="Filter by phase" value={filters.phase} onChange={set("phase")}>
        <option value="">All phases</option>
        {phases.map((p) => (
          <option key={p.id} value={p.id}>
            {p.short_id || p.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by milestone" value={filters.milestone} onChange={set("milestone")}>
        <option value="">All milestones</option>
        {milestones.map((m) => (
          <option key={m.id} value={m.id}>
            {m.short_id || m.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by state" value={filters.state} onChange={set("state")}>
        <option value="">All states</option>
        {STATE_OPTIONS.map((s) => (
          <option key={s} value={s}>
            {stateLabel(s)}
          </option>
        ))}
      </select>
      <select aria-label="Filter by task class" value={filters.taskClass} onChange={set("taskClass")}>
        <option value="">All classes</option>
        {taskClasses.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select aria-label="Filter by capability" value={filters.capability} onChange={set("capability")}>
        <option value="">All capabilities</option>
        {capabilities.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <input type="search" aria-label="Search tasks" placeholder="Search tasks..." value={filters.search} onChange={set("search")} />
    </div>
  );
}
