// DASHBOARD-SPEC §9 scenarios 1-32: the building blocks.
import { screen, waitFor, fireEvent } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { CheckpointRow } from "../components/CheckpointList";
import { StateBadge } from "../components/common";
import { FilterBar } from "../components/FilterBar";
import { ProjectCard } from "../components/ProjectCard";
import { TaskCard } from "../components/TaskCard";
import { DependencyLink } from "../components/TaskDrawer";
import { EMPTY_FILTERS } from "../lib/filters";
import { BreakdownTable, NorthStarCard, TrendChart } from "../metrics/components";
import { mockApi, PENDING, renderAt } from "./utils";

describe("Breakdown table", () => {
  it("1: no items", () => {
    renderAt(<BreakdownTable items={[]} />);
    expect(screen.getByText("No breakdown data available.")).toBeInTheDocument();
  });
  it("2: headers", () => {
    renderAt(<BreakdownTable label="Phase" items={[{ dimension_value: "x", value: 1, percentage: 100, count: 1 }]} />);
    for (const h of ["Phase", "Value", "Percentage", "Count", "Trend"]) expect(screen.getByRole("columnheader", { name: h })).toBeInTheDocument();
  });
  it("3: values", () => {
    renderAt(
      <BreakdownTable
        items={[
          { dimension_value: "implementation", value: 25, percentage: 45.5, count: 10 },
          { dimension_value: "review", value: 12, percentage: 21.8, count: 5 },
        ]}
      />,
    );
    for (const t of ["implementation", "25.0", "45.5%", "10", "review", "12.0"]) expect(screen.getByText(t)).toBeInTheDocument();
  });
  it("4: trend up", () => {
    renderAt(<BreakdownTable items={[{ dimension_value: "a", value: 1, percentage: 1, count: 1, trend: { direction: "up", change_pct: 12.3 } }]} />);
    expect(screen.getByText(/↑/)).toHaveTextContent("12.3%");
  });
  it("5: no trend", () => {
    renderAt(<BreakdownTable items={[{ dimension_value: "a", value: 1, percentage: 1, count: 1 }]} />);
    expect(screen.getByText("--")).toBeInTheDocument();
  });
  it("6: default label", () => {
    renderAt(<BreakdownTable items={[{ dimension_value: "a", value: 1, percentage: 1, count: 1 }]} />);
    expect(screen.getByRole("columnheader", { name: "Dimension" })).toBeInTheDocument();
  });
  it("keeps one row per dimension value when the server repeats one", () => {
    renderAt(
      <BreakdownTable
        items={[
          { dimension_value: "a", value: 1, percentage: 1, count: 1 },
          { dimension_value: "a", value: 2, percentage: 2, count: 2 },
        ]}
      />,
    );
    expect(screen.getAllByRole("row")).toHaveLength(2);
  });
});

describe("Checkpoint row", () => {
  const row = (over: object) => {
    const c = { task_id: "task-drilldown", task_short_id: "P4.M1.T6", title: "Gate", gate_type: "review_gate", state: "ready", age_hours: 12, ...over };
    return renderAt(
      <table>
        <tbody>
          <CheckpointRow projectId="proj-1" checkpoint={c} />
        </tbody>
      </table>,
      { url: "/projects/proj-1/checkpoints" },
    );
  };
  it("7: a review gate, 12 h", () => {
    row({});
    for (const t of ["P4.M1.T6", "Review", "ready", "12h ago", "On track"]) expect(screen.getByText(t)).toBeInTheDocument();
  });
  it("8: blocked candidates", () => {
    row({ risk_summary: { candidate_blocked: 2 } });
    expect(screen.getByText("blocked")).toBeInTheDocument();
  });
  it("9: 72 h", () => {
    row({ age_hours: 72 });
    expect(screen.getByText("3d ago")).toBeInTheDocument();
    expect(screen.getByText("Overdue")).toBeInTheDocument();
  });
  it("10: a quarter hour", () => {
    row({ age_hours: 0.25 });
    expect(screen.getByText("15m ago")).toBeInTheDocument();
  });
  it("11: link to the task", () => {
    row({});
    expect(screen.getByRole("link", { name: "P4.M1.T6" })).toHaveAttribute("href", "/projects/proj-1/tasks/task-drilldown");
  });
});

