// DASHBOARD-SPEC §9 scenarios 33-60: checkpoint list, Kanban board, task drawer, metrics page;
// plus what this dashboard adds (Blocked column, other lane, URL filters, timeline, attempts).
import { screen, waitFor, within, fireEvent } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { CheckpointList } from "../components/CheckpointList";
import { KanbanBoard } from "../components/KanbanBoard";
import { TaskDrawer } from "../components/TaskDrawer";
import { MetricsPage } from "../metrics/MetricsPage";
import { useLocation } from "react-router";
import { mockApi, PENDING, renderAt, Reply } from "./utils";

const graphWith = (tasks: object[], extra: object = {}) => () => ({ phases: [], milestones: [], dependencies: [], tasks, ...extra });
const t = (id: string, state: string, title: string, priority = 5, more: object = {}) => ({ id, short_id: id.toUpperCase(), title, state, priority, ...more });

function Where() {
  const l = useLocation();
  return <div data-testid="where">{l.pathname + l.search}</div>;
}

describe("Checkpoint list", () => {
  const cps = {
    items: [
      { task_id: "task-drilldown", task_short_id: "P1.M1.T5", title: "Review A", gate_type: "review_gate", state: "ready", age_hours: 5 },
      { task_id: "task-2", task_short_id: "P1.M1.T9", title: "Merge B", gate_type: "merge_gate", state: "ready", age_hours: 72, risk_summary: { candidate_blocked: 1 } },
    ],
  };
  const at = () => renderAt(<CheckpointList projectId="proj-1" />, { url: "/projects/proj-1/checkpoints" });
  it("33: loading", () => {
    mockApi({ checkpoints: () => PENDING });
    at();
    expect(screen.getByRole("status", { name: "Loading checkpoints" })).toBeInTheDocument();
  });
  it("34: server error", async () => {
    mockApi({ checkpoints: () => new Reply(500, {}) });
    at();
    expect(await screen.findByText(/Failed to load checkpoints/)).toBeInTheDocument();
  });
  it("35: two checkpoints", async () => {
    mockApi({ checkpoints: () => cps });
    at();
    expect(await screen.findByText("P1.M1.T5")).toBeInTheDocument();
    const table = screen.getByRole("table");
    for (const x of ["P1.M1.T9", "Review", "Merge"]) expect(within(table).getByText(x)).toBeInTheDocument();
    expect(screen.getByText("2 checkpoints")).toBeInTheDocument();
  });
  it("36: none", async () => {
    mockApi();
    at();
    expect(await screen.findByText("No checkpoints")).toBeInTheDocument();
  });
  it("37: type filter", async () => {
    mockApi({ checkpoints: () => cps });
    at();
    await screen.findByText("P1.M1.T5");
    await userEvent.selectOptions(screen.getByLabelText("Type"), "review_gate");
    expect(screen.getByText("1 checkpoint")).toBeInTheDocument();
    expect(screen.queryByText("P1.M1.T9")).not.toBeInTheDocument();
  });
  it("38: readiness filter", async () => {
    mockApi({ checkpoints: () => cps });
    at();
    await screen.findByText("P1.M1.T5");
    await userEvent.selectOptions(screen.getByLabelText("Readiness"), "blocked");
    expect(screen.getByText("1 checkpoint")).toBeInTheDocument();
    expect(screen.getByText("P1.M1.T9")).toBeInTheDocument();
    expect(screen.queryByText("P1.M1.T5")).not.toBeInTheDocument();
  });
  it("39: row link", async () => {
    mockApi({ checkpoints: () => cps });
    at();
    expect(await screen.findByRole("link", { name: "P1.M1.T5" })).toHaveAttribute("href", "/projects/proj-1/tasks/task-drilldown");
  });
});

