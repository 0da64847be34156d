// Lease awareness: the holder, the countdown to the lease's expiry and the heartbeat's age
// (stale after 5 minutes); a reservation with its remaining time.
import { durationLabel } from "../lib/format";
import {
  heartbeatAge,
  secondsLeft,
  STALE_HEARTBEAT_SECONDS,
  type LeaseInfo,
  type ReservationInfo,
} from "../live/liveState";

export function LeaseLine({ lease, now, compact }: { lease: LeaseInfo; now: number; compact?: boolean }) {
  const left = secondsLeft(lease.expiresAt, now);
  const beat = heartbeatAge(lease, now);
  const stale = beat >= STALE_HEARTBEAT_SECONDS;
  return (
    <div className="lease-line" data-testid="lease">
      <span title="Lease holder">held by <strong>{lease.agent}</strong></span>
      <span className={left <= 0 ? "stale" : left < 60 ? "soon" : ""} title={`Lease expires ${lease.expiresAt}`}>
        {left <= 0 ? "lease expired" : `expires in ${durationLabel(left)}`}
      </span>
      <span className={stale ? "stale" : "fresh"} title={`Last heartbeat ${lease.heartbeatAt}`}>
        {stale ? "stale heartbeat" : "heartbeat"} {durationLabel(beat)} ago
      </span>
      {!compact && <span className="muted">since {new Date(lease.since).toLocaleTimeString()}</span>}
    </div>
  );
}

export function ReservationLine({ reservation, now }: { reservation: ReservationInfo; now: number }) {
  const left = secondsLeft(reservation.expiresAt, now);
  return (
    <div className="lease-line" data-testid="reservation">
      <span title="Reserved for">reserved for <strong>{reservation.assignee}</strong></span>
      <span className={left <= 0 ? "stale" : ""}>{left <= 0 ? "reservation expired" : `for ${durationLabel(left)}`}</span>
    </div>
  );
}
