import { useProjects } from "../api/queries";
import { EmptyState, ErrorMessage, errorText } from "../components/common";
import { ProjectCard } from "../components/ProjectCard";

export function ProjectsPage() {
  const projects = useProjects();
  return (
    <>
      <h1>Projects</h1>
      {projects.isPending ? (
        <div role="status" aria-label="Loading projects" className="grid">
          {[0, 1, 2].map((i) => (
            <div key={i} className="placeholder" style={{ height: 110 }} />
          ))}
        </div>
      ) : projects.isError ? (
        <ErrorMessage message={`Failed to load projects: ${errorText(projects.error)}`} onRetry={() => void projects.refetch()} />
      ) : projects.data.length === 0 ? (
        <EmptyState title="No projects found" hint="Create a project via the API to get started." />
      ) : (
        <div className="grid">
          {projects.data.map((p) => (
            <ProjectCard key={p.id} project={p} />
          ))}
        </div>
      )}
    </>
  );
}