describe("Dependency link", () => {
  it("12: names the short id and points at the drawer", () => {
    renderAt(<DependencyLink projectId="proj-1" task={{ id: "task-dep-id", short_id: "P4.M1.T3" }} />);
    expect(screen.getByRole("link", { name: "P4.M1.T3" })).toHaveAttribute("href", "/projects/proj-1/tasks/task-dep-id");
  });
});

describe("Filter bar", () => {
  const bar = (onChange = vi.fn()) =>
    renderAt(<FilterBar filters={EMPTY_FILTERS} onChange={onChange} phases={[]} milestones={[]} taskClasses={[]} capabilities={[]} />);
  it("13: search box and five selects", () => {
    bar();
    expect(screen.getByPlaceholderText("Search tasks...")).toBeInTheDocument();
    expect(screen.getAllByRole("combobox").length).toBeGreaterThanOrEqual(5);
  });
  it("14: every keystroke reports", async () => {
    const onChange = vi.fn();
    bar(onChange);
    await userEvent.type(screen.getByRole("searchbox", { name: "Search tasks" }), "kanban");
    expect(onChange).toHaveBeenCalledTimes(6);
    expect(onChange.mock.calls[0][0].search).toBe("k");
  });
});

describe("North-star card", () => {
  const pct = (v: number) => `${Math.round(v)}%`;
  it("15: percent formatter", () => {
    renderAt(<NorthStarCard title="Delivery Predictability Index" value={82} format={pct} />);
    expect(screen.getByText("Delivery Predictability Index")).toBeInTheDocument();
    expect(screen.getByText("82%")).toBeInTheDocument();
  });
  it("16: trend up", () => {
    renderAt(<NorthStarCard title="X" value={1} trend={{ direction: "up", change: 3 }} />);
    expect(screen.getByText(/↑/)).toHaveTextContent("3.0%");
  });
  it("17: trend down shows the absolute change", () => {
    renderAt(<NorthStarCard title="X" value={1} trend={{ direction: "down", change: -8.5 }} />);
    expect(screen.getByText(/↓/)).toHaveTextContent("8.5%");
  });
  it("18: colour bands", () => {
    const colour = (value: number) => {
      const { container, unmount } = renderAt(<NorthStarCard title="X" value={value} thresholds={{ yellow: 50, green: 75 }} />);
      const c = container.querySelector(".metric-value")!.getAttribute("data-colour");
      unmount();
      return c;
    };
    expect(colour(90)).toBe("green");
    expect(colour(60)).toBe("yellow");
    expect(colour(30)).toBe("red");
  });
  it("19: one decimal without a formatter", () => {
    renderAt(<NorthStarCard title="X" value={42.567} />);
    expect(screen.getByText("42.6")).toBeInTheDocument();
  });
});

describe("Project card", () => {
  const project = { id: "p1", name: "My Project", status: "active", created_at: "2026-06-15T10:00:00Z" };
  it("20: name, status, and state chips once the graph loads", async () => {
    mockApi({
      graph: () => ({ phases: [], milestones: [], dependencies: [], tasks: [
        { id: "a", title: "A", state: "ready", priority: 1 },
        { id: "b", title: "B", state: "in_progress", priority: 1 },
      ] }),
    });
    renderAt(<ProjectCard project={project} />);
    expect(screen.getByText("My Project")).toBeInTheDocument();
    expect(screen.getByText("active")).toBeInTheDocument();
    expect(await screen.findByText(/ready/)).toBeInTheDocument();
    expect(screen.getByText("in progress 1")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: "Health: green" })).toBeInTheDocument();
  });
  it("21: loading", () => {
    mockApi({ graph: () => PENDING });
    renderAt(<ProjectCard project={project} />);
    expect(screen.getByText("Loading tasks...")).toBeInTheDocument();
  });
  it("22: the card is a link", () => {
    mockApi();
    renderAt(<ProjectCard project={project} />);
    expect(screen.getByRole("link")).toHaveAttribute("href", "/projects/p1/tasks");
  });
  it("health turns red when a third of the open tasks are blocked", async () => {
    mockApi({
      graph: () => ({ phases: [], milestones: [], dependencies: [], tasks: [
        { id: "a", title: "A", state: "blocked", priority: 1 },
        { id: "b", title: "B", state: "ready", priority: 1 },
        { id: "c", title: "C", state: "integrated", priority: 1 },
      ] }),
    });
    renderAt(<ProjectCard project={project} />);
    expect(await screen.findByRole("img", { name: "Health: red" })).toBeInTheDocument();
  });
});

