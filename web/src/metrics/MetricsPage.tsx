// The metrics page: north-star cards, trends (selectable range and granularity), breakdown,
// alerts with acknowledge (planner keys), suggested actions, milestone health and forecast.
// When the server has no metrics API (404 on the summary route), one clear box says so.
import { useMemo, useState } from "react";
import { useParams } from "react-router";
import { ApiError } from "../api/client";
import { useAuth } from "../auth/AuthProvider";
import { EmptyState, ErrorMessage, errorText } from "../components/common";
import { HealthDot } from "../components/ProjectCard";
import { shortDate, shortDateTime } from "../lib/format";
import { acknowledgeAlert, useActions, useAlerts, useBreakdown, useHealth, useSummary, useTrend, type Alert, type Summary } from "./api";
import { BreakdownTable, NorthStarCard, TrendChart } from "./components";
import { useQueryClient } from "@tanstack/react-query";

export const TABS = [
  { label: "DPI", metric: "delivery_predictability_index", description: "Delivery predictability over time", unit: "%" },
  { label: "FES", metric: "flow_efficiency_score", description: "Flow efficiency over time", unit: "%" },
  { label: "IRS", metric: "integration_reliability_score", description: "Integration reliability over time", unit: "%" },
  { label: "Throughput", metric: "throughput", description: "Cumulative tasks integrated", unit: "tasks" },
  { label: "Cycle Time", metric: "cycle_time", description: "Median time from creation to integration (minutes)", unit: "min" },
];

const RANGES: Record<string, number> = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 };

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const pct = (v: number) => `${Math.round(v)}%`;

export function NorthStarCards({ summary }: { summary: Summary }) {
  const ns = summary.metrics.north_star!;
  const dpi = ns.delivery_predictability_index ?? { value: 0 };
  const fes = ns.flow_efficiency_score ?? { value: 0 };
  const irs = ns.integration_reliability_score ?? { value: 0 };
  const active = fes.active_time_pct ?? 0;
  const sr = irs.success_rate ?? 0;
  return (
    <div className="cards3">
      <NorthStarCard
        title="Delivery Predictability Index"
        value={dpi.value}
        format={pct}
        thresholds={{ yellow: 50, green: 75 }}
        trend={{ direction: dpi.trend ?? "stable", change: dpi.change_pct ?? 0 }}
        help="Schedule reliability (40%), cycle-time stability (35%) and blocker resolution (25%). Target 75% or more."
      />
      <NorthStarCard
        title="Flow Efficiency Score"
        value={fes.value}
        format={pct}
        thresholds={{ yellow: 40, green: 65 }}
        trend={{ direction: active > 60 ? "up" : active < 40 ? "down" : "stable", change: active - (fes.waiting_time_pct ?? 0) }}
        help="Active time over active, waiting and blocked time. Target 40% or more."
      />
      <NorthStarCard
        title="Integration Reliability Score"
        value={irs.value}
        format={pct}
        display={irs.value === 0 ? "N/A" : undefined}
        thresholds={{ yellow: 60, green: 85 }}
        trend={
          irs.value === 0
            ? { direction: "stable", change: 0 }
            : { direction: sr >= 0.95 ? "up" : sr >= 0.8 ? "stable" : "down", change: (sr - 0.9) * 100 }
        }
        help="Integration success rate (60%) and recovery speed (40%). N/A until an integration is attempted."
      />
    </div>
  );
}

