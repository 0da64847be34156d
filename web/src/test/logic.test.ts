// Pure logic: the live fold of lease events, cache patching, the critical path, filters in the URL.
import { describe, expect, it } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { applyEvent, emptyLiveState, heartbeatAge, secondsLeft } from "../live/liveState";
import { patchCache } from "../live/LiveProvider";
import { ancestors, adjacency, criticalPath, descendants } from "../lib/graph";
import { filtersFromParams, filtersToParams, groupByColumn } from "../lib/filters";
import { ageLabel, projectHealth } from "../lib/format";
import type { EventRecord, ProjectGraph } from "../api/types";

const ev = (seq: number, type: string, payload: Record<string, unknown>, time = "2026-06-15T10:00:00Z"): EventRecord => ({ seq, type, time, payload });
const micros = (iso: string) => Date.parse(iso) * 1000;

describe("live state", () => {
  it("follows a lease from claim through heartbeats to release", () => {
    const s = emptyLiveState();
    expect(applyEvent(s, ev(1, "task_claimed", { task_id: "t1", agent_id: "agent-7", expires_at: micros("2026-06-15T10:05:00Z"), fencing_counter: 1 }))).toMatchObject({ taskId: "t1", state: "claimed" });
    const lease = s.leases.get("t1")!;
    expect(lease.agent).toBe("agent-7");
    expect(lease.expiresAt).toBe("2026-06-15T10:05:00.000Z");
    applyEvent(s, ev(2, "lease_renewed", { task_id: "t1", expires_at: micros("2026-06-15T10:09:00Z") }, "2026-06-15T10:04:00Z"));
    expect(s.leases.get("t1")!.heartbeatAt).toBe("2026-06-15T10:04:00Z");
    expect(secondsLeft(s.leases.get("t1")!.expiresAt, Date.parse("2026-06-15T10:08:00Z"))).toBe(60);
    expect(heartbeatAge(s.leases.get("t1")!, Date.parse("2026-06-15T10:10:00Z"))).toBe(360);
    expect(applyEvent(s, ev(3, "task_state_transitioned", { task_id: "t1", from: "claimed", to: "implemented", lease_released: true }))).toMatchObject({ state: "implemented" });
    expect(s.leases.has("t1")).toBe(false);
    expect(s.lastSeq).toBe(3);
  });
  it("an expired lease returns the task to ready", () => {
    const s = emptyLiveState();
    applyEvent(s, ev(1, "task_claimed", { task_id: "t1", agent_id: "a", expires_at: micros("2026-06-15T10:05:00Z") }));
    expect(applyEvent(s, ev(2, "lease_expired", { task_id: "t1", agent_id: "a" }))).toMatchObject({ state: "ready" });
    expect(s.leases.size).toBe(0);
  });
  it("tracks reservations and asks for a graph refetch on structural events", () => {
    const s = emptyLiveState();
    applyEvent(s, ev(1, "task_assigned", { task_id: "t2", assignee_agent_id: "agent-9", expires_at: micros("2026-06-15T11:00:00Z") }));
    expect(s.reservations.get("t2")!.assignee).toBe("agent-9");
    applyEvent(s, ev(2, "reservation_released", { task_id: "t2" }));
    expect(s.reservations.size).toBe(0);
    expect(applyEvent(s, ev(3, "dependency_added", {})).refetchGraph).toBe(true);
  });
  it("patches the cached graph in place of a refetch", () => {
    const qc = new QueryClient();
    const graph: ProjectGraph = { phases: [], milestones: [], dependencies: [], tasks: [
      { id: "t1", title: "A", state: "ready", priority: 1 },
      { id: "t2", title: "B", state: "ready", priority: 1 },
    ] };
    qc.setQueryData(["graph", "p"], graph);
    patchCache(qc, "p", [{ taskId: "t1", state: "claimed" }]);
    const after = qc.getQueryData<ProjectGraph>(["graph", "p"])!;
    expect(after.tasks[0].state).toBe("claimed");
    expect(after.tasks[1]).toBe(graph.tasks[1]);
  });
});

describe("graph", () => {
  const tasks = ["a", "b", "c", "d", "e"].map((id) => ({ id, title: id, state: id === "a" ? "integrated" : "ready", priority: 1 }));
  const edges = [
    { from_task_id: "a", to_task_id: "b" },
    { from_task_id: "b", to_task_id: "c" },
    { from_task_id: "c", to_task_id: "d" },
    { from_task_id: "a", to_task_id: "e" },
  ];
  it("ancestors and dependents", () => {
    const adj = adjacency(edges);
    expect([...ancestors("c", adj)].sort()).toEqual(["a", "b"]);
    expect([...descendants("b", adj)].sort()).toEqual(["c", "d"]);
  });
  it("the critical path is the longest chain of open tasks", () => {
    const cp = criticalPath(tasks, edges);
    expect(cp.nodes).toEqual(["b", "c", "d"]);
    expect([...cp.edges]).toEqual(["b->c", "c->d"]);
  });
});

describe("filters and formats", () => {
  it("round-trip through the URL, keeping other parameters", () => {
    const p = filtersToParams({ phase: "", milestone: "m1", state: "blocked", taskClass: "", capability: "db", search: "api" }, new URLSearchParams("collapsed=integrated"));
    expect(p.toString()).toBe("collapsed=integrated&milestone=m1&state=blocked&cap=db&q=api");
    expect(filtersFromParams(p)).toMatchObject({ milestone: "m1", state: "blocked", capability: "db", search: "api" });
  });
  it("unknown states go to the other lane", () => {
    const g = groupByColumn([{ id: "x", title: "x", state: "conflict", priority: 1 }, { id: "y", title: "y", state: "blocked", priority: 1 }]);
    expect(g.get("other")!.map((t) => t.id)).toEqual(["x"]);
    expect(g.get("blocked")!.map((t) => t.id)).toEqual(["y"]);
  });
  it("health and ages", () => {
    expect(projectHealth([])).toBe("green");
    expect(projectHealth(["blocked", "ready", "ready", "ready", "ready", "ready"])).toBe("amber");
    expect(ageLabel(0.01)).toBe("1m ago");
    expect(ageLabel(23.4)).toBe("23h ago");
  });
});