describe("Kanban board", () => {
  const board = (url = "/projects/proj-1/tasks") =>
    renderAt(
      <>
        <KanbanBoard projectId="proj-1" />
        <Where />
      </>,
      { url, path: "/projects/:projectId/tasks/:taskId?" },
    );
  it("40: loading", () => {
    mockApi({ graph: () => PENDING });
    board();
    expect(screen.getByRole("status", { name: "Loading tasks" })).toBeInTheDocument();
  });
  it("41: graph 404", async () => {
    mockApi({ graph: () => new Reply(404, { error: { code: "PROJECT_NOT_FOUND" } }) });
    board();
    expect(await screen.findByRole("alert")).toHaveTextContent("Failed to load tasks");
  });
  it("42: every title", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Alpha"), t("b", "in_progress", "Beta"), t("c", "implemented", "Gamma")]) });
    board();
    for (const x of ["Alpha", "Beta", "Gamma"]) expect(await screen.findByText(x)).toBeInTheDocument();
  });
  it("43: empty columns say so", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Alpha")]) });
    board();
    await screen.findByText("Alpha");
    for (const x of ["No claimed tasks", "No in progress tasks", "No implemented tasks"]) expect(screen.getByText(x)).toBeInTheDocument();
  });
  it("44-45: integrated starts collapsed and opens on click", async () => {
    mockApi({ graph: graphWith([t("a", "integrated", "Done thing")]) });
    board();
    const header = await screen.findByRole("button", { name: /integrated/ });
    expect(header).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByText("Done thing")).not.toBeInTheDocument();
    fireEvent.click(header);
    expect(await screen.findByText("Done thing")).toBeInTheDocument();
    expect(screen.getByTestId("where").textContent).toContain("collapsed=");
  });
  it("46: search", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Kanban Board"), t("b", "ready", "Task Detail Panel")]) });
    board();
    await screen.findByText("Kanban Board");
    await userEvent.type(screen.getByRole("searchbox"), "Kanban");
    expect(screen.queryByText("Task Detail Panel")).not.toBeInTheDocument();
    expect(screen.getByText("Kanban Board")).toBeInTheDocument();
    expect(screen.getByTestId("where").textContent).toContain("q=Kanban");
  });
  it("47: priority order", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Later", 10), t("b", "ready", "First", 1)]) });
    board();
    await screen.findByText("First");
    const column = screen.getByRole("region", { name: "ready column" });
    const titles = within(column).getAllByRole("button").slice(1).map((b) => b.getAttribute("aria-label"));
    expect(titles).toEqual(["B: First", "A: Later"]);
  });
  it("shows a Blocked column and a lane for the other states", async () => {
    mockApi({ graph: graphWith([t("a", "blocked", "Stuck"), t("b", "backlog", "Someday"), t("c", "cancelled", "Dropped")]) });
    board();
    const blocked = await screen.findByRole("region", { name: "blocked column" });
    expect(within(blocked).getByText("Stuck")).toBeInTheDocument();
    const other = screen.getByRole("region", { name: "Other states" });
    expect(within(other).getByText("Someday")).toBeInTheDocument();
    expect(within(other).getByText("Dropped")).toBeInTheDocument();
  });
  it("reads its filters from the URL", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Alpha", 1, { task_class: "backend" }), t("b", "ready", "Beta", 1, { task_class: "frontend" })]) });
    board("/projects/proj-1/tasks?class=frontend");
    expect(await screen.findByText("Beta")).toBeInTheDocument();
    expect(screen.queryByText("Alpha")).not.toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Filter by task class" })).toHaveValue("frontend");
  });
  it("selecting a card puts the task in the URL, keeping the filters", async () => {
    mockApi({ graph: graphWith([t("a", "ready", "Alpha")]) });
    board("/projects/proj-1/tasks?q=Al");
    fireEvent.click(await screen.findByRole("button", { name: "A: Alpha" }));
    expect(screen.getByTestId("where")).toHaveTextContent("/projects/proj-1/tasks/a?q=Al");
  });
  it("renders a long column in pages", async () => {
    mockApi({ graph: graphWith(Array.from({ length: 250 }, (_, i) => t(`t${i}`, "ready", `Task ${i}`, i))) });
    board();
    await screen.findByText("Task 0");
    expect(screen.queryByText("Task 100")).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: /Show 150 more/ }));
    expect(screen.getByText("Task 249")).toBeInTheDocument();
  });
});