function Trends({ projectId }: { projectId: string }) {
  const [tab, setTab] = useState(0);
  const [range, setRange] = useState("7d");
  const [granularity, setGranularity] = useState("hour");
  const { start, end } = useMemo(() => {
    const e = new Date(Date.now() + 86400000);
    return { start: isoDate(new Date(e.getTime() - RANGES[range] * 86400000)), end: isoDate(e) };
  }, [range]);
  const t = TABS[tab];
  const trend = useTrend(projectId, t.metric, start, end, granularity);
  return (
    <section aria-label="Trend charts" className="card" style={{ marginTop: 12 }}>
      <h2 style={{ marginTop: 0 }}>Trends</h2>
      <div className="filters">
        <div role="tablist" aria-label="Metric" style={{ display: "flex", gap: 4 }}>
          {TABS.map((x, i) => (
            <button key={x.metric} type="button" role="tab" aria-selected={i === tab} title={x.description} className={`btn small${i === tab ? " primary" : ""}`} onClick={() => setTab(i)}>
              {x.label}
            </button>
          ))}
        </div>
        <select aria-label="Time range" value={range} onChange={(e) => setRange(e.target.value)}>
          {Object.keys(RANGES).map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <select aria-label="Granularity" value={granularity} onChange={(e) => setGranularity(e.target.value)}>
          {["hour", "day", "week"].map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </div>
      <p className="muted">{t.description}</p>
      {trend.isPending ? <div className="placeholder" style={{ height: 240 }} /> : <TrendChart data={trend.data ?? []} label={t.label} unit={t.unit} />}
    </section>
  );
}

function Alerts({ projectId }: { projectId: string }) {
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
  const list = [...(alerts.data ?? [])].sort((a, b) => Number(!!a.acknowledged_at) - Number(!!b.acknowledged_at));
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
        <table>
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Value</th>
              <th>Raised</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} style={{ opacity: a.acknowledged_at ? 0.6 : 1 }}>
                <td>
                  <span className={`badge sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>
                  {a.alert_type.replace(/_/g, " ")} <span className="muted mono">{a.metric_key}</span>
                </td>
                <td>
                  {a.value}
                  {a.threshold !== null && <span className="muted"> / {a.threshold}</span>}
                </td>
                <td>{shortDateTime(a.created_at)}</td>
                <td>
                  {a.acknowledged_at ? (
                    <span className="muted">acknowledged</span>
                  ) : (
                    canAck && (
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

function Actions({ projectId }: { projectId: string }) {
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
      ) : !actions.data?.length ? (
        <p className="muted">No suggestions.</p>
      ) : (
        <ul>
          {actions.data.map((s, i) => (
            <li key={i}>
              <strong>{String(s.title ?? s.action_type ?? "action")}</strong>
              {s.rationale && <span className="muted"> — {String(s.rationale)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Health({ projectId }: { projectId: string }) {
  const health = useHealth(projectId);
  const colour = { green: "green", yellow: "amber", red: "red" } as const;
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
              const hours = s.remaining * (s.avg_cycle_time_hours || 0);
              return (
                <tr key={m.milestone_id}>
                  <td>{m.name}</td>
                  <td>
                    <HealthDot level={colour[m.health_status] ?? "amber"} /> {m.health_status}
                    {m.health_score !== null && <span className="muted"> ({Math.round(m.health_score)})</span>}
                  </td>
                  <td>
                    {s.completed}/{s.total} ({done.toFixed(0)}%)
                    <div style={{ height: 6, background: "var(--muted-bg)", borderRadius: 3, marginTop: 4 }}>
                      <div style={{ width: `${done}%`, height: 6, background: "var(--ok)", borderRadius: 3 }} />
                    </div>
                  </td>
                  <td>{(m.breach_probability * 100).toFixed(0)}%</td>
                  <td>
                    {s.remaining === 0
                      ? "done"
                      : m.forecast?.p50_date
                        ? `50% by ${shortDate(m.forecast.p50_date)}, 85% by ${m.forecast.p85_date ? shortDate(m.forecast.p85_date) : "?"}, 95% by ${m.forecast.p95_date ? shortDate(m.forecast.p95_date) : "?"}`
                      : s.avg_cycle_time_hours
                        ? `≈ ${hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`} of work left (${s.remaining} tasks × ${s.avg_cycle_time_hours.toFixed(1)} h)`
                        : `${s.remaining} tasks left, no cycle time yet`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function MetricsPage() {
  const { projectId } = useParams();
  if (!projectId) return <p>No project selected. Please select a project to view metrics.</p>;
  return <MetricsContent projectId={projectId} />;
}

function MetricsContent({ projectId }: { projectId: string }) {
  const summary = useSummary(projectId);
  const breakdown = useBreakdown(projectId, "throughput", "phase", "7d");
  const err = summary.error as ApiError | null;
  let top;
  if (err && err.status === 404 && err.code !== "PROJECT_NOT_FOUND")
    return (
      <>
        <h1>Metrics</h1>
        <EmptyState title="Metrics not available" hint="This server does not offer the metrics API (/v1/metrics answered 404)." />
      </>
    );
  if (summary.isError) top = <ErrorMessage message={`Failed to load metrics: ${errorText(summary.error)}`} onRetry={() => void summary.refetch()} />;
  else if (summary.isPending)
    top = (
      <div className="cards3" role="status" aria-label="Loading metrics">
        {[0, 1, 2].map((i) => (
          <div key={i} className="placeholder" style={{ height: 110 }} />
        ))}
      </div>
    );
  else if (!summary.data.metrics?.north_star)
    top = <EmptyState title="No metrics snapshot yet" hint="Metrics appear once the server has computed a snapshot for this project." />;
  else top = <NorthStarCards summary={summary.data} />;
  return (
    <>
      <h1>Metrics</h1>
      <section aria-label="North star metrics">{top}</section>
      <Trends projectId={projectId} />
      <section aria-label="Metric breakdown" className="card" style={{ marginTop: 12 }}>
        <h2 style={{ marginTop: 0 }}>Throughput Breakdown by Phase</h2>
        {breakdown.isPending ? <div className="placeholder" style={{ height: 60 }} /> : <BreakdownTable items={breakdown.data ?? []} label="Phase" />}
      </section>
      <Health projectId={projectId} />
      <div className="cards3" style={{ marginTop: 12, gridTemplateColumns: "1fr" }}>
        <Alerts projectId={projectId} />
        <Actions projectId={projectId} />
      </div>
    </>
  );
}
