// The task drawer: a modal side sheet with the work spec, the lease, dependencies both ways,
// artifacts, integration attempts, gate decisions and the task's timeline from the event log.
import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import {
  useArtifacts,
  useGateDecisions,
  useGraph,
  useIntegrationAttempts,
  useTask,
  useTaskEvents,
} from "../api/queries";
import type { EventRecord, GraphTask } from "../api/types";
import { shortDateTime, shortId, stateLabel } from "../lib/format";
import { useLive, useNow } from "../live/LiveProvider";
import { taskOf } from "../live/liveState";
import { ErrorMessage, errorText, Loading, StateBadge } from "./common";
import { LeaseLine, ReservationLine } from "./LeaseLine";

interface Props {
  projectId: string;
  taskId?: string;
  /** Where the drawer's task links point: `${base}/<task id>`. */
  basePath: string;
  onClose: () => void;
}

export function DependencyLink({ projectId, task, basePath }: { projectId: string; task: { id: string; short_id?: string }; basePath?: string }) {
  const [params] = useSearchParams();
  const search = params.toString();
  return (
    <Link className="mono" to={{ pathname: `${basePath ?? `/projects/${projectId}/tasks`}/${task.id}`, search: search ? `?${search}` : "" }}>
      {shortId(task)}
    </Link>
  );
}

const OUTCOME_BADGE: Record<string, string> = { approved: "primary", rejected: "destructive", approved_with_risk: "secondary" };
const CHECK_BADGE: Record<string, string> = { passed: "primary", pending: "secondary", failed: "destructive" };

/** One line of the timeline: what happened, by whom, with the detail that matters. */
export function describeEvent(ev: EventRecord): string {
  const p = ev.payload ?? {};
  const s = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : undefined);
  switch (ev.type) {
    case "task_created":
      return "created";
    case "task_claimed":
      return `claimed by ${s("agent_id") ?? s("agent") ?? "?"}`;
    case "lease_renewed":
      return "heartbeat";
    case "lease_expired":
      return `lease of ${s("agent_id") ?? s("agent") ?? "?"} expired`;
    case "lease_invalidated":
      return "lease invalidated by a plan change";
    case "task_assigned":
      return `reserved for ${s("assignee_agent_id") ?? s("assignee") ?? "?"}`;
    case "reservation_released":
      return "reservation released";
    case "task_state_transitioned": {
      const from = s("from") ?? s("from_state");
      const to = s("to") ?? s("to_state");
      const reason = s("reason");
      const by = s("actor_id") ?? s("actor");
      return `${from ? stateLabel(from) + " → " : ""}${stateLabel(to ?? "?")}${by ? ` by ${by}` : ""}${reason ? ` (${reason})` : ""}`;
    }
    case "artifact_recorded":
      return `artifact ${s("branch") ?? ""} ${s("commit_sha")?.slice(0, 7) ?? ""} ${s("check_status") ?? ""}`.replace(/\s+/g, " ").trim();
    case "integration_attempt_enqueued":
      return "integration attempt enqueued";
    case "integration_result_recorded":
      return `integration ${s("result") ?? "result"}`;
    case "gate_decision_recorded":
      return `gate decision: ${stateLabel(s("outcome") ?? "?")}`;
    case "scope_drift_detected":
      return "scope drift detected";
    default:
      return stateLabel(ev.type);
  }
}

/** Consecutive heartbeats fold into one line ("heartbeat ×12"). */
export function summarizeTimeline(events: EventRecord[]): { ev: EventRecord; count: number }[] {
  const out: { ev: EventRecord; count: number }[] = [];
  for (const ev of events) {
    const last = out[out.length - 1];
    if (last && ev.type === "lease_renewed" && last.ev.type === "lease_renewed") {
      last.count++;
      last.ev = ev;
    } else out.push({ ev, count: 1 });
  }
  return out;
}