describe("Task drawer", () => {
  const drawer = (taskId: string | null = "task-1") =>
    renderAt(<TaskDrawer projectId="proj-1" taskId={taskId ?? undefined} basePath="/projects/proj-1/tasks" onClose={() => {}} />, {
      url: "/projects/proj-1/tasks/task-1",
    });
  it("48: loading", () => {
    mockApi({ task: () => PENDING });
    drawer();
    expect(screen.getByRole("status", { name: "Loading task" })).toBeInTheDocument();
  });
  it("49: header", async () => {
    mockApi({ task: () => ({ id: "task-1", short_id: "P4.M2.T1", title: "Build Kanban Board", state: "in_progress", priority: 3, task_class: "frontend", capability_tags: ["ux", "api"] }) });
    drawer();
    expect(await screen.findByText("Build Kanban Board")).toBeInTheDocument();
    for (const x of ["P4.M2.T1", "in progress", "P3", "frontend", "ux", "api"]) expect(screen.getByText(x)).toBeInTheDocument();
  });
  it("50: work spec", async () => {
    mockApi({ task: () => ({ id: "task-1", title: "X", state: "ready", priority: 1, work_spec: { objective: "Make it so", acceptance_criteria: ["First", "Second"] } }) });
    drawer();
    for (const x of ["Make it so", "First", "Second"]) expect(await screen.findByText(x)).toBeInTheDocument();
  });
  it("51: artifacts", async () => {
    mockApi({ artifacts: () => [{ id: "ar1", branch: "feature/kanban", commit_sha: "abc1234567890", check_status: "passed", touched_files: [] }] });
    drawer();
    for (const x of ["feature/kanban", "abc1234", "passed"]) expect(await screen.findByText(x)).toBeInTheDocument();
  });
  it("52: gate decisions", async () => {
    mockApi({ gateDecisions: () => [{ id: "g1", task_id: "task-1", outcome: "approved", actor_id: "reviewer-abc12345", reason: "All checks pass", created_at: "2026-06-15T10:00:00Z" }] });
    drawer();
    expect(await screen.findByText(/reviewer/)).toBeInTheDocument();
    expect(screen.getByText("approved")).toBeInTheDocument();
    expect(screen.getByText("All checks pass")).toBeInTheDocument();
  });
  it("53: blocked by", async () => {
    mockApi({
      graph: graphWith([t("task-1", "ready", "Test Task"), { id: "dep-task-1", short_id: "P4.M1.T3", title: "Dependency Task", state: "implemented", priority: 1 }], {
        dependencies: [{ from_task_id: "dep-task-1", to_task_id: "task-1" }],
      }),
    });
    drawer();
    for (const x of ["Blocked by", "P4.M1.T3", "Dependency Task"]) expect(await screen.findByText(x)).toBeInTheDocument();
  });
  it("54: closed renders nothing", () => {
    mockApi();
    drawer(null);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Close" })).not.toBeInTheDocument();
  });
  it("shows the timeline and the integration attempts", async () => {
    mockApi({
      events: () => [
        { seq: 3, type: "task_created", time: "2026-06-15T10:00:00Z", payload: { task_id: "task-1" } },
        { seq: 7, type: "task_claimed", time: "2026-06-15T10:01:00Z", payload: { task_id: "task-1", agent_id: "agent-7" } },
        { seq: 8, type: "lease_renewed", time: "2026-06-15T10:02:00Z", payload: { task_id: "task-1" } },
        { seq: 9, type: "lease_renewed", time: "2026-06-15T10:03:00Z", payload: { task_id: "task-1" } },
        { seq: 10, type: "task_state_transitioned", time: "2026-06-15T10:04:00Z", payload: { task_id: "task-1", from: "claimed", to: "in_progress", actor_id: "agent-7", reason: "start" } },
      ],
      attempts: () => [{ id: "ia-1", short_id: "IA-1", head_sha: "deadbeef99", result: "success", started_at: "2026-06-15T11:00:00Z" }],
    });
    drawer();
    const timeline = await screen.findByRole("list", { name: "Task timeline" });
    expect(within(timeline).getByText("claimed by agent-7")).toBeInTheDocument();
    expect(within(timeline).getByText("heartbeat ×2")).toBeInTheDocument();
    expect(within(timeline).getByText("claimed → in progress by agent-7 (start)")).toBeInTheDocument();
    expect(screen.getByText("IA-1")).toBeInTheDocument();
    expect(screen.getByText("success")).toBeInTheDocument();
  });
});

