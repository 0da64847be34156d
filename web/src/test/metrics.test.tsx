// The metrics page against the metrics API's real answers: every fixture under
// fixtures/metrics/ was captured from a tascaded by scripts/capture-metrics-fixtures.mjs (the
// history of tests/e2e/metrics_e2e_test.cpp: two tasks integrated, one after a conflict, one
// blocked, one implemented, one in progress; blocked-ratio, IRS and DPI alerts raised).
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MetricsPage } from "../metrics/MetricsPage";
import type { Summary } from "../metrics/api";
import { alertThreshold, alertValue, minutesLabel } from "../metrics/format";
import { mockApi, renderAt, Reply } from "./utils";
import summary from "./fixtures/metrics/summary.json";
import summaryEmpty from "./fixtures/metrics/summary-empty.json";
import trendThroughput from "./fixtures/metrics/trends-throughput-hour.json";
import trendDpi from "./fixtures/metrics/trends-dpi-day.json";
import breakdownPhase from "./fixtures/metrics/breakdown-throughput-phase.json";
import breakdownState from "./fixtures/metrics/breakdown-wip-state.json";
import alerts from "./fixtures/metrics/alerts.json";
import alertsAcknowledged from "./fixtures/metrics/alerts-acknowledged.json";
import acknowledged from "./fixtures/metrics/acknowledge.json";
import actions from "./fixtures/metrics/actions.json";
import health from "./fixtures/metrics/health.json";

const P = summary.project_id;
const page = () => renderAt(<MetricsPage />, { url: `/projects/${P}/metrics`, path: "/projects/:projectId/metrics" });
const real = {
  summary: () => summary,
  trends: (url: URL) => (url.searchParams.get("metric") === "throughput" ? trendThroughput : trendDpi),
  breakdown: (url: URL) => (url.searchParams.get("metric") === "wip" ? breakdownState : breakdownPhase),
  alerts: () => alerts,
  actions: () => actions,
  health: () => health,
};

function figure(name: string) {
  return document.querySelector(`[data-figure="${name}"]`) as HTMLElement;
}

