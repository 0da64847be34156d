// Milestone health (completion, breach probability) and the server's Monte Carlo completion
// forecast; before the project has integrated anything the forecast is null and the panel
// falls back to remaining tasks × average cycle time.
import { errorText } from "../components/common";
import { HealthDot } from "../components/ProjectCard";
import { shortDate } from "../lib/format";
import { useHealth, type MilestoneHealth } from "./api";

const COLOUR = { green: "green", yellow: "amber", red: "red" } as const;

function forecastText(m: MilestoneHealth): string {
  const s = m.task_summary;
  const f = m.forecast;
  if (s.remaining === 0) return "done";
  if (f?.p50_date) {
    const d = (x?: string) => (x ? shortDate(x) : "?");
    const days = f.p50_days !== undefined ? ` (≈ ${f.p50_days.toFixed(1)} d, from ${f.history_days ?? "?"} days of throughput)` : "";
    return `50% by ${d(f.p50_date)}, 85% by ${d(f.p85_date)}, 95% by ${d(f.p95_date)}${days}`;
  }
  if (s.avg_cycle_time_hours) {
    const hours = s.remaining * s.avg_cycle_time_hours;
    return `≈ ${hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`} of work left (${s.remaining} tasks × ${s.avg_cycle_time_hours.toFixed(1)} h)`;
  }
  return `${s.remaining} tasks left, no throughput yet to forecast from`;
}

export function HealthPanel({ projectId }: { projectId: string }) {
  const health = useHealth(projectId);
  return (
    <section aria-label="Milestone health" className="card" style={{ marginTop: 12 }}>
      <h2 style={{ marginTop: 0 }}>Milestone health and forecast</h2>
      {health.isPending ? (
        <div className="placeholder" style={{ height: 60 }} />
      ) : health.isError ? (
        <p className="muted">Milestone health unavailable ({errorText(health.error)}).</p>
      ) : !health.data?.length ? (
        <p className="muted">No milestones.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Milestone</th>
              <th>Health</th>
              <th>Completion</th>
              <th>Breach probability</th>
              <th>Forecast to complete</th>
            </tr>
          </thead>
          <tbody>
            {health.data.map((m) => {
              const s = m.task_summary;
              const done = s.total ? (s.completed / s.total) * 100 : 0;
              return (
                <tr key={m.milestone_id}>
                  <td>
                    {m.name} {m.short_id && <span className="muted mono">{m.short_id}</span>}
                  </td>
                  <td>
                    <HealthDot level={COLOUR[m.health_status] ?? "amber"} /> {m.health_status}
                    {m.health_score !== null && <span className="muted"> (score {Math.round(m.health_score * 100)}/100)</span>}
                  </td>
                  <td>
                    {s.completed}/{s.total} ({done.toFixed(0)}%)
                    <div style={{ height: 6, background: "var(--muted-bg)", borderRadius: 3, marginTop: 4 }}>
                      <div style={{ width: `${done}%`, height: 6, background: "var(--ok)", borderRadius: 3 }} />
                    </div>
                  </td>
                  <td>{(m.breach_probability * 100).toFixed(0)}%</td>
                  <td>{forecastText(m)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