function Timeline({ taskId, projectId }: { taskId: string; projectId: string }) {
  const events = useTaskEvents(taskId, projectId);
  if (events.isPending) return <Loading label="Loading timeline" />;
  if (events.isError) return <ErrorMessage message={`Failed to load the timeline: ${errorText(events.error)}`} onRetry={() => void events.refetch()} />;
  const list = events.data.filter((e) => !taskOf(e) || taskOf(e) === taskId || e.stream?.includes(taskId));
  if (list.length === 0) return <p className="muted">No events recorded.</p>;
  return (
    <ol className="timeline" aria-label="Task timeline">
      {summarizeTimeline(list).map(({ ev, count }) => (
        <li key={ev.seq}>
          <div>
            {describeEvent(ev)}
            {count > 1 ? ` ×${count}` : ""}
          </div>
          <div className="when">
            {shortDateTime(ev.time)}
            {ev.principal ? ` · ${ev.principal}` : ""} · #{ev.seq}
          </div>
        </li>
      ))}
    </ol>
  );
}

export function TaskDrawer({ projectId, taskId, basePath, onClose }: Props) {
  const task = useTask(taskId);
  const graph = useGraph(projectId);
  const artifacts = useArtifacts(task.data?.id, projectId);
  const attempts = useIntegrationAttempts(task.data?.id, projectId);
  const decisions = useGateDecisions(projectId);
  const { state: live } = useLive();
  const now = useNow(1000);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!taskId) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    closeRef.current?.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, [taskId, onClose]);

  if (!taskId) return null;
  const t = task.data;
  const byId = new Map<string, GraphTask>((graph.data?.tasks ?? []).map((x) => [x.id, x]));
  // The graph names tasks by UUID; the URL may carry a short id.
  const id = t?.id ?? taskId;
  const edges = graph.data?.dependencies ?? [];
  const blockedBy = edges.filter((e) => e.to_task_id === id);
  const blocks = edges.filter((e) => e.from_task_id === id);
  const myDecisions = (decisions.data ?? []).filter((d) => d.task_id === id);
  const lease = live.leases.get(id);
  const reservation = live.reservations.get(id);

  const depRow = (other: string, unlock?: string) => {
    const o = byId.get(other);
    return (
      <li key={other}>
        <DependencyLink projectId={projectId} task={o ?? { id: other }} basePath={basePath} /> {o ? o.title : "Unknown task"}
        {o && <> <StateBadge state={o.state} /></>}
        {unlock && <span className="muted"> unlocks on {unlock}</span>}
      </li>
    );
  };

  let body;
  if (task.isPending)
    body = (
      <Loading label="Loading task">
        <div className="placeholder" style={{ height: 20, marginBottom: 8 }} />
        <div className="placeholder" style={{ height: 20, width: "60%" }} />
      </Loading>
    );
  else if (task.isError && (task.error as { status?: number }).status === 404) body = <p>Task not found.</p>;
  else if (task.isError)
    body = <ErrorMessage message={`Failed to load task: ${errorText(task.error)}`} onRetry={() => void task.refetch()} />;
  else if (!t) body = <p>Task not found.</p>;
  else
    body = (
      <>
        <div className="drawer-head">
          <span className="mono" style={{ fontWeight: 700 }}>
            {shortId(t)}
          </span>
          <StateBadge state={t.state} />
          <span className="badge neutral">P{t.priority}</span>
        </div>
        <h2 className="title" id="drawer-title">
          {t.title}
        </h2>
        <div className="chips" style={{ marginTop: 0, marginBottom: 8 }}>
          {t.task_class && <span className="badge outline">{t.task_class}</span>}
          {(t.capability_tags ?? []).map((c) => (
            <span key={c} className="badge outline">
              {c}
            </span>
          ))}
        </div>
        {(lease || reservation) && (
          <details className="section" open>
            <summary>Lease</summary>
            {lease && <LeaseLine lease={lease} now={now} />}
            {reservation && <ReservationLine reservation={reservation} now={now} />}
          </details>
        )}
        <details className="section" open>
          <summary>Work Spec</summary>
          {t.work_spec?.objective && <p>{t.work_spec.objective}</p>}
          {t.work_spec?.acceptance_criteria?.length ? (
            <ul>
              {t.work_spec.acceptance_criteria.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No acceptance criteria defined.</p>
          )}
        </details>
        {blockedBy.length + blocks.length > 0 && (
          <details className="section" open>
            <summary>Dependencies ({blockedBy.length + blocks.length})</summary>
            {blockedBy.length > 0 && (
              <>
                <h3 style={{ fontSize: 13, margin: "6px 0" }}>Blocked by</h3>
                <ul>{blockedBy.map((e) => depRow(e.from_task_id, e.unlock_on))}</ul>
              </>
            )}
            {blocks.length > 0 && (
              <>
                <h3 style={{ fontSize: 13, margin: "6px 0" }}>Blocks</h3>
                <ul>{blocks.map((e) => depRow(e.to_task_id))}</ul>
              </>
            )}
          </details>
        )}
        {(artifacts.data?.length ?? 0) > 0 && (
          <details className="section" open>
            <summary>Artifacts ({artifacts.data!.length})</summary>
            <table>
              <thead>
                <tr>
                  <th>Branch</th>
                  <th>SHA</th>
                  <th>Status</th>
                  <th>Files</th>
                </tr>
              </thead>
              <tbody>
                {artifacts.data!.map((a) => (
                  <tr key={a.id}>
                    <td>{a.branch || "-"}</td>
                    <td className="mono">{a.commit_sha ? a.commit_sha.slice(0, 7) : "-"}</td>
                    <td>
                      <span className={`badge ${CHECK_BADGE[a.check_status ?? ""] ?? "neutral"}`}>{a.check_status ?? "-"}</span>
                    </td>
                    <td>
                      {a.touched_files?.length ? (
                        <details>
                          <summary>
                            {a.touched_files.length} {a.touched_files.length === 1 ? "file" : "files"}
                          </summary>
                          <ul className="mono">
                            {a.touched_files.map((f) => (
                              <li key={f}>{f}</li>
                            ))}
                          </ul>
                        </details>
                      ) : (
                        "-"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
        <details className="section">
          <summary>Integration Attempts{attempts.data?.length ? ` (${attempts.data.length})` : ""}</summary>
          {attempts.data?.length ? (
            <table>
              <thead>
                <tr>
                  <th>Attempt</th>
                  <th>Head</th>
                  <th>Result</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody>
                {attempts.data.map((a) => (
                  <tr key={a.id}>
                    <td className="mono">{a.short_id ?? a.id.slice(0, 8)}</td>
                    <td className="mono">{a.head_sha?.slice(0, 7) ?? "-"}</td>
                    <td>{a.result ?? "-"}</td>
                    <td>{a.started_at ? shortDateTime(a.started_at) : "-"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No integration attempts recorded.</p>
          )}
        </details>
        <details className="section">
          <summary>Gate Decisions{myDecisions.length ? ` (${myDecisions.length})` : ""}</summary>
          {myDecisions.length ? (
            <table>
              <thead>
                <tr>
                  <th>Reviewer</th>
                  <th>Verdict</th>
                  <th>Evidence</th>
                  <th>Time</th>
                </tr>
              </thead>
              <tbody>
                {myDecisions.map((d) => (
                  <tr key={d.id}>
                    <td>{d.actor_id}</td>
                    <td>
                      <span className={`badge ${OUTCOME_BADGE[d.outcome] ?? "neutral"}`}>{stateLabel(d.outcome)}</span>
                    </td>
                    <td title={[d.reason, ...(d.evidence_refs ?? [])].filter(Boolean).join("\n")}>
                      {d.reason || "-"}
                      {(d.evidence_refs ?? []).map((r) => (
                        <div key={r} className="mono muted">
                          {r}
                        </div>
                      ))}
                    </td>
                    <td>{shortDateTime(d.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No gate decisions recorded.</p>
          )}
        </details>
        <details className="section" open>
          <summary>Timeline</summary>
          <Timeline taskId={id} projectId={projectId} />
        </details>
      </>
    );

  return (
    <>
      <div className="overlay" onClick={onClose} data-testid="drawer-overlay" />
      <div className="drawer" role="dialog" aria-modal="true" aria-labelledby={t ? "drawer-title" : undefined} aria-label={t ? undefined : "Task"}>
        <div style={{ display: "flex", justifyContent: "flex-end" }}>
          <button ref={closeRef} type="button" className="btn small close" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        {body}
      </div>
    </>
  );
}
