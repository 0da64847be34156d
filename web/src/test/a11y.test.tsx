// axe-core (WCAG rules, `region` off: components render without page landmarks) over the views
// of DASHBOARD-SPEC §8, plus the drawer and the metrics page the reference did not audit.
import axe from "axe-core";
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CheckpointList } from "../components/CheckpointList";
import { KanbanBoard } from "../components/KanbanBoard";
import { TaskDrawer } from "../components/TaskDrawer";
import { MetricsPage } from "../metrics/MetricsPage";
import { ProjectsPage } from "../pages/ProjectsPage";
import { mockApi, renderAt } from "./utils";
import metricsSummary from "./fixtures/metrics/summary.json";
import metricsAlerts from "./fixtures/metrics/alerts.json";
import metricsHealth from "./fixtures/metrics/health.json";

async function violations(container: Element) {
  const result = await axe.run(container, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] }, rules: { region: { enabled: false }, "color-contrast": { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`);
}

const project = (id: string, name: string) => ({ id, name, status: "active", created_at: "2026-06-15T10:00:00Z" });
const graph = (tasks: object[]) => () => ({ phases: [], milestones: [], dependencies: [], tasks });

describe("accessibility", () => {
  it("projects page with two projects", async () => {
    mockApi({ projects: () => [project("p1", "One"), project("p2", "Two")], graph: graph([{ id: "t", title: "T", state: "ready", priority: 1 }]) });
    const { container } = renderAt(<ProjectsPage />);
    await screen.findAllByText("ready 1");
    expect(await violations(container)).toEqual([]);
  });
  it("projects page, empty", async () => {
    mockApi();
    const { container } = renderAt(<ProjectsPage />);
    await screen.findByText("No projects found");
    expect(await violations(container)).toEqual([]);
  });
  it("Kanban board with two tasks", async () => {
    mockApi({ graph: graph([{ id: "a", title: "Alpha", state: "ready", priority: 1 }, { id: "b", title: "Beta", state: "in_progress", priority: 2 }]) });
    const { container } = renderAt(<KanbanBoard projectId="proj-1" />, { url: "/projects/proj-1/tasks" });
    await screen.findByText("Beta");
    expect(await violations(container)).toEqual([]);
  });
  it("checkpoint list with one checkpoint", async () => {
    mockApi({ checkpoints: () => ({ items: [{ task_id: "t", task_short_id: "P1.M1.T1", title: "Gate", gate_type: "review_gate", state: "ready", age_hours: 2 }] }) });
    const { container } = renderAt(<CheckpointList projectId="proj-1" />);
    await screen.findByText("P1.M1.T1");
    expect(await violations(container)).toEqual([]);
  });
  it("task drawer", async () => {
    mockApi();
    renderAt(<TaskDrawer projectId="proj-1" taskId="task-1" basePath="/projects/proj-1/tasks" onClose={() => {}} />);
    await screen.findByText("Test Task");
    expect(await violations(document.body)).toEqual([]);
  });
  it("metrics page (the server's own answers)", async () => {
    mockApi({
      summary: () => metricsSummary,
      trends: () => ({ data: [{ timestamp: "2026-06-14T00:00:00Z", value: 70 }, { timestamp: "2026-06-15T00:00:00Z", value: 78 }] }),
      alerts: () => metricsAlerts,
      health: () => metricsHealth,
    });
    const { container } = renderAt(<MetricsPage />, { url: "/projects/proj-1/metrics", path: "/projects/:projectId/metrics" });
    await screen.findByText("56%");
    await screen.findByRole("table", { name: "Metric alerts" });
    await screen.findByText("P1.M1");
    expect(await violations(container)).toEqual([]);
  });
});
