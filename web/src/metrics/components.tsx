// Metrics building blocks: north-star card, trend chart (SVG with a data table), breakdown table.
import type { ReactNode } from "react";
import { axisLabel } from "../lib/format";
import type { BreakdownItem, TrendPoint } from "./api";

const ARROW: Record<string, string> = { up: "↑", down: "↓", stable: "→" };
const TREND_BADGE: Record<string, string> = { up: "primary", down: "destructive", stable: "secondary" };

export function TrendBadge({ direction, change }: { direction: string; change: number }) {
  return (
    <span className={`badge ${TREND_BADGE[direction] ?? "secondary"}`}>
      {ARROW[direction] ?? "→"} {Math.abs(change).toFixed(1)}%
    </span>
  );
}

export function valueColour(value: number, yellow: number, green: number): "green" | "yellow" | "red" {
  if (value >= green) return "green";
  if (value >= yellow) return "yellow";
  return "red";
}

interface CardProps {
  title: string;
  value: number;
  format?: (v: number) => string;
  thresholds?: { yellow: number; green: number };
  trend?: { direction: string; change: number };
  help?: string;
  /** Shown instead of the value, uncoloured (e.g. "N/A"). */
  display?: string;
  children?: ReactNode;
}

export function NorthStarCard({ title, value, format, thresholds, trend, help, display, children }: CardProps) {
  const colour = display ? "" : thresholds ? `v-${valueColour(value, thresholds.yellow, thresholds.green)}` : "";
  return (
    <div className="card" data-testid="north-star">
      <div className="metric-title">
        {title}{" "}
        {help && (
          <span className="help-dot" title={help} aria-label={`About ${title}`} role="img">
            i
          </span>
        )}
      </div>
      <div className={`metric-value ${colour}`} data-colour={colour.replace("v-", "")}>
        {display ?? (format ? format(value) : value.toFixed(1))}
      </div>
      {trend && <TrendBadge direction={trend.direction} change={trend.change} />}
      {children}
    </div>
  );
}

const W = 600;
const H = 240;
const PAD = { top: 24, right: 16, bottom: 32, left: 48 };

function mmdd(iso: string): string {
  const d = new Date(iso);
  return `${d.getMonth() + 1}/${d.getDate()}`;
}

/** A line over time (x scaled by time, so gaps show), with a table of the numbers for screen readers. */
export function TrendChart({ data, label, unit = "" }: { data: TrendPoint[]; label?: string; unit?: string }) {
  if (data.length === 0)
    return (
      <div className="empty" style={{ height: H, display: "flex", alignItems: "center", justifyContent: "center" }}>
        No trend data available.
      </div>
    );
  const name = label ?? "Trend chart";
  const values = data.map((d) => d.value);
  // A flat series (one point, or a constant) is drawn mid-height on an axis from 0 to twice its
  // value, not at the bottom of an invented one-unit range.
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.abs(lo) || 1 : 0;
  const min = lo - pad;
  const range = hi - lo + 2 * pad;
  const times = data.map((d) => Date.parse(d.timestamp));
  const t0 = Math.min(...times);
  const span = Math.max(...times) - t0;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i: number) => (data.length === 1 || !span ? PAD.left + iw / 2 : PAD.left + ((times[i] - t0) / span) * iw);
  const y = (v: number) => PAD.top + ih - ((v - min) / range) * ih;
  const labels = [0, data.length >= 3 ? Math.floor(data.length / 2) : -1, data.length >= 2 ? data.length - 1 : -1].filter((i) => i >= 0);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={name}>
        <title>{name}</title>
        {[0, 1, 2, 3, 4].map((i) => {
          const v = min + (range * i) / 4;
          return (
            <g key={i}>
              <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
                {axisLabel(v)}
              </text>
            </g>
          );
        })}
        {[...new Set(labels)].map((i) => (
          <text key={i} x={x(i)} y={H - 10} textAnchor="middle">
            {mmdd(data[i].timestamp)}
          </text>
        ))}
        <text x={PAD.left} y={14}>
          {name}
          {unit && ` (${unit})`}
        </text>
        <polyline className="series" points={data.map((d, i) => `${x(i)},${y(d.value)}`).join(" ")} />
        {data.map((d, i) => (
          <circle key={i} cx={x(i)} cy={y(d.value)} r={3}>
            <title>{`${new Date(d.timestamp).toLocaleString()}: ${d.value}${unit ? " " + unit : ""}`}</title>
          </circle>
        ))}
      </svg>
      <details>
        <summary className="muted" style={{ fontSize: 12 }}>
          Data table
        </summary>
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>{name}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d, i) => (
              <tr key={i}>
                <td>{new Date(d.timestamp).toLocaleString()}</td>
                <td>{d.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** One row per dimension value (the latest row wins when the server repeats one). */
export function BreakdownTable({ items, label }: { items: BreakdownItem[]; label?: string }) {
  if (items.length === 0) return <p className="muted">No breakdown data available.</p>;
  const unique = [...new Map(items.map((i) => [i.dimension_value, i])).values()];
  return (
    <table>
      <thead>
        <tr>
          <th>{label ?? "Dimension"}</th>
          <th style={{ textAlign: "right" }}>Value</th>
          <th style={{ textAlign: "right" }}>Percentage</th>
          <th style={{ textAlign: "right" }}>Count</th>
          <th style={{ textAlign: "center" }}>Trend</th>
        </tr>
      </thead>
      <tbody>
        {unique.map((i) => (
          <tr key={i.dimension_value}>
            <td>{i.dimension_value}</td>
            <td style={{ textAlign: "right" }}>{i.value.toFixed(1)}</td>
            <td style={{ textAlign: "right" }}>{i.percentage.toFixed(1)}%</td>
            <td style={{ textAlign: "right" }}>{i.count}</td>
            <td style={{ textAlign: "center" }}>{i.trend ? <TrendBadge direction={i.trend.direction} change={i.trend.change_pct} /> : "--"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
