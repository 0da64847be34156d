// Who holds what: every agent with a lease or a reservation, its tasks, since when, the lease
// countdown and heartbeat freshness. Built from the event stream.
import { Link, useSearchParams } from "react-router";
import { useGraph } from "../api/queries";
import { durationLabel, shortId } from "../lib/format";
import { useLive, useNow } from "../live/LiveProvider";
import { heartbeatAge, secondsLeft, STALE_HEARTBEAT_SECONDS } from "../live/liveState";
import { EmptyState, StateBadge } from "./common";

interface Row {
  agent: string;
  taskId: string;
  kind: "lease" | "reservation";
  since: string;
  expiresAt: string;
  heartbeatAt?: string;
}

export function AgentsView({ projectId }: { projectId: string }) {
  const { state: live, status } = useLive();
  const graph = useGraph(projectId);
  const now = useNow(1000);
  const [params] = useSearchParams();
  const byId = new Map((graph.data?.tasks ?? []).map((t) => [t.id, t]));
  const rows: Row[] = [
    ...[...live.leases.values()].map((l) => ({ agent: l.agent, taskId: l.taskId, kind: "lease" as const, since: l.since, expiresAt: l.expiresAt, heartbeatAt: l.heartbeatAt })),
    ...[...live.reservations.values()].map((r) => ({ agent: r.assignee, taskId: r.taskId, kind: "reservation" as const, since: r.since, expiresAt: r.expiresAt })),
  ];
  const agents = new Map<string, Row[]>();
  for (const r of rows) (agents.get(r.agent) ?? agents.set(r.agent, []).get(r.agent)!).push(r);
  if (agents.size === 0)
    return (
      <EmptyState
        title="No agent holds a task"
        hint={status === "live" ? "Claims and reservations appear here as they happen." : "Waiting for the event stream…"}
      />
    );
  const search = params.toString();
  return (
    <div>
      <p className="muted">
        {agents.size} {agents.size === 1 ? "agent" : "agents"} holding {live.leases.size} {live.leases.size === 1 ? "lease" : "leases"} and{" "}
        {live.reservations.size} {live.reservations.size === 1 ? "reservation" : "reservations"}.
      </p>
      <table aria-label="Agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Task</th>
            <th>State</th>
            <th>Holds</th>
            <th>Since</th>
            <th>Expires in</th>
            <th>Heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {[...agents].sort(([a], [b]) => a.localeCompare(b)).flatMap(([agent, list]) =>
            list.map((r, i) => {
              const t = byId.get(r.taskId);
              const left = secondsLeft(r.expiresAt, now);
              const beat = r.heartbeatAt ? heartbeatAge({ heartbeatAt: r.heartbeatAt } as never, now) : undefined;
              return (
                <tr key={`${agent}-${r.taskId}-${r.kind}`}>
                  <td>{i === 0 ? <strong>{agent}</strong> : ""}</td>
                  <td>
                    <Link className="mono" to={{ pathname: `/projects/${projectId}/agents/${r.taskId}`, search }}>
                      {t ? shortId(t) : r.taskId.slice(0, 8)}
                    </Link>{" "}
                    {t?.title}
                  </td>
                  <td>{t && <StateBadge state={t.state} />}</td>
                  <td>{r.kind}</td>
                  <td title={r.since}>{durationLabel((now - Date.parse(r.since)) / 1000)} ago</td>
                  <td className={left <= 0 ? "stale" : left < 60 ? "soon" : ""}>{left <= 0 ? "expired" : durationLabel(left)}</td>
                  <td className={beat === undefined ? "" : beat >= STALE_HEARTBEAT_SECONDS ? "stale" : "fresh"}>
                    {beat === undefined ? "-" : `${durationLabel(beat)} ago${beat >= STALE_HEARTBEAT_SECONDS ? " (stale)" : ""}`}
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}
