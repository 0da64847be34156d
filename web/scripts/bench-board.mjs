// Board benchmark (a measurement, not a test): a project of N tasks (5 000 by default) on a real
// tascaded, the board opened in headless chromium; prints the first render time (navigation
// start to the frame with the first cards painted, graph download included) and the time one live event takes
// from its arrival on the event stream to the card in its new column. Browser performance
// timings (the app's marks tascade:graph-loaded, tascade:board-rendered, tascade:board-painted); one JSON line
// at the end. The tasks are created over REST in batches (plan changesets of 1 000).
//
// usage: node scripts/bench-board.mjs --tascaded PATH --web-root DIR [--tasks 5000] [--runs 3]
import assert from "node:assert/strict";
import { launchBrowser, parseArgs, restClient, startServer, stopServer } from "../e2e/harness.mjs";

const args = parseArgs(process.argv.slice(2));
assert.ok(args.tascaded && args["web-root"], "--tascaded PATH --web-root DIR");
const N = Number(args.tasks ?? 5000);
const RUNS = Number(args.runs ?? 3);

const server = await startServer(args.tascaded, args["web-root"], ["--auth-disabled"]);
const base = `http://127.0.0.1:${server.port}`;
const rest = restClient(base);
const browser = await launchBrowser();
try {
  const project = await rest("POST", "/v1/projects", { name: `Board of ${N}` });
  const phase = await rest("POST", `/v1/projects/${project.id}/phases`, { name: "Build", sequence: 0 });
  const milestones = [];
  for (let m = 0; m < 10; ++m)
    milestones.push(await rest("POST", `/v1/projects/${project.id}/milestones`, { name: `M${m}`, sequence: m, phase_id: phase.id }));
  // In batches: one plan changeset of create_task operations per 1 000 tasks (applied at once).
  const created = Date.now();
  const BATCH = 1000;
  for (let from = 0, version = 1; from < N; from += BATCH, ++version) {
    const operations = [];
    for (let i = from; i < Math.min(N, from + BATCH); ++i)
      operations.push({
        op: "create_task",
        task_id: null,
        payload: {
          milestone_id: milestones[i % 10].id,
          title: `Task ${i}: a realistic title for a board card`,
          priority: i % 7,
          task_class: ["backend", "frontend", "backend"][i % 3],
          capability_tags: [["db", "api"], ["ux"], ["docs", "api", "qa", "ops"]][i % 3],
          work_spec: { objective: `Task ${i}`, acceptance_criteria: ["tests pass"] },
        },
      });
    const cs = await rest("POST", "/v1/plans/changesets", { project_id: project.id, base_plan_version: version, target_plan_version: version + 1, created_by: "bench", operations });
    await rest("POST", `/v1/plans/changesets/${cs.id}/apply`, {});
  }
  const ids = (await rest("GET", `/v1/projects/${project.id}/graph`)).tasks.filter((t) => t.state === "ready").map((t) => t.id);
  assert.ok(ids.length >= RUNS, "ready tasks to claim");
  console.log(`created ${N} tasks in ${((Date.now() - created) / 1000).toFixed(1)} s`);

  const rows = [];
  for (let run = 0; run < RUNS; ++run) {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    // Stamp each stream message as it arrives, before the app's handler runs.
    await page.addInitScript(() => {
      const add = EventSource.prototype.addEventListener;
      EventSource.prototype.addEventListener = function (type, fn, opts) {
        return add.call(this, type, (e) => {
          window.__lastEventAt = performance.now();
          fn(e);
        }, opts);
      };
    });
    await page.goto(`${base}/projects/${project.id}/tasks`);
    await page.waitForSelector("[data-column=ready] [data-task-id]", { timeout: 60000 });
    // First render: the app's tascade:board-painted mark (the frame with the first cards painted).
    await page.waitForFunction(() => performance.getEntriesByName("tascade:board-painted").length > 0, null, { timeout: 60000 });
    const firstRender = await page.evaluate(() => performance.getEntriesByName("tascade:board-painted")[0].startTime);
    const graphFetch = await page.evaluate(() => {
      const e = performance.getEntriesByType("resource").find((x) => x.name.includes("/graph"));
      const mark = (name) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? NaN);
      return e
        ? { start: Math.round(e.startTime), ms: Math.round(e.duration), first_byte_ms: Math.round(e.responseStart - e.requestStart), server_ms: Math.round(e.serverTiming?.find((t) => t.name === "app")?.duration ?? NaN), kb: Math.round(e.transferSize / 1024), parsed_at: mark("tascade:graph-loaded"), board_rendered_at: mark("tascade:board-rendered") }
        : null;
    });
    await page.waitForSelector('[data-live="live"]', { timeout: 60000 });
    await page.waitForTimeout(500);
    const target = ids[run];
    await page.evaluate((id) => {
      window.__appliedAt = undefined;
      new MutationObserver((_, obs) => {
        if (document.querySelector(`[data-column="claimed"] [data-task-id="${id}"]`)) {
          window.__appliedAt = performance.now();
          obs.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    }, target);
    await rest("POST", `/v1/tasks/${target}/claim`, { project_id: project.id, agent_id: `bench-${run}`, ttl_seconds: 600 });
    await page.waitForFunction(() => window.__appliedAt !== undefined, null, { timeout: 10000 });
    const [arrived, applied] = await page.evaluate(() => [window.__lastEventAt, window.__appliedAt]);
    rows.push({ first_render_ms: Math.round(firstRender), graph_fetch: graphFetch, live_event_applied_ms: Math.round((applied - arrived) * 10) / 10 });
    console.log(
      `run ${run + 1}: first render ${Math.round(firstRender)} ms (graph request started at ${graphFetch?.start} ms, took ${graphFetch?.ms} ms (server ${graphFetch?.server_ms} ms, first byte ${graphFetch?.first_byte_ms} ms), ${graphFetch?.kb} KB;` +
        ` parsed at ${graphFetch?.parsed_at} ms, board committed at ${graphFetch?.board_rendered_at} ms), live event applied in ${(applied - arrived).toFixed(1)} ms`,
    );
    await page.context().close();
  }
  const median = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
  console.log(JSON.stringify({ tasks: N, runs: RUNS, first_render_ms_median: median("first_render_ms"), live_event_applied_ms_median: median("live_event_applied_ms"), rows }));
} finally {
  await browser.close();
  await stopServer(server);
}
