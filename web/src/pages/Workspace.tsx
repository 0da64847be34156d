// The project workspace: the view the URL names (Tasks, Graph, Agents, Checkpoints; the header's
// project navigation switches them), and the task drawer, open exactly when the URL names a task.
import { lazy, Suspense, useCallback } from "react";
import { useLocation, useNavigate, useParams } from "react-router";
import { AgentsView } from "../components/AgentsView";
import { CheckpointList } from "../components/CheckpointList";
import { Loading } from "../components/common";
import { KanbanBoard } from "../components/KanbanBoard";
import { TaskDrawer } from "../components/TaskDrawer";

const GraphView = lazy(() => import("../components/GraphView").then((m) => ({ default: m.GraphView })));

const TABS = [
  { key: "tasks", label: "Tasks" },
  { key: "graph", label: "Graph" },
  { key: "agents", label: "Agents" },
  { key: "checkpoints", label: "Checkpoints" },
] as const;

export function Workspace({ tab }: { tab: (typeof TABS)[number]["key"] }) {
  const { projectId, taskId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  // Checkpoint rows open the drawer on the Tasks tab; the other tabs keep their own.
  const base = `/projects/${projectId}/${tab === "checkpoints" ? "tasks" : tab}`;
  const close = useCallback(() => navigate({ pathname: base, search: location.search }), [navigate, base, location.search]);
  if (!projectId) return <p>No project selected.</p>;
  return (
    <>
      <div role="region" aria-label={TABS.find((t) => t.key === tab)!.label}>
        {tab === "tasks" && <KanbanBoard projectId={projectId} />}
        {tab === "graph" && (
          <Suspense fallback={<Loading label="Loading graph" />}>
            <GraphView projectId={projectId} selected={taskId} />
          </Suspense>
        )}
        {tab === "agents" && <AgentsView projectId={projectId} />}
        {tab === "checkpoints" && <CheckpointList projectId={projectId} />}
      </div>
      <TaskDrawer projectId={projectId} taskId={taskId} basePath={base} onClose={close} />
    </>
  );
}
