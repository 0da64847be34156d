// Shared presentation blocks: state badge, empty state, error message, loading placeholder.
import type { ReactNode } from "react";
import { stateLabel } from "../lib/format";

const PALETTE = new Set(["ready", "claimed", "in_progress", "implemented", "integrated", "blocked"]);

export function stateClass(state: string): string {
  return `state-${PALETTE.has(state) ? state : "other"}`;
}

export function StateBadge({ state, className = "" }: { state: string; className?: string }) {
  return <span className={`badge state ${stateClass(state)} ${className}`.trim()}>{stateLabel(state)}</span>;
}

export function EmptyState({ title, hint }: { title: string; hint?: string }) {
  return (
    <div className="empty">
      <div className="title">{title}</div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ label, children }: { label: string; children?: ReactNode }) {
  return (
    <div role="status" aria-label={label}>
      {children ?? <div className="placeholder" style={{ height: 80 }} />}
    </div>
  );
}

export function errorText(e: unknown): string {
  const status = (e as { status?: number } | null)?.status;
  if (status === 401) return "API 401 (sign in with an API key)";
  if (status === 403) return "API 403 (this key may not see it)";
  return e instanceof Error ? e.message : String(e);
}
