// The live stream and runtime keys: a fake EventSource drives the board; a 401 asks for a key
// that is then sent as Bearer and as the stream's access_token.
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { KanbanBoard } from "../components/KanbanBoard";
import { LiveProvider, useLive } from "../live/LiveProvider";
import { ProjectsPage } from "../pages/ProjectsPage";
import { mockApi, renderAt, Reply } from "./utils";

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(type: string, data: object) {
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  fail() {
    this.readyState = 2;
    this.onerror?.();
  }
}

function Status() {
  return <span data-testid="status">{useLive().status}</span>;
}

describe("live updates", () => {
  it("moves a card when the stream says it was claimed, and resumes after the last event", async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal("EventSource", FakeEventSource);
    let graphRequests = 0;
    mockApi({
      graph: () => {
        graphRequests++;
        return { phases: [], milestones: [], dependencies: [], tasks: [{ id: "t1", short_id: "T1", title: "Alpha", state: "ready", priority: 1, updated_at: "2026-06-15T10:00:00Z" }] };
      },
    });
    renderAt(
      <LiveProvider projectId="proj-1">
        <Status />
        <KanbanBoard projectId="proj-1" />
      </LiveProvider>,
    );
    await screen.findByText("Alpha");
    // The stream opens once the graph has been painted (two frames after it arrived).
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const es = FakeEventSource.instances[0];
    expect(es.url).toContain("project=proj-1");
    expect(screen.getByTestId("status")).toHaveTextContent("connecting");
    act(() => es.open());
    expect(screen.getByTestId("status")).toHaveTextContent("live");
    act(() =>
      es.emit("task_claimed", { seq: 42, type: "task_claimed", time: "2026-06-15T10:01:00Z", payload: { task_id: "t1", agent_id: "agent-7", expires_at: Date.parse("2026-06-15T10:06:00Z") * 1000 } }),
    );
    const claimed = screen.getByRole("region", { name: "claimed column" });
    await waitFor(() => expect(within(claimed).getByText("Alpha")).toBeInTheDocument());
    expect(within(claimed).getByText("agent-7")).toBeInTheDocument();
    expect(graphRequests).toBe(1);

    // A refused stream is reopened after the last event seen, and the views poll meanwhile.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    act(() => es.fail());
    expect(screen.getByTestId("status")).toHaveTextContent("reconnecting");
    await act(async () => {
      vi.advanceTimersByTime(600);
    });
    vi.useRealTimers();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.instances[1].url).toContain("after=42");
  });
});

describe("runtime API key", () => {
  it("asks on 401, keeps the key in session storage and sends it as Bearer", async () => {
    const seen: (string | null)[] = [];
    mockApi({
      projects: (_url, init) => {
        const auth = new Headers(init.headers).get("Authorization");
        seen.push(auth);
        return auth === "Bearer tsk_good" ? [{ id: "p1", name: "Secret Project", status: "active", created_at: "2026-06-15T10:00:00Z" }] : new Reply(401, { error: { code: "AUTH_MISSING" } });
      },
    });
    renderAt(<ProjectsPage />);
    const box = await screen.findByLabelText("API key");
    await userEvent.type(box, "tsk_good");
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Secret Project")).toBeInTheDocument();
    expect(sessionStorage.getItem("tascade.apiKey")).toBe("tsk_good");
    expect(seen[0]).toBeNull();
    expect(seen.at(-1)).toBe("Bearer tsk_good");
  });
});
