// The metrics API (METRICS-SPEC §12) as cached queries under ["metrics", project, ...], so a
// live event refreshes them all.
import { useQuery } from "@tanstack/react-query";
import { api, query } from "../api/client";
import { usePollInterval } from "../live/LiveProvider";

export interface NorthStar {
  delivery_predictability_index?: { value: number; trend?: string; change_pct?: number };
  flow_efficiency_score?: { value: number; active_time_pct?: number; waiting_time_pct?: number; blocked_time_pct?: number };
  integration_reliability_score?: { value: number; success_rate?: number; avg_recovery_minutes?: number };
}

export interface Summary {
  project_id: string;
  timestamp: string;
  metrics: { north_star?: NorthStar; operational?: Record<string, Record<string, unknown>> };
}

export interface TrendPoint {
  timestamp: string;
  value: number;
}

export interface BreakdownItem {
  dimension_value: string;
  value: number;
  percentage: number;
  count: number;
  trend?: { direction: string; change_pct: number };
}

export interface Alert {
  id: string;
  metric_key: string;
  alert_type: string;
  severity: string;
  value: number;
  threshold: number | null;
  context?: Record<string, unknown>;
  created_at: string;
  acknowledged_at: string | null;
}

export interface Suggestion {
  action_type?: string;
  title?: string;
  rationale?: string;
  priority?: string;
  evidence?: Record<string, unknown>;
  affected_task_ids?: string[];
  [k: string]: unknown;
}

export interface MilestoneHealth {
  milestone_id: string;
  name: string;
  health_score: number | null;
  health_status: "green" | "yellow" | "red";
  breach_probability: number;
  task_summary: { total: number; completed: number; remaining: number; avg_cycle_time_hours: number };
  /** A Monte Carlo completion forecast, when the server makes one. */
  forecast?: { method?: string; trials?: number; p50_date?: string | null; p85_date?: string | null; p95_date?: string | null; probability_by_target?: number | null; target_date?: string | null };
}


export function useSummary(projectId: string) {
  const interval = usePollInterval(60000);
  return useQuery({
    queryKey: ["metrics", projectId, "summary"],
    queryFn: () => api<Summary>(`/v1/metrics/summary${query({ project_id: projectId })}`),
    refetchInterval: interval,
  });
}

export function useTrend(projectId: string, metric: string, start: string, end: string, granularity: string) {
  return useQuery({
    queryKey: ["metrics", projectId, "trend", metric, start, end, granularity],
    queryFn: async () =>
      (await api<{ data: TrendPoint[] }>(`/v1/metrics/trends${query({ project_id: projectId, metric, start_date: start, end_date: end, granularity })}`)).data ?? [],
  });
}

export function useBreakdown(projectId: string, metric: string, dimension: string, range: string) {
  return useQuery({
    queryKey: ["metrics", projectId, "breakdown", metric, dimension, range],
    queryFn: async () =>
      (await api<{ breakdown: BreakdownItem[] }>(`/v1/metrics/breakdown${query({ project_id: projectId, metric, dimension, time_range: range })}`)).breakdown ?? [],
  });
}

export function useAlerts(projectId: string) {
  return useQuery({
    queryKey: ["metrics", projectId, "alerts"],
    queryFn: async () => (await api<{ items: Alert[] }>(`/v1/metrics/alerts${query({ project_id: projectId })}`)).items ?? [],
  });
}

export function useActions(projectId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["metrics", projectId, "actions"],
    queryFn: async () => (await api<{ suggestions: Suggestion[] }>(`/v1/metrics/actions${query({ project_id: projectId })}`)).suggestions ?? [],
    enabled,
  });
}

export function useHealth(projectId: string) {
  return useQuery({
    queryKey: ["metrics", projectId, "health"],
    queryFn: async () => (await api<{ milestones: MilestoneHealth[] }>(`/v1/metrics/health${query({ project_id: projectId })}`)).milestones ?? [],
  });
}

export function acknowledgeAlert(projectId: string, alertId: string) {
  return api<{ id: string; acknowledged_at: string }>(
    `/v1/metrics/alerts/${encodeURIComponent(alertId)}/acknowledge${query({ project_id: projectId })}`,
    { method: "POST" },
  );
}
