// What the event stream tells beyond the REST reads: who holds each task's lease (holder, since,
// expiry, last heartbeat) and its reservation, folded from the project's events in log order.
// Pure: `applyEvent` updates the state and says how the cached graph should change.
import type { EventRecord } from "../api/types";

export interface LeaseInfo {
  taskId: string;
  agent: string;
  since: string;
  expiresAt: string;
  heartbeatAt: string;
  fencing: number;
}

export interface ReservationInfo {
  taskId: string;
  assignee: string;
  since: string;
  expiresAt: string;
  createdBy?: string;
}

export interface LiveState {
  leases: Map<string, LeaseInfo>;
  reservations: Map<string, ReservationInfo>;
  /** The task each lease id belongs to, to follow renewals. */
  lastSeq: number;
}

export function emptyLiveState(): LiveState {
  return { leases: new Map(), reservations: new Map(), lastSeq: 0 };
}

/** What an event means for the cached reads. */
export interface EventEffect {
  taskId?: string;
  /** The task's new state, when the event says it. */
  state?: string;
  /** The event changes the graph's structure (new tasks, edges, plan): refetch it. */
  refetchGraph?: boolean;
  /** The event concerns checkpoints or gate decisions. */
  gates?: boolean;
  /** When the event was recorded (server clock), to skip what a newer graph already shows. */
  time?: string;
  /** task_created: the new task; dependency_added: the new edge "from->to". */
  createdTask?: string;
  createdEdge?: string;
  /** The event changed a lease or a reservation. */
  leases?: boolean;
}

function str(p: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = p[n];
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** A time field: an ISO string, or microseconds since the epoch (the log's own encoding). */
export function timeOf(p: Record<string, unknown>, name: string): string | undefined {
  const v = p[name];
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return new Date(v / 1000).toISOString();
  return undefined;
}

/** The task an event is about, whichever spelling its payload uses. */
export function taskOf(ev: EventRecord): string | undefined {
  return str(ev.payload ?? {}, "task_id", "task");
}

const STRUCTURAL = new Set([
  "task_created",
  "dependency_added",
  "phase_created",
  "milestone_created",
  "changeset_applied",
  "tasks_unlocked",
  "project_created",
]);

const LEASE_EVENTS = new Set([
  "task_claimed",
  "lease_renewed",
  "lease_expired",
  "lease_invalidated",
  "task_assigned",
  "reservation_released",
  "reservation_invalidated",
  "task_state_transitioned",
]);

const GATES = new Set(["gate_decision_recorded", "gate_policies_evaluated", "gate_rule_created"]);

/** Folds `ev` into `s` (in place) and returns its effect on the cached reads. */
export function applyEvent(s: LiveState, ev: EventRecord): EventEffect {
  const effect = fold(s, ev);
  effect.time = ev.time;
  effect.leases = LEASE_EVENTS.has(ev.type);
  const p = ev.payload ?? {};
  if (ev.type === "task_created") effect.createdTask = str(p, "id", "task_id");
  if (ev.type === "dependency_added") effect.createdEdge = `${str(p, "from_task_id", "from")}->${str(p, "to_task_id", "to")}`;
  return effect;
}

function fold(s: LiveState, ev: EventRecord): EventEffect {
  if (ev.seq > s.lastSeq) s.lastSeq = ev.seq;
  const p = ev.payload ?? {};
  const taskId = taskOf(ev);
  switch (ev.type) {
    case "task_claimed": {
      if (!taskId) return {};
      s.leases.set(taskId, {
        taskId,
        agent: str(p, "agent_id", "agent") ?? "?",
        since: ev.time,
        expiresAt: timeOf(p, "expires_at") ?? ev.time,
        heartbeatAt: ev.time,
        fencing: Number(p.fencing_counter ?? p.fencing ?? 0),
      });
      s.reservations.delete(taskId);
      return { taskId, state: "claimed" };
    }
    case "lease_renewed": {
      const lease = taskId ? s.leases.get(taskId) : undefined;
      if (lease) {
        lease.expiresAt = timeOf(p, "expires_at") ?? lease.expiresAt;
        lease.heartbeatAt = ev.time;
        s.leases.set(lease.taskId, { ...lease });
      }
      return { taskId };
    }
    case "lease_expired":
    case "lease_invalidated":
      if (!taskId) return {};
      s.leases.delete(taskId);
      return { taskId, state: "ready" };
    case "task_assigned":
      if (!taskId) return {};
      s.reservations.set(taskId, {
        taskId,
        assignee: str(p, "assignee_agent_id", "assignee") ?? "?",
        since: ev.time,
        expiresAt: timeOf(p, "expires_at") ?? ev.time,
        createdBy: str(p, "created_by"),
      });
      return { taskId, refetchGraph: true };
    case "reservation_released":
    case "reservation_invalidated":
      if (!taskId) return {};
      s.reservations.delete(taskId);
      return { taskId, refetchGraph: true };
    case "task_state_transitioned": {
      if (!taskId) return {};
      const to = str(p, "to", "to_state", "new_state");
      if (p.lease_released === true || (to && !["claimed", "in_progress"].includes(to))) s.leases.delete(taskId);
      if (p.reservation_released === true) s.reservations.delete(taskId);
      return { taskId, state: to, gates: true };
    }
    default:
      return { taskId, refetchGraph: STRUCTURAL.has(ev.type), gates: GATES.has(ev.type) };
  }
}

/** Seconds until a lease or reservation expires (negative once past). */
export function secondsLeft(expiresAt: string, now: number): number {
  return (Date.parse(expiresAt) - now) / 1000;
}

/** Heartbeat freshness: stale after 5 minutes without one (the data-quality rule). */
export const STALE_HEARTBEAT_SECONDS = 300;

export function heartbeatAge(lease: LeaseInfo, now: number): number {
  return (now - Date.parse(lease.heartbeatAt)) / 1000;
}