describe("State badge", () => {
  it("23: labels and classes", () => {
    renderAt(
      <>
        <StateBadge state="in_progress" className="extra" />
        <StateBadge state="ready" />
      </>,
    );
    expect(screen.getByText("in progress")).toHaveClass("extra");
    expect(screen.getByText("ready")).toBeInTheDocument();
  });
});

describe("Task card", () => {
  const task = { id: "t1", short_id: "P4.M2.T1", title: "Build Kanban Board", state: "ready", priority: 3 };
  it("24: short id, title, priority", () => {
    renderAt(<TaskCard task={task} onSelect={() => {}} />);
    for (const t of ["P4.M2.T1", "Build Kanban Board", "P3"]) expect(screen.getByText(t)).toBeInTheDocument();
  });
  it("25: falls back to the id's first 8 characters", () => {
    renderAt(<TaskCard task={{ ...task, short_id: undefined, id: "abcdef12-3456-7890" }} onSelect={() => {}} />);
    expect(screen.getByText("abcdef12")).toBeInTheDocument();
  });
  it("26: click and Enter select the task", async () => {
    const onSelect = vi.fn();
    renderAt(<TaskCard task={task} onSelect={onSelect} />);
    const card = screen.getByRole("button", { name: "P4.M2.T1: Build Kanban Board" });
    fireEvent.click(card);
    card.focus();
    await userEvent.keyboard("{Enter}");
    expect(onSelect).toHaveBeenCalledTimes(2);
    expect(onSelect).toHaveBeenCalledWith("t1");
  });
  it("27: at most three tags", () => {
    renderAt(<TaskCard task={{ ...task, capability_tags: ["ux", "api", "testing", "a11y"] }} onSelect={() => {}} />);
    expect(screen.getByText("testing")).toBeInTheDocument();
    expect(screen.queryByText("a11y")).not.toBeInTheDocument();
    expect(screen.getByText("+1")).toBeInTheDocument();
  });
  it("shows the lease holder, countdown and heartbeat", () => {
    const now = Date.parse("2026-06-15T10:00:00Z");
    renderAt(
      <TaskCard
        task={{ ...task, state: "claimed" }}
        onSelect={() => {}}
        now={now}
        lease={{ taskId: "t1", agent: "agent-7", since: "2026-06-15T09:50:00Z", expiresAt: "2026-06-15T10:04:05Z", heartbeatAt: "2026-06-15T09:59:30Z", fencing: 1 }}
      />,
    );
    expect(screen.getByText(/agent-7/)).toBeInTheDocument();
    expect(screen.getByText("expires in 4m 05s")).toBeInTheDocument();
    expect(screen.getByText(/30s ago/)).toHaveClass("fresh");
  });
});

describe("Trend chart", () => {
  const pts = (n: number) => Array.from({ length: n }, (_, i) => ({ timestamp: `2026-06-1${i}T00:00:00Z`, value: i * 10 }));
  it("28: no data", () => {
    renderAt(<TrendChart data={[]} />);
    expect(screen.getByText("No trend data available.")).toBeInTheDocument();
  });
  it("29: an svg named after the series", () => {
    const { container } = renderAt(<TrendChart data={pts(3)} label="DPI" />);
    expect(screen.getByRole("img", { name: "DPI" })).toBe(container.querySelector("svg"));
  });
  it("30: a polyline", () => {
    const { container } = renderAt(<TrendChart data={pts(2)} />);
    expect(container.querySelector("polyline")!.getAttribute("points")).not.toBe("");
  });
  it("31: one dot per point", () => {
    const { container } = renderAt(<TrendChart data={pts(3)} />);
    expect(container.querySelectorAll("circle")).toHaveLength(3);
  });
  it("a flat series sits mid-height on an axis from 0 to twice its value", () => {
    const { container } = renderAt(<TrendChart data={[{ timestamp: "2026-06-15T10:00:00Z", value: 2 }]} label="WIP" />);
    const dot = container.querySelector("circle")!;
    const labels = [...container.querySelectorAll("svg > g > text")].map((t) => t.textContent);
    expect(labels[0]).toBe("0");
    expect(labels[4]).toBe("4");
    expect(Number(dot.getAttribute("cy"))).toBeCloseTo(24 + (240 - 24 - 32) / 2);
  });
  it("32: default name", async () => {
    renderAt(<TrendChart data={pts(1)} />);
    await waitFor(() => expect(screen.getByRole("img", { name: "Trend chart" })).toBeInTheDocument());
  });
});
