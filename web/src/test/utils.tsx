// Test harness: a fresh query cache per test (no retries), an in-memory router at a URL, and a
// mock HTTP layer whose defaults answer like an empty project (DASHBOARD-SPEC §9).
import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { AuthProvider } from "../auth/AuthProvider";

export type Handler = (url: URL, init: RequestInit) => unknown | Promise<unknown>;

/** A JSON answer with a status (the default is 200). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** Never answers: the request stays pending. */
export const PENDING = Symbol("pending");

export const defaultTask = {
  id: "task-1",
  short_id: "T-001",
  title: "Test Task",
  state: "ready",
  priority: 5,
  task_class: "frontend",
  capability_tags: ["ux"],
  work_spec: { objective: "Do the thing", acceptance_criteria: ["AC 1"] },
};

const defaults: Record<string, Handler> = {
  graph: () => ({ project: { id: "proj-1", name: "Test Project" }, phases: [], milestones: [], tasks: [], dependencies: [] }),
  task: () => defaultTask,
  artifacts: () => [],
  attempts: () => [],
  events: () => [],
  gateDecisions: () => [],
  checkpoints: () => ({ items: [], total: 0, limit: 50, offset: 0 }),
  projects: () => [],
  project: () => ({ id: "proj-1", name: "Test Project", status: "active", created_at: "2026-06-15T10:00:00Z" }),
  summary: () => ({ project_id: "proj-1", timestamp: "", metrics: {} }),
  trends: () => ({ data: [] }),
  breakdown: () => ({ breakdown: [] }),
  alerts: () => ({ items: [] }),
  actions: () => ({ suggestions: [] }),
  health: () => ({ milestones: [] }),
};

function route(path: string): string {
  if (/^\/v1\/projects\/[^/]+\/graph$/.test(path)) return "graph";
  if (/^\/v1\/projects\/[^/]+$/.test(path)) return "project";
  if (path === "/v1/projects") return "projects";
  if (/^\/v1\/tasks\/[^/]+\/artifacts$/.test(path)) return "artifacts";
  if (/^\/v1\/tasks\/[^/]+\/integration-attempts$/.test(path)) return "attempts";
  if (/^\/v1\/tasks\/[^/]+\/events$/.test(path)) return "events";
  if (/^\/v1\/tasks\/[^/]+$/.test(path)) return "task";
  if (path === "/v1/gate-decisions") return "gateDecisions";
  if (path === "/v1/gates/checkpoints") return "checkpoints";
  if (path === "/v1/metrics/summary") return "summary";
  if (path === "/v1/metrics/trends") return "trends";
  if (path === "/v1/metrics/breakdown") return "breakdown";
  if (path === "/v1/metrics/alerts") return "alerts";
  if (path === "/v1/metrics/actions") return "actions";
  if (path === "/v1/metrics/health") return "health";
  if (/^\/v1\/metrics\/alerts\/[^/]+\/acknowledge$/.test(path)) return "acknowledge";
  return path;
}

/** Installs a fetch mock; `overrides` replace the default answer per route name. Returns the mock. */
export function mockApi(overrides: Record<string, Handler> = {}) {
  const handlers = { ...defaults, ...overrides };
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const h = handlers[route(url.pathname)];
    const out = h ? await h(url, init) : new Reply(404, { detail: "Not Found" });
    if (out === PENDING) return new Promise<Response>(() => {});
    const reply = out instanceof Reply ? out : new Reply(200, out);
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fn);
  return fn;
}

export function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
}

/** Renders `ui` at `url` under `path` (a route pattern), with a fresh cache. */
export function renderAt(ui: ReactElement, { url = "/", path = "*" }: { url?: string; path?: string } = {}) {
  const client = newQueryClient();
  const result = render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <AuthProvider>
          <Routes>
            <Route path={path} element={ui} />
            {path !== "*" && <Route path="*" element={<div data-testid="elsewhere" />} />}
          </Routes>
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, client };
}
