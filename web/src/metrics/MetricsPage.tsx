// The metrics page: north-star cards, the operational figures of the summary, trends (metric,
// range and granularity as the trends route takes them), a breakdown (metric × dimension),
// milestone health with the Monte Carlo forecast, alerts with acknowledge (planner keys) and
// the workflow suggestions. When the server has no metrics API (404 on the summary route),
// one clear box says so.
import { useMemo, useState } from "react";
import { useParams } from "react-router";
import { ApiError } from "../api/client";
import { EmptyState, ErrorMessage, errorText } from "../components/common";
import { stateLabel } from "../lib/format";
import { ActionsPanel, AlertsPanel } from "./AlertsPanel";
import { BREAKDOWN_METRICS, DIMENSIONS, GRANULARITIES, TIME_RANGES, useBreakdown, useSummary, useTrend, type Summary } from "./api";
import { BreakdownTable, NorthStarCard, TrendChart } from "./components";
import { minutesLabel } from "./format";
import { HealthPanel } from "./HealthPanel";

export const TABS = [
  { label: "DPI", metric: "delivery_predictability_index", description: "Delivery predictability index (0–100)", unit: "%" },
  { label: "FES", metric: "flow_efficiency_score", description: "Flow efficiency: share of task time spent being worked on", unit: "%" },
  { label: "IRS", metric: "integration_reliability_score", description: "Integration reliability: success rate and recovery speed", unit: "%" },
  { label: "Throughput", metric: "throughput", description: "Tasks integrated in the 7 days before each point", unit: "tasks" },
  { label: "Cycle Time", metric: "cycle_time", description: "Median minutes from in progress to implemented", unit: "min" },
  { label: "WIP", metric: "wip", description: "Tasks claimed, in progress, blocked or implemented", unit: "tasks" },
  { label: "Blocked", metric: "blocked_ratio", description: "Blocked tasks as a share of work in progress (0–1)", unit: "ratio" },
  { label: "INI Backlog", metric: "ini_backlog", description: "Implemented tasks waiting for integration", unit: "tasks" },
];

const RANGE_HOURS: Record<string, number> = { "24h": 24, "7d": 168, "30d": 720, "90d": 2160 };
const HOUR = 3600000;

