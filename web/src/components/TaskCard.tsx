// A task on the board: a keyboard-operable button named "<short id>: <title>", with its
// priority, class and tags, and, while claimed, who holds it and for how long.
import { memo, type KeyboardEvent } from "react";
import type { GraphTask } from "../api/types";
import { shortId } from "../lib/format";
import type { LeaseInfo, ReservationInfo } from "../live/liveState";
import { LeaseLine, ReservationLine } from "./LeaseLine";

const STATES = new Set(["ready", "claimed", "in_progress", "implemented", "integrated", "blocked"]);

interface Props {
  task: GraphTask;
  onSelect: (id: string) => void;
  lease?: LeaseInfo;
  reservation?: ReservationInfo;
  now?: number;
}

function TaskCardImpl({ task, onSelect, lease, reservation, now }: Props) {
  const sid = shortId(task);
  const tags = task.capability_tags ?? [];
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect(task.id);
    }
  };
  return (
    <div
      role="button"
      tabIndex={0}
      className="task-card"
      aria-label={`${sid}: ${task.title}`}
      data-task-id={task.id}
      data-state={task.state}
      onClick={() => onSelect(task.id)}
      onKeyDown={onKey}
    >
      <div className="row">
        <span className="sid mono">{sid}</span>
        <span className="badge neutral" title={`Priority: ${task.priority}`}>
          P{task.priority}
        </span>
      </div>
      <div className="title">{task.title}</div>
      {(task.task_class || tags.length > 0) && (
        <div className="row">
          {task.task_class && (
            <span className={`badge ${STATES.has(task.task_class) ? `state-${task.task_class}` : "neutral"}`}>
              {task.task_class}
            </span>
          )}
          {tags.slice(0, 3).map((t) => (
            <span key={t} className="badge outline">
              {t}
            </span>
          ))}
          {tags.length > 3 && <span className="badge outline">+{tags.length - 3}</span>}
        </div>
      )}
      {lease && now !== undefined && <LeaseLine lease={lease} now={now} compact />}
      {!lease && reservation && now !== undefined && <ReservationLine reservation={reservation} now={now} />}
    </div>
  );
}

export const TaskCard = memo(TaskCardImpl);
