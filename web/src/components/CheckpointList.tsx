// Open gate checkpoints with type, readiness and milestone filters, sorted by age.
import { useState } from "react";
import { Link } from "react-router";
import { useCheckpoints, useGraph } from "../api/queries";
import type { Checkpoint } from "../api/types";
import { ageLabel, shortId } from "../lib/format";
import { EmptyState, ErrorMessage, errorText } from "./common";

const DIM = new Set(["integrated", "cancelled", "abandoned"]);

function gateBadge(type: string) {
  if (type === "review_gate") return <span className="badge state-ready">Review</span>;
  if (type === "merge_gate") return <span className="badge state-in_progress">Merge</span>;
  return <span className="badge neutral">{type.replace("_", " ")}</span>;
}

export function isBlocked(c: Checkpoint): boolean {
  return (c.risk_summary?.candidate_blocked ?? 0) > 0;
}

export function CheckpointRow({ projectId, checkpoint: c }: { projectId: string; checkpoint: Checkpoint }) {
  const overdue = c.age_hours >= 48;
  return (
    <tr style={{ opacity: DIM.has(c.state) ? 0.5 : 1 }}>
      <td>
        <Link className="mono" to={`/projects/${projectId}/tasks/${c.task_id}`}>
          {c.task_short_id || shortId({ id: c.task_id })}
        </Link>{" "}
        <span className="muted" style={{ display: "inline-block", maxWidth: 200, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", verticalAlign: "bottom" }}>
          {c.title}
        </span>
      </td>
      <td>{gateBadge(c.gate_type)}</td>
      <td>{isBlocked(c) ? <span className="badge state-blocked">blocked</span> : <span className="badge state-integrated">ready</span>}</td>
      <td style={overdue ? { fontWeight: 700, color: "var(--warn)" } : undefined}>{ageLabel(c.age_hours)}</td>
      <td>{overdue ? <span className="badge state-blocked">Overdue</span> : <span className="badge state-integrated">On track</span>}</td>
    </tr>
  );
}

const HEADERS = ["Task", "Gate Type", "Readiness", "Age", "SLA"];

export function CheckpointList({ projectId }: { projectId: string }) {
  const [showCompleted, setShowCompleted] = useState(false);
  const [type, setType] = useState("");
  const [readiness, setReadiness] = useState("");
  const [milestone, setMilestone] = useState("");
  const [sort, setSort] = useState("newest");
  const checkpoints = useCheckpoints(projectId, showCompleted);
  const graph = useGraph(projectId);

  if (checkpoints.isPending)
    return (
      <div role="status" aria-label="Loading checkpoints">
        <div className="placeholder" style={{ height: 30, marginBottom: 8 }} />
        <table>
          <thead>
            <tr>
              {HEADERS.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[0, 1, 2, 3].map((i) => (
              <tr key={i}>
                <td colSpan={5}>
                  <div className="placeholder" style={{ height: 18 }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  if (checkpoints.isError)
    return <ErrorMessage message={`Failed to load checkpoints: ${errorText(checkpoints.error)}`} onRetry={() => void checkpoints.refetch()} />;
  const all = checkpoints.data;
  if (all.length === 0 && !showCompleted)
    return <EmptyState title="No checkpoints" hint="Gate checkpoints will appear here when tasks have associated gate rules." />;
  const rows = all
    .filter((c) => !type || c.gate_type === type)
    .filter((c) => !readiness || (readiness === "blocked") === isBlocked(c))
    .filter((c) => !milestone || c.scope?.milestone_id === milestone)
    .sort((a, b) => (sort === "newest" ? a.age_hours - b.age_hours : b.age_hours - a.age_hours));
  return (
    <div>
      <div className="filters">
        <label htmlFor="cp-type">Type</label>
        <select id="cp-type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All</option>
          <option value="review_gate">Review</option>
          <option value="merge_gate">Merge</option>
        </select>
        <label htmlFor="cp-ready">Readiness</label>
        <select id="cp-ready" value={readiness} onChange={(e) => setReadiness(e.target.value)}>
          <option value="">All</option>
          <option value="ready">Ready</option>
          <option value="blocked">Blocked</option>
        </select>
        <label htmlFor="cp-ms">Milestone</label>
        <select id="cp-ms" value={milestone} onChange={(e) => setMilestone(e.target.value)}>
          <option value="">All</option>
          {(graph.data?.milestones ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.short_id || m.name}
            </option>
          ))}
        </select>
        <label htmlFor="cp-sort">Sort</label>
        <select id="cp-sort" value={sort} onChange={(e) => setSort(e.target.value)}>
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
        </select>
        <label>
          <input type="checkbox" checked={showCompleted} onChange={(e) => setShowCompleted(e.target.checked)} /> Show completed
        </label>
        <span style={{ marginLeft: "auto" }} className="muted">
          {rows.length} {rows.length === 1 ? "checkpoint" : "checkpoints"}
        </span>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No checkpoints match the current filters." />
      ) : (
        <table>
          <thead>
            <tr>
              {HEADERS.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <CheckpointRow key={c.task_id} projectId={projectId} checkpoint={c} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
