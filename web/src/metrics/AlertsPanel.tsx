// Metric alerts (open first, then resolved; acknowledged and resolved ones dimmed) with
// Acknowledge on open ones for planner keys, and the workflow suggestions (a planner-only
// route: hidden once refused).
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { useAuth } from "../auth/AuthProvider";
import { errorText } from "../components/common";
import { shortDateTime } from "../lib/format";
import { acknowledgeAlert, useActions, useAlerts, type Alert } from "./api";
import { alertMetricLabel, alertThreshold, alertValue } from "./format";

/** Open and unacknowledged first, then open and acknowledged, then resolved (newest first within each). */
function rank(a: Alert): number {
  return (a.status === "resolved" ? 2 : 0) + (a.acknowledged_at ? 1 : 0);
}

export function AlertsPanel({ projectId }: { projectId: string }) {
  const alerts = useAlerts(projectId);
  const { forbidden, markForbidden } = useAuth();
  const qc = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const canAck = !forbidden.has("acknowledge");
  const ack = async (a: Alert) => {
    setProblem(null);
    try {
      await acknowledgeAlert(projectId, a.id);
      await qc.invalidateQueries({ queryKey: ["metrics", projectId, "alerts"] });
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        markForbidden("acknowledge");
        setProblem("Acknowledging alerts needs a planner key.");
      } else setProblem(`Failed to acknowledge: ${errorText(e)}`);
    }
  };
  const list = [...(alerts.data ?? [])].sort((a, b) => rank(a) - rank(b));
  return (
    <section aria-label="Alerts" className="card">
      <h2 style={{ marginTop: 0 }}>Alerts</h2>
      {problem && <div role="alert" className="alert">{problem}</div>}
      {alerts.isPending ? (
        <div className="placeholder" style={{ height: 60 }} />
      ) : alerts.isError ? (
        <p className="muted">Alerts unavailable ({errorText(alerts.error)}).</p>
      ) : list.length === 0 ? (
        <p className="muted">No alerts.</p>
      ) : (
        <table aria-label="Metric alerts">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Metric</th>
              <th>Reading</th>
              <th>Raised</th>
              <th>Status</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-alert-id={a.id} style={{ opacity: a.acknowledged_at || a.status === "resolved" ? 0.6 : 1 }}>
                <td>
                  <span className={`badge sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>
                  {alertMetricLabel(a.metric_key)} <span className="muted mono">{a.metric_key}</span>
                </td>
                <td>
                  {alertValue(a.metric_key, a.value)}
                  {a.threshold !== null && <span className="muted"> ({alertThreshold(a.metric_key, a.threshold, a.context?.direction)})</span>}
                </td>
                <td>{shortDateTime(a.created_at)}</td>
                <td>{a.status === "resolved" ? `resolved ${a.resolved_at ? shortDateTime(a.resolved_at) : ""}` : "open"}</td>
                <td>
                  {a.acknowledged_at ? (
                    <span className="muted">acknowledged</span>
                  ) : (
                    canAck &&
                    a.status !== "resolved" && (
                      <button type="button" className="btn small" onClick={() => void ack(a)}>
                        Acknowledge
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ActionsPanel({ projectId }: { projectId: string }) {
  const { forbidden, markForbidden } = useAuth();
  const actions = useActions(projectId, !forbidden.has("actions"));
  if (actions.isError && (actions.error as ApiError).status === 403) {
    if (!forbidden.has("actions")) queueMicrotask(() => markForbidden("actions"));
  }
  if (forbidden.has("actions")) return null;
  return (
    <section aria-label="Suggested actions" className="card">
      <h2 style={{ marginTop: 0 }}>Suggested actions</h2>
      {actions.isPending ? (
        <div className="placeholder" style={{ height: 40 }} />
      ) : actions.isError ? (
        <p className="muted">Suggestions unavailable ({errorText(actions.error)}).</p>
      ) : !actions.data?.length ? (
        <p className="muted">No suggestions.</p>
      ) : (
        <ul>
          {actions.data.map((s, i) => (
            <li key={i}>
              <strong>{s.action_type.replace(/_/g, " ")}</strong>
              {s.confidence !== undefined && <span className="muted"> ({Math.round(s.confidence * 100)}% confidence)</span>}
              {s.rationale && <span> — {s.rationale}</span>}
              {!!s.affected_tasks?.length && <span className="muted"> · {s.affected_tasks.length} affected tasks</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