describe("Metrics page", () => {
  const summary = {
    project_id: "proj-1",
    timestamp: "2026-06-15T10:00:00Z",
    metrics: {
      north_star: {
        delivery_predictability_index: { value: 78, trend: "up", change_pct: 3.2 },
        flow_efficiency_score: { value: 62, active_time_pct: 65, waiting_time_pct: 25, blocked_time_pct: 10 },
        integration_reliability_score: { value: 88, success_rate: 0.95, avg_recovery_minutes: 3 },
      },
    },
  };
  const page = (url = "/projects/proj-1/metrics") => renderAt(<MetricsPage />, { url, path: "/projects/:projectId/metrics" });
  it("55: heading at once", () => {
    mockApi({ summary: () => PENDING });
    page();
    expect(screen.getByRole("heading", { name: "Metrics" })).toBeInTheDocument();
  });
  it("56: the three cards, with the reference's example values", async () => {
    mockApi({ summary: () => summary });
    page();
    expect(await screen.findByText("Delivery Predictability Index")).toBeInTheDocument();
    expect(screen.getByText("Flow Efficiency Score")).toBeInTheDocument();
    expect(screen.getByText("Integration Reliability Score")).toBeInTheDocument();
    expect(screen.getByText("78%")).toBeInTheDocument();
    expect(screen.getByText("↑ 40.0%")).toBeInTheDocument();
    expect(screen.getByText("↑ 5.0%")).toBeInTheDocument();
  });
  it("57: trend tabs", () => {
    mockApi();
    page();
    for (const x of ["DPI", "FES", "IRS", "Throughput", "Cycle Time", "WIP", "Blocked", "INI Backlog"]) expect(screen.getByRole("tab", { name: x })).toBeInTheDocument();
  });
  it("58: breakdown section", () => {
    mockApi();
    page();
    expect(screen.getByRole("heading", { name: "Breakdown" })).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Breakdown metric" })).toHaveValue("throughput");
    expect(screen.getByRole("combobox", { name: "Split by" })).toHaveValue("phase");
  });
  it("59: summary error", async () => {
    mockApi({ summary: () => new Reply(500, {}) });
    page();
    expect(await screen.findByText(/failed to load metrics/i)).toBeInTheDocument();
  });
  it("60: no project", () => {
    mockApi();
    renderAt(<MetricsPage />, { url: "/metrics", path: "/metrics" });
    expect(screen.getByText(/no project selected/i)).toBeInTheDocument();
  });
  it("says when the server has no metrics API", async () => {
    mockApi({ summary: () => new Reply(404, { detail: "Not Found" }) });
    page();
    expect(await screen.findByText("Metrics not available")).toBeInTheDocument();
  });
  it("a project without metrics says so instead of loading forever", async () => {
    mockApi();
    page();
    expect(await screen.findByText("No metrics yet")).toBeInTheDocument();
  });
  it("alerts: acknowledge, hidden once the key is refused", async () => {
    let acked = 0;
    mockApi({
      summary: () => summary,
      alerts: () => ({ items: [{ id: "al-1", metric_key: "blocked_ratio", alert_type: "threshold_breach", severity: "critical", value: 0.4, threshold: 0.2, created_at: "2026-06-15T10:00:00Z", acknowledged_at: null }] }),
      acknowledge: () => {
        acked++;
        return new Reply(403, { error: { code: "INSUFFICIENT_ROLE" } });
      },
    });
    page();
    const button = await screen.findByRole("button", { name: "Acknowledge" });
    fireEvent.click(button);
    expect(await screen.findByText("Acknowledging alerts needs a planner key.")).toBeInTheDocument();
    expect(acked).toBe(1);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Acknowledge" })).not.toBeInTheDocument());
  });
  it("milestone health and forecast", async () => {
    mockApi({
      health: () => ({ milestones: [{ milestone_id: "m1", name: "API", health_score: 0.71, health_status: "yellow", breach_probability: 0.35, task_summary: { total: 10, completed: 4, remaining: 6, avg_cycle_time_hours: 2 } }] }),
    });
    page();
    expect(await screen.findByText("API")).toBeInTheDocument();
    expect(screen.getByText("4/10 (40%)")).toBeInTheDocument();
    expect(screen.getByText("35%")).toBeInTheDocument();
    expect(screen.getByText(/12.0 h of work left/)).toBeInTheDocument();
  });
  it("shows the Monte Carlo forecast dates when the server sends them", async () => {
    mockApi({
      health: () => ({ milestones: [{ milestone_id: "m1", name: "API", health_score: 0.71, health_status: "green", breach_probability: 0.1, task_summary: { total: 10, completed: 4, remaining: 6, avg_cycle_time_hours: 2 }, forecast: { method: "monte_carlo", p50_date: "2026-06-20T00:00:00Z", p85_date: "2026-06-24T00:00:00Z", p95_date: "2026-06-27T00:00:00Z" } }] }),
    });
    page();
    expect(await screen.findByText(/^50% by .*85% by .*95% by /)).toBeInTheDocument();
  });
});
