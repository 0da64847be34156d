// Small pure formatters shared by the views.

/** A state key as shown: every underscore becomes a space ("in_progress" -> "in progress"). */
export function stateLabel(state: string): string {
  return state.replace(/_/g, " ");
}

/** The short id, else the first 8 characters of the id. */
export function shortId(t: { id: string; short_id?: string | null }): string {
  return t.short_id || t.id.slice(0, 8);
}

export type Health = "green" | "amber" | "red";

/** Project health from its tasks: the share of blocked tasks among the unfinished ones. */
export function projectHealth(states: string[]): Health {
  const open = states.filter((s) => !["integrated", "cancelled", "abandoned"].includes(s));
  if (open.length === 0) return "green";
  const blocked = open.filter((s) => s === "blocked" || s === "conflict").length;
  const ratio = blocked / open.length;
  if (ratio < 0.1) return "green";
  if (ratio < 0.3) return "amber";
  return "red";
}

/** Half-up rounding, as the checkpoint ages use. */
function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** "15m ago", "12h ago", "3d ago". */
export function ageLabel(hours: number): string {
  if (hours < 1) return `${Math.max(1, roundHalfUp(hours * 60))}m ago`;
  if (hours < 24) return `${roundHalfUp(hours)}h ago`;
  return `${roundHalfUp(hours / 24)}d ago`;
}

/** A duration in seconds as "4m 05s", "2h 10m", "3d 4h"; negative durations as "expired". */
export function durationLabel(seconds: number): string {
  if (!Number.isFinite(seconds)) return "-";
  const s = Math.floor(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function shortDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function timeOfDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Compact numbers for chart axes: "1.2k", integers as is, else one decimal. */
export function axisLabel(v: number): string {
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(1)}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(1);
}
