// The page shell: top bar (brand, project selector, project navigation, live indicator, key),
// breadcrumb, then the page in `main`. Follows the project's event stream while one is open.
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router";
import { useProject, useProjects } from "../api/queries";
import { useAuth } from "../auth/AuthProvider";
import { LiveProvider, useLive } from "../live/LiveProvider";

const LIVE_TEXT = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting… (polling)", off: "Offline" };

function LiveIndicator() {
  const { status } = useLive();
  return (
    <span className={`live live-${status === "live" ? "on" : status}`} role="status" aria-label={`Event stream: ${LIVE_TEXT[status]}`} data-live={status}>
      <span className="dot" aria-hidden="true" />
      {LIVE_TEXT[status]}
    </span>
  );
}

function KeyControl() {
  const { hasKey, signIn, signOut } = useAuth();
  return (
    <span className="who">
      {hasKey ? (
        <>
          <span className="muted">API key set</span>
          <button type="button" className="btn small" onClick={signOut}>
            Sign out
          </button>
        </>
      ) : (
        <button type="button" className="btn small" onClick={signIn}>
          Use an API key
        </button>
      )}
    </span>
  );
}

export function Shell() {
  const { projectId } = useParams();
  const projects = useProjects();
  const project = useProject(projectId);
  const navigate = useNavigate();
  const { search } = useLocation();
  return (
    <LiveProvider projectId={projectId}>
      <header className="topbar">
        <div className="topbar-row">
          <Link to="/projects" className="brand">
            Tascade
          </Link>
          <select
            className="project-select"
            aria-label="Select project"
            value={projectId ?? ""}
            onChange={(e) => e.target.value && navigate(`/projects/${e.target.value}/tasks`)}
          >
            <option value="" disabled>
              Select project
            </option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {projectId && (
            <nav aria-label="Project navigation" className="nav">
              {/* The board's filters (the query string) follow the views that use them. */}
              <NavLink to={{ pathname: `/projects/${projectId}/tasks`, search }}>Tasks</NavLink>
              <NavLink to={{ pathname: `/projects/${projectId}/graph`, search }}>Graph</NavLink>
              <NavLink to={{ pathname: `/projects/${projectId}/agents`, search }}>Agents</NavLink>
              <NavLink to={`/projects/${projectId}/checkpoints`}>Checkpoints</NavLink>
              <NavLink to={`/projects/${projectId}/metrics`}>Metrics</NavLink>
            </nav>
          )}
          <span className="spacer" />
          {projectId && <LiveIndicator />}
          <KeyControl />
        </div>
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>
              <Link to="/projects">Projects</Link>
            </li>
            {project.data && <li aria-current="page">{project.data.name}</li>}
          </ol>
        </nav>
      </header>
      <main>
        <Outlet />
      </main>
    </LiveProvider>
  );
}

export function NotFound() {
  return (
    <div className="notfound">
      <div className="big">404</div>
      <div>Page not found</div>
      <Link to="/projects">Back to projects</Link>
    </div>
  );
}
