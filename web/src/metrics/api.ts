// The metrics API (issue 13, src/catalogue/metrics_operations.cpp) as cached queries under
// ["metrics", project, ...], so a live event refreshes them all. The types follow what the
// server answers (the fixtures in src/test/fixtures/metrics/ are captured from a real tascaded).
import { useQuery } from "@tanstack/react-query";
import { api, query } from "../api/client";
import { usePollInterval } from "../live/LiveProvider";

/** Percentages 0–100 (the server multiplies its ratios by 100). */
export interface NorthStar {
  delivery_predictability_index?: {
    value: number;
    trend?: "up" | "down" | "stable";
    change_pct?: number;
    /** Ratios 0–1; null until the server has the data for one. */
    components?: { schedule_reliability: number | null; cycle_time_stability: number | null; blocker_resolution_rate: number | null };
  };
  flow_efficiency_score?: { value: number; active_time_pct?: number; waiting_time_pct?: number; blocked_time_pct?: number };
  integration_reliability_score?: { value: number; success_rate?: number; avg_recovery_minutes?: number };
}

export interface Operational {
  throughput?: { tasks_integrated_week: number; tasks_integrated_total: number; tasks_by_milestone: Record<string, number> };
  cycle_time?: { p50_minutes: number; p90_minutes: number; p95_minutes: number; sample_size: number };
  lead_time?: { p50_hours: number | null; p90_hours: number | null };
  wip?: { total_count: number; avg_age_hours: number; aging_buckets: Record<string, number> };
  blocked?: { ratio: number; avg_blocked_hours: number; count: number };
  backlog?: { implemented_not_integrated: number; avg_age_hours: number };
  integration_outcomes?: {
    success: number;
    conflict: number;
    failed_checks: number;
    queued: number;
    success_first?: number;
    success_retry?: number;
    avg_retry_to_success_minutes?: number;
  };
  state_distribution?: { by_state: Record<string, number>; wip_count: number };
}

export interface Summary {
  version?: string;
  project_id: string;
  timestamp: string;
  /** `{}` when the project has no metrics yet (or for a timestamp before it existed). */
  metrics: {
    north_star?: NorthStar;
    operational?: Operational;
    actionability?: { bottleneck_contribution?: { contributions: Record<string, number>; primary: string | null } };
  };
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
  project_id?: string;
  /** DPI, FES, IRS (ratios 0–1), lead_time_p90 (hours), blocked_ratio (ratio), ini_backlog (tasks). */
  metric_key: string;
  alert_type: string;
  severity: string;
  value: number;
  threshold: number | null;
  context?: Record<string, unknown>;
  created_at: string;
  acknowledged_at: string | null;
  resolved_at?: string | null;
  status?: "open" | "resolved";
}

export interface Suggestion {
  action_type: string;
  confidence?: number;
  affected_tasks?: string[];
  rationale?: string;
  evidence_refs?: string[];
}

export interface Forecast {
  method: string;
  remaining: number;
  trials?: number;
  seed?: number;
  history_days?: number;
  p50_days?: number;
  p85_days?: number;
  p95_days?: number;
  p50_date?: string;
  p85_date?: string;
  p95_date?: string;
  target_date?: string;
  probability_by_target?: number;
}

export interface MilestoneHealth {
  milestone_id: string;
  name: string;
  short_id?: string;
  health_score: number | null;
  health_status: "green" | "yellow" | "red";
  breach_probability: number;
  task_summary: { total: number; completed: number; remaining: number; avg_cycle_time_hours: number };
  /** The Monte Carlo forecast; null while the project has integrated nothing to learn from. */
  forecast?: Forecast | null;
}

/** The series `/v1/metrics/trends` knows. */
export const TREND_METRICS = [
  "delivery_predictability_index",
  "flow_efficiency_score",
  "integration_reliability_score",
  "throughput",
  "cycle_time",
  "wip",
  "blocked_ratio",
  "ini_backlog",
] as const;
export const GRANULARITIES = ["hour", "day", "week", "month"] as const;
export const TIME_RANGES = ["24h", "7d", "30d", "90d"] as const;
export const BREAKDOWN_METRICS = ["throughput", "cycle_time", "wip", "blocked", "backlog"] as const;
export const DIMENSIONS = ["phase", "milestone", "assignee", "task_class", "state"] as const;

export function useSummary(projectId: string) {
  const interval = usePollInterval(60000);
  return useQuery({
    queryKey: ["metrics", projectId, "summary"],
    queryFn: () => api<Summary>(`/v1/metrics/summary${query({ project_id: projectId })}`),
    refetchInterval: interval,
  });
}

/** `start` and `end` are ISO date-times (UTC); the server keeps buckets within them, inclusive. */
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