describe("Metrics page on the server's answers", () => {
  it("north-star cards: the server's percentages, DPI's components, IRS from finished attempts", async () => {
    mockApi(real);
    page();
    await screen.findByText("Delivery Predictability Index");
    const cards = screen.getAllByTestId("north-star");
    expect(within(cards[0]).getByText("56%")).toBeInTheDocument(); // 55.73
    expect(within(cards[0]).getByTestId("dpi-components")).toHaveTextContent("schedule 50% · stability 31% · blockers 100%");
    expect(within(cards[1]).getByText("8%")).toBeInTheDocument();
    expect(within(cards[1]).getByText(/active 8% · waiting 91% · blocked 1%/)).toBeInTheDocument();
    expect(within(cards[2]).getByText("70%")).toBeInTheDocument();
    expect(within(cards[2]).getByText("1 succeeded · 1 conflicts · 0 failed checks")).toBeInTheDocument();
  });

  it("operational figures: throughput, tasks by state, WIP, blocked, backlog, bottleneck", async () => {
    mockApi(real);
    page();
    await screen.findByText("Integrated (7 days)");
    expect(figure("Integrated (7 days)")).toHaveTextContent("2");
    expect(figure("Integrated (7 days)")).toHaveTextContent("2 in all");
    expect(figure("Tasks")).toHaveTextContent("5");
    expect(figure("Tasks")).toHaveTextContent("1 in progress, 1 implemented, 2 integrated, 1 blocked");
    expect(figure("Work in progress")).toHaveTextContent("3");
    expect(figure("Blocked")).toHaveTextContent("33% of WIP");
    expect(figure("Awaiting integration")).toHaveTextContent("1");
    expect(figure("Cycle time p50")).toHaveTextContent("3 tasks");
    expect(figure("Bottleneck")).toHaveTextContent("queue");
  });

  it("IRS is N/A before any integration attempt has finished", async () => {
    const none = structuredClone(summary);
    none.metrics.operational.integration_outcomes = { ...none.metrics.operational.integration_outcomes, success: 0, conflict: 0, failed_checks: 0 };
    mockApi({ ...real, summary: () => none });
    page();
    const cards = await screen.findAllByTestId("north-star");
    expect(within(cards[2]).getByText("N/A")).toBeInTheDocument();
  });

  it("DPI is N/A while one of its components is unknown", async () => {
    const early = structuredClone(summary) as unknown as Summary;
    early.metrics.north_star!.delivery_predictability_index = { value: 0, trend: "stable", change_pct: 0, components: { schedule_reliability: 0.5, cycle_time_stability: null, blocker_resolution_rate: 1 } };
    mockApi({ ...real, summary: () => early });
    page();
    const cards = await screen.findAllByTestId("north-star");
    expect(within(cards[0]).getByText("N/A")).toBeInTheDocument();
    expect(within(cards[0]).getByTestId("dpi-components")).toHaveTextContent("stability n/a");
  });

  it("a project without tasks (all zeros from the server) says there are no metrics yet", async () => {
    mockApi({ ...real, summary: () => summaryEmpty });
    page();
    expect(await screen.findByText("No metrics yet")).toBeInTheDocument();
    expect(screen.queryByTestId("north-star")).not.toBeInTheDocument();
  });

  it("trends: asks with the route's parameters and plots the answer", async () => {
    const fetch = mockApi(real);
    page();
    await screen.findByRole("img", { name: "DPI" });
    const asked = () => fetch.mock.calls.map(([u]) => new URL(String(u), "http://localhost")).filter((u) => u.pathname === "/v1/metrics/trends");
    const first = asked()[0].searchParams;
    expect(first.get("project_id")).toBe(P);
    expect(first.get("metric")).toBe("delivery_predictability_index");
    expect(first.get("granularity")).toBe("hour");
    expect(first.get("start_date")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
    expect(first.get("end_date")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
    expect(Date.parse(first.get("end_date")!) - Date.parse(first.get("start_date")!)).toBe((168 + 24) * 3600000);

    fireEvent.click(screen.getByRole("tab", { name: "Throughput" }));
    const chart = await screen.findByRole("img", { name: "Throughput" });
    expect(asked().at(-1)!.searchParams.get("metric")).toBe("throughput");
    expect(chart.querySelectorAll("circle")).toHaveLength(trendThroughput.data.length);
    fireEvent.change(screen.getByRole("combobox", { name: "Granularity" }), { target: { value: "month" } });
    await waitFor(() => expect(asked().at(-1)!.searchParams.get("granularity")).toBe("month"));
  });

  it("breakdown: metric and dimension are the route's; rows as the server orders them", async () => {
    const fetch = mockApi(real);
    page();
    const section = screen.getByRole("region", { name: "Metric breakdown" });
    expect(await within(section).findByText("P1")).toBeInTheDocument();
    expect(within(section).getByText("100.0%")).toBeInTheDocument();
    fireEvent.change(screen.getByRole("combobox", { name: "Breakdown metric" }), { target: { value: "wip" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Split by" }), { target: { value: "state" } });
    expect(await within(section).findByText("in_progress")).toBeInTheDocument();
    expect(within(section).getAllByText("33.3%")).toHaveLength(3);
    const last = fetch.mock.calls.map(([u]) => new URL(String(u), "http://localhost")).filter((u) => u.pathname === "/v1/metrics/breakdown").at(-1)!;
    expect(Object.fromEntries(last.searchParams)).toMatchObject({ project_id: P, metric: "wip", dimension: "state", time_range: "7d" });
  });

  it("alerts: open ones first with their reading and threshold; acknowledging posts and refreshes", async () => {
    let served: unknown = alerts;
    const posted: string[] = [];
    mockApi({
      ...real,
      alerts: () => served,
      acknowledge: (url, init) => {
        posted.push(`${init.method} ${url.pathname}?${url.search.slice(1)}`);
        served = alertsAcknowledged;
        return acknowledged;
      },
    });
    page();
    const table = await screen.findByRole("table", { name: "Metric alerts" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(alerts.items.length);
    // Open ones first (the critical blocked ratio, the IRS and DPI warnings), resolved after.
    expect(rows[0]).toHaveTextContent("critical");
    expect(rows[0]).toHaveTextContent("Blocked ratio");
    expect(rows[0]).toHaveTextContent("33.3% (above 25%)");
    expect(rows.slice(0, 3).every((r) => r.textContent!.includes("open"))).toBe(true);
    expect(rows.slice(3).every((r) => r.textContent!.includes("resolved"))).toBe(true);
    expect(within(table).getAllByRole("button", { name: "Acknowledge" })).toHaveLength(3);

    fireEvent.click(within(rows[0]).getByRole("button", { name: "Acknowledge" }));
    const id = alerts.items[0].id;
    await waitFor(() => expect(within(table).getAllByRole("button", { name: "Acknowledge" })).toHaveLength(2));
    expect(posted).toEqual([`POST /v1/metrics/alerts/${id}/acknowledge?project_id=${P}`]);
    expect(within(table.querySelector(`[data-alert-id="${id}"]`) as HTMLElement).getByText("acknowledged")).toBeInTheDocument();
  });

  it("milestone health: completion, score 0–1 as /100, and the Monte Carlo dates", async () => {
    mockApi(real);
    page();
    const section = screen.getByRole("region", { name: "Milestone health" });
    expect(await within(section).findByText("P1.M1")).toBeInTheDocument();
    expect(within(section).getByText("2/5 (40%)")).toBeInTheDocument();
    expect(within(section).getByText(/score 40\/100/)).toBeInTheDocument();
    expect(within(section).getByText(/^50% by .*85% by .*95% by .*≈ 2\.0 d, from 1 days of throughput/)).toBeInTheDocument();
  });

  it("milestone health without a forecast (nothing integrated yet) falls back to the cycle time", async () => {
    const none = structuredClone(health) as { milestones: Record<string, unknown>[] };
    none.milestones[0] = { ...none.milestones[0], forecast: null, task_summary: { total: 5, completed: 0, remaining: 5, avg_cycle_time_hours: 24 } };
    mockApi({ ...real, health: () => none });
    page();
    expect(await screen.findByText(/5\.0 d of work left \(5 tasks × 24\.0 h\)/)).toBeInTheDocument();
  });

  it("suggested actions: the server's empty list, and its suggestion shape", async () => {
    mockApi(real);
    const first = page();
    expect(await screen.findByText("No suggestions.")).toBeInTheDocument();
    first.unmount();
    mockApi({
      ...real,
      actions: () => ({ ...actions, suggestions: [{ action_type: "escalate", confidence: 0.7, affected_tasks: ["t1", "t2"], rationale: "INI backlog (12) exceeds threshold (10)", evidence_refs: ["metric:ini_backlog:12"] }] }),
    });
    page();
    expect(await screen.findByText("escalate")).toBeInTheDocument();
    expect(screen.getByText("(70% confidence)")).toBeInTheDocument();
    expect(screen.getByText(/INI backlog \(12\) exceeds threshold \(10\)/)).toBeInTheDocument();
    expect(screen.getByText(/2 affected tasks/)).toBeInTheDocument();
  });

  it("suggested actions disappear for a key the server refuses them to", async () => {
    mockApi({ ...real, actions: () => new Reply(403, { error: { code: "INSUFFICIENT_ROLE" } }) });
    page();
    await screen.findByText("Delivery Predictability Index");
    await waitFor(() => expect(screen.queryByRole("region", { name: "Suggested actions" })).not.toBeInTheDocument());
  });
});

describe("metric formatting", () => {
  it("alert readings in their units", () => {
    expect(alertValue("blocked_ratio", 1 / 3)).toBe("33.3%");
    expect(alertValue("DPI", 0.619543216630197)).toBe("62%");
    expect(alertValue("lead_time_p90", 250.4)).toBe("250 h");
    expect(alertValue("ini_backlog", 12)).toBe("12");
    expect(alertThreshold("IRS", 0.75, "below")).toBe("below 75%");
    expect(alertThreshold("ini_backlog", 10)).toBe("above 10");
    expect(alertThreshold("blocked_ratio", null)).toBe("");
  });
  it("minutes", () => {
    expect(minutesLabel(45)).toBe("45 min");
    expect(minutesLabel(210)).toBe("3.5 h");
    expect(minutesLabel(60 * 72)).toBe("3.0 d");
  });
});