/** Whole seconds with Z, as the trends route parses them. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

const pct = (v: number) => `${Math.round(v)}%`;

export function NorthStarCards({ summary }: { summary: Summary }) {
  const ns = summary.metrics.north_star!;
  const dpi = ns.delivery_predictability_index ?? { value: 0 };
  const fes = ns.flow_efficiency_score ?? { value: 0 };
  const irs = ns.integration_reliability_score ?? { value: 0 };
  const outcomes = summary.metrics.operational?.integration_outcomes;
  // IRS is computed over finished integration attempts: without one it is not a 0, it is unknown.
  const noAttempts = outcomes ? outcomes.success + outcomes.conflict + outcomes.failed_checks === 0 : irs.value === 0;
  const active = fes.active_time_pct ?? 0;
  const sr = irs.success_rate ?? 0;
  const parts = dpi.components;
  // The server sends 0 when a component is missing (no cycle time yet): that is unknown, not 0.
  const dpiUnknown = !!parts && [parts.schedule_reliability, parts.cycle_time_stability, parts.blocker_resolution_rate].some((v) => v === null);
  const part = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : `${Math.round(v * 100)}%`);
  return (
    <div className="cards3">
      <NorthStarCard
        title="Delivery Predictability Index"
        value={dpi.value}
        format={pct}
        display={dpiUnknown ? "N/A" : undefined}
        thresholds={{ yellow: 50, green: 75 }}
        trend={{ direction: dpi.trend ?? "stable", change: dpi.change_pct ?? 0 }}
        help="Schedule reliability (40%), cycle-time stability (35%) and blocker resolution (25%). Target 75% or more. N/A until a task has been implemented (cycle-time stability needs one)."
      >
        {parts && (
          <div className="figure-note" data-testid="dpi-components">
            schedule {part(parts.schedule_reliability)} · stability {part(parts.cycle_time_stability)} · blockers {part(parts.blocker_resolution_rate)}
          </div>
        )}
      </NorthStarCard>
      <NorthStarCard
        title="Flow Efficiency Score"
        value={fes.value}
        format={pct}
        thresholds={{ yellow: 40, green: 65 }}
        trend={{ direction: active > 60 ? "up" : active < 40 ? "down" : "stable", change: active - (fes.waiting_time_pct ?? 0) }}
        help="Hours worked over hours worked, waiting and blocked. Target 40% or more."
      >
        {fes.active_time_pct !== undefined && (
          <div className="figure-note">
            active {pct(fes.active_time_pct)} · waiting {pct(fes.waiting_time_pct ?? 0)} · blocked {pct(fes.blocked_time_pct ?? 0)}
          </div>
        )}
      </NorthStarCard>
      <NorthStarCard
        title="Integration Reliability Score"
        value={irs.value}
        format={pct}
        display={noAttempts ? "N/A" : undefined}
        thresholds={{ yellow: 60, green: 85 }}
        trend={noAttempts ? { direction: "stable", change: 0 } : { direction: sr >= 0.95 ? "up" : sr >= 0.8 ? "stable" : "down", change: (sr - 0.9) * 100 }}
        help="Integration success rate (60%) and recovery speed (40%). N/A until an integration attempt has finished."
      >
        {!noAttempts && outcomes && (
          <div className="figure-note">
            {outcomes.success} succeeded · {outcomes.conflict} conflicts · {outcomes.failed_checks} failed checks
          </div>
        )}
      </NorthStarCard>
    </div>
  );
}

function Figure({ name, value, note }: { name: string; value: string | number; note?: string }) {
  return (
    <div className="card figure" data-testid="figure" data-figure={name}>
      <div className="metric-title">{name}</div>
      <div className="figure-value">{value}</div>
      {note && <div className="figure-note">{note}</div>}
    </div>
  );
}

/** The operational half of the summary: throughput, work in progress, blocked, backlog, times. */
export function OperationalFigures({ summary }: { summary: Summary }) {
  const op = summary.metrics.operational;
  if (!op) return null;
  const states = Object.entries(op.state_distribution?.by_state ?? {});
  const total = states.reduce((n, [, c]) => n + c, 0);
  const lead = op.lead_time?.p50_hours;
  const bottleneck = summary.metrics.actionability?.bottleneck_contribution?.primary;
  return (
    <section aria-label="Operational figures">
      <div className="figures">
        <Figure name="Integrated (7 days)" value={op.throughput?.tasks_integrated_week ?? 0} note={`${op.throughput?.tasks_integrated_total ?? 0} in all`} />
        <Figure name="Tasks" value={total} note={states.map(([s, c]) => `${c} ${stateLabel(s)}`).join(", ") || "none yet"} />
        <Figure name="Work in progress" value={op.wip?.total_count ?? 0} note={op.wip ? `average age ${op.wip.avg_age_hours.toFixed(1)} h` : undefined} />
        <Figure name="Blocked" value={op.blocked?.count ?? 0} note={op.blocked ? `${Math.round(op.blocked.ratio * 100)}% of WIP` : undefined} />
        <Figure name="Awaiting integration" value={op.backlog?.implemented_not_integrated ?? 0} note={op.backlog?.implemented_not_integrated ? `average age ${op.backlog.avg_age_hours.toFixed(1)} h` : undefined} />
        <Figure
          name="Cycle time p50"
          value={op.cycle_time?.sample_size ? minutesLabel(op.cycle_time.p50_minutes) : "–"}
          note={op.cycle_time?.sample_size ? `p90 ${minutesLabel(op.cycle_time.p90_minutes)}, ${op.cycle_time.sample_size} tasks` : "no task implemented yet"}
        />
        <Figure name="Lead time p50" value={lead === null || lead === undefined ? "–" : `${lead.toFixed(1)} h`} note="created → integrated" />
        {bottleneck && <Figure name="Bottleneck" value={bottleneck} note="stage holding over 40% of task time" />}
      </div>
    </section>
  );
}

