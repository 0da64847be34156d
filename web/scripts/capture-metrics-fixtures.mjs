// Captures the metrics API's answers from a real tascaded into src/test/fixtures/metrics/, so
// the metrics page's Vitest tests run against the shapes the server really sends. The history
// is the one of tests/e2e/metrics_e2e_test.cpp: A integrated; B integrated after a conflict
// then a success; C blocked then back in progress; D blocked (forced); E implemented. The
// blocked ratio ends above 0.25, which raises a critical alert; the script acknowledges it.
//
// usage: node scripts/capture-metrics-fixtures.mjs --tascaded PATH [--out DIR]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { parseArgs, restClient, startServer, stopServer } from "../e2e/harness.mjs";

const args = parseArgs(process.argv.slice(2));
assert.ok(args.tascaded, "--tascaded PATH");
const out = args.out ?? "src/test/fixtures/metrics";
mkdirSync(out, { recursive: true });

const server = await startServer(args.tascaded, "/nonexistent", ["--auth-disabled", "--metric-alerts", "on"]);
const rest = restClient(`http://127.0.0.1:${server.port}`);
const save = (name, body) => writeFileSync(join(out, `${name}.json`), JSON.stringify(body, null, 2) + "\n");
try {
  const project = await rest("POST", "/v1/projects", { name: "Metrics fixture" });
  const P = project.id;
  const q = (extra) => new URLSearchParams({ project_id: P, ...extra }).toString();
  save("summary-empty", await rest("GET", `/v1/metrics/summary?${q()}`));
  const phase = await rest("POST", `/v1/projects/${P}/phases`, { name: "Build", sequence: 0 });
  const milestone = await rest("POST", `/v1/projects/${P}/milestones`, { name: "API", sequence: 0, phase_id: phase.id });
  const task = async (title) =>
    (await rest("POST", "/v1/tasks", { project_id: P, milestone_id: milestone.id, title, task_class: "backend", work_spec: { objective: title, acceptance_criteria: ["done"] } })).id;
  const [a, b, c, d, e] = [await task("A"), await task("B"), await task("C"), await task("D"), await task("E")];
  const move = (t, state, actor, extra = {}) => rest("POST", `/v1/tasks/${t}/state`, { project_id: P, new_state: state, actor_id: actor, reason: "fixture", ...extra });
  const reviewed = { reviewed_by: "reviewer-1", review_evidence_refs: ["review://1"] };
  const work = async (t, agent) => {
    await rest("POST", `/v1/tasks/${t}/claim`, { project_id: P, agent_id: agent });
    await move(t, "in_progress", agent);
  };
  const attempt = async (t, result) => {
    const at = await rest("POST", `/v1/tasks/${t}/integration-attempts`, { project_id: P, base_sha: "b", head_sha: "h", diagnostics: {} });
    await rest("POST", `/v1/integration-attempts/${at.id}/result`, { project_id: P, result, diagnostics: {} });
  };
  await work(a, "agent-a");
  await move(a, "implemented", "agent-a");
  await move(a, "integrated", "lead", reviewed);
  await work(b, "agent-b");
  await move(b, "implemented", "agent-b");
  await attempt(b, "conflict");
  await attempt(b, "success");
  await move(b, "integrated", "lead", reviewed);
  await work(c, "agent-c");
  await move(c, "blocked", "agent-c");
  await move(c, "in_progress", "planner", { force: true });
  await move(d, "blocked", "planner", { force: true });
  await work(e, "agent-e");
  await move(e, "implemented", "agent-e");

  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
  const window = { start_date: iso(now - 7 * 86400000), end_date: iso(now + 86400000) };
  save("summary", await rest("GET", `/v1/metrics/summary?${q()}`));
  save("trends-throughput-hour", await rest("GET", `/v1/metrics/trends?${q({ metric: "throughput", granularity: "hour", ...window })}`));
  save("trends-dpi-day", await rest("GET", `/v1/metrics/trends?${q({ metric: "delivery_predictability_index", granularity: "day", ...window })}`));
  save("breakdown-throughput-phase", await rest("GET", `/v1/metrics/breakdown?${q({ metric: "throughput", dimension: "phase", time_range: "7d" })}`));
  save("breakdown-wip-state", await rest("GET", `/v1/metrics/breakdown?${q({ metric: "wip", dimension: "state", time_range: "7d" })}`));
  // The alert desk compares after each change is committed: wait for the last one's alert.
  let alerts, open;
  for (let tries = 0; !open && tries < 100; ++tries) {
    if (tries) await new Promise((r) => setTimeout(r, 50));
    alerts = await rest("GET", `/v1/metrics/alerts?${q()}`);
    open = alerts.items.find((x) => x.metric_key === "blocked_ratio" && x.status === "open" && !x.acknowledged_at);
  }
  save("alerts", alerts);
  assert.ok(open, "the history raises an open alert");
  save("acknowledge", await rest("POST", `/v1/metrics/alerts/${open.id}/acknowledge?${q()}`));
  save("alerts-acknowledged", await rest("GET", `/v1/metrics/alerts?${q()}`));
  save("actions", await rest("GET", `/v1/metrics/actions?${q()}`));
  save("health", await rest("GET", `/v1/metrics/health?${q()}`));
  console.log(`fixtures written to ${out}`);
} finally {
  await stopServer(server);
}
