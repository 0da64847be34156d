// A project on the projects page: one link with a health dot, status, date and state chips.
import { Link } from "react-router";
import { useGraph } from "../api/queries";
import type { Project } from "../api/types";
import { projectHealth, shortDate, stateLabel } from "../lib/format";
import { stateClass } from "./common";

export function HealthDot({ level }: { level: string }) {
  return <span role="img" aria-label={`Health: ${level}`} title={`Health: ${level}`} className={`health health-${level}`} />;
}

export function ProjectCard({ project }: { project: Project }) {
  const graph = useGraph(project.id, { poll: false });
  const counts = new Map<string, number>();
  for (const t of graph.data?.tasks ?? []) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const health = projectHealth((graph.data?.tasks ?? []).map((t) => t.state));
  return (
    <Link to={`/projects/${project.id}/tasks`} className="card project-card">
      <div className="head">
        <HealthDot level={health} />
        <span className="name">{project.name}</span>
      </div>
      <div style={{ display: "flex", gap: 8, alignItems: "center", marginTop: 6 }}>
        <span className="badge secondary">{project.status}</span>
        <span className="muted" style={{ fontSize: 12 }}>
          Created {shortDate(project.created_at)}
        </span>
      </div>
      <div style={{ marginTop: 8, fontSize: 13 }}>
        {graph.isPending ? (
          <span className="muted">Loading tasks...</span>
        ) : graph.isError ? (
          <span style={{ color: "var(--destructive)" }}>Failed to load tasks</span>
        ) : counts.size === 0 ? (
          <span className="muted">No tasks yet</span>
        ) : (
          <div className="chips">
            {[...counts].map(([s, n]) => (
              <span key={s} className={`badge state ${stateClass(s)}`}>
                {stateLabel(s)} {n}
              </span>
            ))}
          </div>
        )}
      </div>
    </Link>
  );
}
