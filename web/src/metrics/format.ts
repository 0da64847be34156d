// How the metrics page names and formats the server's figures (units as the metrics API sends
// them: north-star trends in percent, ratios 0–1 in alerts, cycle times in minutes).

/** An alert's metric: its name, its unit and the side of the threshold that is bad. */
const ALERT_METRICS: Record<string, { label: string; kind: "ratio" | "hours" | "count"; below: boolean }> = {
  DPI: { label: "Delivery predictability", kind: "ratio", below: true },
  FES: { label: "Flow efficiency", kind: "ratio", below: true },
  IRS: { label: "Integration reliability", kind: "ratio", below: true },
  lead_time_p90: { label: "Lead time p90", kind: "hours", below: false },
  blocked_ratio: { label: "Blocked ratio", kind: "ratio", below: false },
  ini_backlog: { label: "Implemented, not integrated", kind: "count", below: false },
};

export function alertMetricLabel(key: string): string {
  return ALERT_METRICS[key]?.label ?? key.replace(/_/g, " ");
}

/** An alert's reading in its unit: "33%", "250 h", "12". */
export function alertValue(key: string, value: number): string {
  const kind = ALERT_METRICS[key]?.kind;
  if (kind === "ratio") return `${Math.round(value * 1000) / 10}%`;
  if (kind === "hours") return `${Math.round(value)} h`;
  return String(Math.round(value * 100) / 100);
}

/** "below 25%" / "above 10": the threshold the reading crossed (the side from the alert's
 *  context.direction, else the metric's usual one). */
export function alertThreshold(key: string, threshold: number | null, direction?: unknown): string {
  if (threshold === null) return "";
  const known = ALERT_METRICS[key];
  const side = direction === "above" || direction === "below" ? direction : known ? (known.below ? "below" : "above") : "vs";
  return `${side} ${alertValue(key, threshold)}`;
}

/** Minutes as "45 min", "3.5 h" or "2.1 d". */
export function minutesLabel(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}
