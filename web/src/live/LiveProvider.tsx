// Follows the project's event stream (`/v1/events`, Server-Sent Events) and patches the cached
// reads from each event, so the board moves without a reload. EventSource resumes by itself with
// Last-Event-ID after a network drop; a refused or cut-off stream is reopened here with
// `after=<last seq>`. While the stream is down, the views poll (see `usePollInterval`).
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { apiKey, apiUrl, onKeyChanged, query } from "../api/client";
import type { EventRecord, ProjectGraph, Task } from "../api/types";
import { applyEvent, emptyLiveState, type EventEffect, type LiveState } from "./liveState";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "off";

interface LiveContextValue {
  status: LiveStatus;
  state: LiveState;
  /** Bumped whenever `state` changed, so readers re-render. */
  version: number;
}

const LiveContext = createContext<LiveContextValue>({ status: "off", state: emptyLiveState(), version: 0 });

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}

/** How often a view should poll: never while the stream is live. */
export function usePollInterval(ms: number): number | false {
  const { status } = useLive();
  return status === "live" ? false : ms;
}

/** Every event type the stream may send for a project; SSE needs one listener per name. */
export const EVENT_TYPES = [
  "project_created",
  "phase_created",
  "milestone_created",
  "task_created",
  "dependency_added",
  "task_claimed",
  "lease_renewed",
  "lease_expired",
  "lease_invalidated",
  "task_assigned",
  "reservation_released",
  "reservation_invalidated",
  "task_state_transitioned",
  "artifact_recorded",
  "integration_attempt_enqueued",
  "integration_result_recorded",
  "tasks_unlocked",
  "gate_rule_created",
  "gate_decision_recorded",
  "changeset_created",
  "changeset_applied",
  "gate_policies_evaluated",
  "scope_drift_detected",
];

interface GraphIndex {
  byId: Map<string, ProjectGraph["tasks"][number]>;
  edges: Set<string>;
}
const indexes = new WeakMap<ProjectGraph, GraphIndex>();
const EMPTY_INDEX: GraphIndex = { byId: new Map(), edges: new Set() };

/** Tasks by id and edges of one graph answer, built once per answer (not once per batch: a
 *  catch-up over a 5 000-task project flushes hundreds of batches against the same graph). */
function graphIndex(graph: ProjectGraph | undefined): GraphIndex {
  if (!graph) return EMPTY_INDEX;
  let index = indexes.get(graph);
  if (!index) {
    index = {
      byId: new Map((graph.tasks ?? []).map((t) => [t.id, t])),
      edges: new Set((graph.dependencies ?? []).map((d) => `${d.from_task_id}->${d.to_task_id}`)),
    };
    indexes.set(graph, index);
  }
  return index;
}

/**
 * Applies the effects of a batch of events to the query cache. States are patched in place;
 * structural changes call `refetchGraph` (debounced by the caller, so a catch-up over thousands
 * of task_created events costs one graph download, not thousands).
 */
export function patchCache(
  qc: QueryClient,
  projectId: string,
  effects: EventEffect[],
  refetchGraph: () => void = () => void qc.invalidateQueries({ queryKey: ["graph", projectId] }),
): void {
  const states = new Map<string, string>();
  let structural = false;
  let gates = false;
  const touched = new Set<string>();
  // Events the cached graph already reflects (a catch-up from the start of the log) change
  // nothing: a task newer than the event, a task or edge already there.
  const graph = qc.getQueryData<ProjectGraph>(["graph", projectId]);
  const fetchedAt = qc.getQueryState(["graph", projectId])?.dataUpdatedAt ?? 0;
  const { byId, edges } = graphIndex(graph);
  const seen = (e: EventEffect) => {
    if (!graph || !e.time) return false;
    if (e.createdTask) return byId.has(e.createdTask);
    if (e.createdEdge) return edges.has(e.createdEdge);
    const t = e.taskId ? byId.get(e.taskId) : undefined;
    if (t?.updated_at && e.state) return Date.parse(e.time) < Date.parse(t.updated_at);
    // Other structural events: older than the graph by more than any plausible clock skew.
    return Date.parse(e.time) < fetchedAt - 5000;
  };
  for (const e of effects) {
    if (e.taskId) touched.add(e.taskId);
    if (seen(e)) continue;
    if (e.taskId && e.state) states.set(e.taskId, e.state);
    structural ||= !!e.refetchGraph;
    gates ||= !!e.gates;
  }
  if (states.size) {
    qc.setQueryData<ProjectGraph>(["graph", projectId], (g) => {
      if (!g) return g;
      let changed = false;
      const tasks = g.tasks.map((t) => {
        const s = states.get(t.id);
        if (s && s !== t.state) {
          changed = true;
          return { ...t, state: s };
        }
        return t;
      });
      return changed ? { ...g, tasks } : g;
    });
    for (const [id, s] of states) qc.setQueryData<Task>(["task", id], (t) => (t ? { ...t, state: s } : t));
  }
  // Only the tasks someone is looking at have these queries.
  for (const q of qc.getQueryCache().getAll()) {
    const [kind, id] = q.queryKey as [string, string];
    if ((kind === "taskEvents" || kind === "artifacts" || kind === "attempts") && touched.has(id))
      void qc.invalidateQueries({ queryKey: q.queryKey, exact: true });
  }
  if (structural) refetchGraph();
  if (gates) {
    void qc.invalidateQueries({ queryKey: ["checkpoints", projectId] });
    void qc.invalidateQueries({ queryKey: ["gateDecisions", projectId] });
  }
  if (effects.length) void qc.invalidateQueries({ queryKey: ["metrics", projectId] });
}

