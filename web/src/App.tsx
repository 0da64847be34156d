import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import { Loading } from "./components/common";
import { NotFound, Shell } from "./components/Shell";
import { ProjectsPage } from "./pages/ProjectsPage";
import { Workspace } from "./pages/Workspace";

const MetricsPage = lazy(() => import("./metrics/MetricsPage").then((m) => ({ default: m.MetricsPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="/projects" replace />} />
      <Route element={<Shell />}>
        <Route path="/projects" element={<ProjectsPage />} />
        {(["tasks", "graph", "agents", "checkpoints"] as const).map((tab) => (
          <Route key={tab} path={`/projects/:projectId/${tab}/:taskId?`} element={<Workspace tab={tab} />} />
        ))}
        <Route
          path="/projects/:projectId/metrics"
          element={
            <Suspense fallback={<Loading label="Loading metrics" />}>
              <MetricsPage />
            </Suspense>
          }
        />
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