function Trends({ projectId }: { projectId: string }) {
  const [tab, setTab] = useState(0);
  const [range, setRange] = useState("7d");
  const [granularity, setGranularity] = useState("hour");
  // Rounded to the hour so the query key stays put; the end reaches a day ahead so the latest
  // bucket stays inside the window while the page is open.
  const { start, end } = useMemo(() => {
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    return { start: isoSeconds(now - RANGE_HOURS[range] * HOUR), end: isoSeconds(now + 24 * HOUR) };
  }, [range]);
  const t = TABS[tab];
  const trend = useTrend(projectId, t.metric, start, end, granularity);
  return (
    <section aria-label="Trend charts" className="card" style={{ marginTop: 12 }}>
      <h2 style={{ marginTop: 0 }}>Trends</h2>
      <div className="filters">
        <div role="tablist" aria-label="Metric" style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
          {TABS.map((x, i) => (
            <button key={x.metric} type="button" role="tab" aria-selected={i === tab} title={x.description} className={`btn small${i === tab ? " primary" : ""}`} onClick={() => setTab(i)}>
              {x.label}
            </button>
          ))}
        </div>
        <select aria-label="Time range" value={range} onChange={(e) => setRange(e.target.value)}>
          {TIME_RANGES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <select aria-label="Granularity" value={granularity} onChange={(e) => setGranularity(e.target.value)}>
          {GRANULARITIES.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </div>
      <p className="muted">{t.description}</p>
      {trend.isPending ? (
        <div className="placeholder" style={{ height: 240 }} />
      ) : trend.isError ? (
        <p className="muted">Trend unavailable ({errorText(trend.error)}).</p>
      ) : (
        <TrendChart data={trend.data ?? []} label={t.label} unit={t.unit} />
      )}
    </section>
  );
}

const BREAKDOWN_LABEL: Record<string, string> = {
  throughput: "Throughput (tasks integrated in the window)",
  cycle_time: "Cycle time (average minutes, tasks implemented in the window)",
  wip: "Work in progress (tasks now)",
  blocked: "Blocked (tasks now)",
  backlog: "Awaiting integration (tasks now)",
};

function Breakdown({ projectId }: { projectId: string }) {
  const [metric, setMetric] = useState("throughput");
  const [dimension, setDimension] = useState("phase");
  const [range, setRange] = useState("7d");
  const breakdown = useBreakdown(projectId, metric, dimension, range);
  const windowed = metric === "throughput" || metric === "cycle_time";
  return (
    <section aria-label="Metric breakdown" className="card" style={{ marginTop: 12 }}>
      <h2 style={{ marginTop: 0 }}>Breakdown</h2>
      <div className="filters">
        <select aria-label="Breakdown metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
          {BREAKDOWN_METRICS.map((m) => (
            <option key={m} value={m}>
              {BREAKDOWN_LABEL[m]}
            </option>
          ))}
        </select>
        <select aria-label="Split by" value={dimension} onChange={(e) => setDimension(e.target.value)}>
          {DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              by {d.replace(/_/g, " ")}
            </option>
          ))}
        </select>
        {windowed && (
          <select aria-label="Breakdown window" value={range} onChange={(e) => setRange(e.target.value)}>
            {TIME_RANGES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        )}
      </div>
      {breakdown.isPending ? (
        <div className="placeholder" style={{ height: 60 }} />
      ) : breakdown.isError ? (
        <p className="muted">Breakdown unavailable ({errorText(breakdown.error)}).</p>
      ) : (
        <BreakdownTable items={breakdown.data ?? []} label={dimension.replace(/_/g, " ")} />
      )}
    </section>
  );
}

/** A project's metrics exist as soon as it does; before its first task they are all zeros. */
function hasTasks(summary: Summary): boolean {
  const byState = summary.metrics.operational?.state_distribution?.by_state;
  return !byState || Object.values(byState).some((n) => n > 0);
}

export function MetricsPage() {
  const { projectId } = useParams();
  if (!projectId) return <p>No project selected. Please select a project to view metrics.</p>;
  return <MetricsContent projectId={projectId} />;
}

function MetricsContent({ projectId }: { projectId: string }) {
  const summary = useSummary(projectId);
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
  else if (!summary.data.metrics?.north_star || !hasTasks(summary.data))
    top = <EmptyState title="No metrics yet" hint="Metrics appear once the project has tasks." />;
  else
    top = (
      <>
        <NorthStarCards summary={summary.data} />
        <OperationalFigures summary={summary.data} />
      </>
    );
  return (
    <>
      <h1>Metrics</h1>
      <section aria-label="North star metrics">{top}</section>
      <Trends projectId={projectId} />
      <Breakdown projectId={projectId} />
      <HealthPanel projectId={projectId} />
      <div className="cards3" style={{ marginTop: 12, gridTemplateColumns: "1fr" }}>
        <AlertsPanel projectId={projectId} />
        <ActionsPanel projectId={projectId} />
      </div>
    </>
  );
}