export function LiveProvider({ projectId, children }: { projectId?: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("off");
  const [version, setVersion] = useState(0);
  const [keyVersion, setKeyVersion] = useState(0);
  const stateRef = useRef<LiveState>(emptyLiveState());

  useEffect(() => onKeyChanged(() => setKeyVersion((v) => v + 1)), []);

  useEffect(() => {
    if (!projectId || typeof EventSource === "undefined") {
      setStatus("off");
      return;
    }
    const live = emptyLiveState();
    stateRef.current = live;
    setVersion((v) => v + 1);
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let graphTimer: ReturnType<typeof setTimeout> | undefined;
    // Trailing debounce: one graph download once a burst of structural events is over.
    const refetchGraph = () => {
      clearTimeout(graphTimer);
      graphTimer = setTimeout(() => void qc.invalidateQueries({ queryKey: ["graph", projectId] }), 300);
    };
    let pending: EventEffect[] = [];
    let closed = false;
    let attempt = 0;
    let lastFlush = 0;

    // Events arrive in bursts (a catch-up, a busy fleet): apply them together, 16 ms at a time.
    // An event after a quiet spell is applied at once (the next task), not 16 ms later.
    const flush = () => {
      flushTimer = undefined;
      lastFlush = performance.now();
      const batch = pending;
      pending = [];
      patchCache(qc, projectId, batch, refetchGraph);
      // Re-render the lease views only when a lease or reservation moved.
      if (batch.some((e) => e.leases)) setVersion((v) => v + 1);
    };
    const onEvent = (msg: MessageEvent<string>) => {
      let ev: EventRecord;
      try {
        ev = JSON.parse(msg.data) as EventRecord;
      } catch {
        return;
      }
      if (ev.seq <= live.lastSeq) return;
      pending.push(applyEvent(live, ev));
      if (!flushTimer) flushTimer = setTimeout(flush, performance.now() - lastFlush > 100 ? 0 : 16);
    };
    const open = () => {
      if (closed) return;
      const key = apiKey();
      const url = apiUrl(
        "/v1/events" + query({ project: projectId, after: live.lastSeq || undefined, access_token: key ?? undefined }),
      );
      const es = new EventSource(url);
      source = es;
      es.onopen = () => {
        attempt = 0;
        setStatus("live");
      };
      for (const t of EVENT_TYPES) es.addEventListener(t, onEvent as EventListener);
      es.onmessage = onEvent;
      es.addEventListener("cutoff", () => reopen());
      es.onerror = () => {
        // CONNECTING: the browser retries by itself with Last-Event-ID. CLOSED: we reopen.
        if (es.readyState === EventSource.CLOSED) reopen();
        else setStatus("reconnecting");
      };
    };
    const reopen = () => {
      source?.close();
      source = null;
      if (closed) return;
      setStatus("reconnecting");
      const delay = Math.min(30000, 500 * 2 ** attempt++);
      retryTimer = setTimeout(open, delay);
    };
    setStatus("connecting");
    // The stream starts with a catch-up from the beginning of the log (thousands of events in
    // a large project), which would compete with the first paint of the board: while the graph
    // is still loading, open the stream once it has arrived and been painted. No event is lost: the catch-up
    // covers everything, and events the graph already shows are skipped.
    let stopWaiting: (() => void) | undefined;
    const graphKey = ["graph", projectId];
    if (qc.isFetching({ queryKey: graphKey }) > 0) {
      stopWaiting = qc.getQueryCache().subscribe(() => {
        if (qc.isFetching({ queryKey: graphKey }) > 0) return;
        stopWaiting?.();
        stopWaiting = undefined;
        // Two frames later: the board has rendered the graph and painted it.
        requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => setTimeout(open, 0)), 0));
      });
    } else open();
    return () => {
      stopWaiting?.();
      closed = true;
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(flushTimer);
      clearTimeout(graphTimer);
    };
  }, [projectId, qc, keyVersion]);

  const value = useMemo(() => ({ status, state: stateRef.current, version }), [status, version]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** A clock that ticks every `ms` for countdowns. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
