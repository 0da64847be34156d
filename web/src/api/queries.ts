// The reads, as cached queries. Live events patch or invalidate these keys (see LiveProvider);
// the intervals apply only while the event stream is down.
import { useQuery } from "@tanstack/react-query";
import { api, query } from "./client";
import type {
  Artifact,
  Checkpoint,
  EventRecord,
  GateDecision,
  IntegrationAttempt,
  Page,
  Project,
  ProjectGraph,
  Task,
} from "./types";
import { usePollInterval } from "../live/LiveProvider";

/** A list answer is either an array or a page with `items`. */
export function itemsOf<T>(v: T[] | Page<T> | { [k: string]: unknown } | undefined | null, key = "items"): T[] {
  if (!v) return [];
  if (Array.isArray(v)) return v;
  const inner = (v as Record<string, unknown>)[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

export function useProjects() {
  return useQuery({
    queryKey: ["projects"],
    queryFn: async () => itemsOf<Project>(await api<Project[] | Page<Project>>("/v1/projects")),
    refetchInterval: 10000,
  });
}

export function useProject(id?: string) {
  return useQuery({
    queryKey: ["project", id],
    queryFn: () => api<Project>(`/v1/projects/${id}`),
    enabled: !!id,
  });
}

/** The project graph's key and loader, shared by `useGraph` and the start-up prefetch. The
 *  first load leaves a `tascade:graph-loaded` performance mark (read by the board benchmark). */
export function graphQuery(projectId?: string) {
  return {
    queryKey: ["graph", projectId],
    queryFn: async () => {
      const graph = await api<ProjectGraph>(`/v1/projects/${projectId}/graph`);
      if (!performance.getEntriesByName("tascade:graph-loaded").length) performance.mark("tascade:graph-loaded");
      return graph;
    },
  };
}

export function useGraph(projectId?: string, opts: { poll?: boolean } = {}) {
  const interval = usePollInterval(10000);
  return useQuery({
    ...graphQuery(projectId),
    enabled: !!projectId,
    refetchInterval: opts.poll === false ? false : interval,
  });
}

export function useTask(taskId?: string) {
  const interval = usePollInterval(10000);
  return useQuery({
    queryKey: ["task", taskId],
    queryFn: () => api<Task>(`/v1/tasks/${taskId}`),
    enabled: !!taskId,
    refetchInterval: interval,
  });
}

export function useArtifacts(taskId?: string, projectId?: string) {
  return useQuery({
    queryKey: ["artifacts", taskId],
    queryFn: async () => itemsOf<Artifact>(await api<Artifact[] | Page<Artifact>>(`/v1/tasks/${taskId}/artifacts${query({ project_id: projectId })}`)),
    enabled: !!taskId,
  });
}

export function useIntegrationAttempts(taskId?: string, projectId?: string) {
  return useQuery({
    queryKey: ["attempts", taskId],
    queryFn: async () =>
      itemsOf<IntegrationAttempt>(
        await api<IntegrationAttempt[] | Page<IntegrationAttempt>>(`/v1/tasks/${taskId}/integration-attempts${query({ project_id: projectId })}`),
      ),
    enabled: !!taskId,
  });
}

export function useGateDecisions(projectId?: string) {
  return useQuery({
    queryKey: ["gateDecisions", projectId],
    queryFn: async () =>
      itemsOf<GateDecision>(
        await api<GateDecision[] | Page<GateDecision>>(`/v1/gate-decisions${query({ project_id: projectId })}`),
      ),
    enabled: !!projectId,
  });
}

export function useTaskEvents(taskId?: string, projectId?: string) {
  return useQuery({
    queryKey: ["taskEvents", taskId],
    queryFn: async () => {
      const v = await api<EventRecord[] | { events?: EventRecord[]; items?: EventRecord[] }>(`/v1/tasks/${taskId}/events${query({ project_id: projectId })}`);
      return Array.isArray(v) ? v : (v.events ?? v.items ?? []);
    },
    enabled: !!taskId,
  });
}

export function useCheckpoints(projectId?: string, includeCompleted = false) {
  const interval = usePollInterval(30000);
  return useQuery({
    queryKey: ["checkpoints", projectId, includeCompleted],
    queryFn: async () =>
      itemsOf<Checkpoint>(
        await api<Page<Checkpoint>>(
          `/v1/gates/checkpoints${query({ project_id: projectId, include_completed: includeCompleted || undefined })}`,
        ),
      ),
    enabled: !!projectId,
    refetchInterval: interval,
  });
}
