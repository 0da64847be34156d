// End-to-end: the dashboard in a real browser (Debian's chromium driven by playwright-core)
// against a real tascaded started here on a free port with a temporary data directory, with
// API keys required. Screenshots go to --screenshots (look at them).
//
// usage: node e2e/dashboard.e2e.mjs --tascaded PATH --web-root DIR [--screenshots DIR]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { launchBrowser, parseArgs, restClient, startServer, stopServer } from "./harness.mjs";

const args = parseArgs(process.argv.slice(2));
assert.ok(args.tascaded, "--tascaded PATH");
assert.ok(args["web-root"], "--web-root DIR");
const shots = args.screenshots ?? "build/dashboard-screenshots";
mkdirSync(shots, { recursive: true });

async function main() {
  const server = await startServer(args.tascaded, args["web-root"]);
  const base = `http://127.0.0.1:${server.port}`;
  const rest = restClient(base, server.adminKey);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await stopServer(server);
    throw e;
  }
  let step = "start";
  try {
    // The server side of the dashboard: the app at /, immutable assets, API misses stay JSON.
    step = "static files";
    const index = await fetch(`${base}/projects/anything`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type"), /text\/html/);
    const html = await index.text();
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
    const js = await fetch(base + asset);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type"), /text\/javascript/);
    assert.match(js.headers.get("cache-control"), /immutable/);
    const miss = await fetch(`${base}/v1/no-such-resource`, { headers: { Authorization: `Bearer ${server.adminKey}` } });
    assert.equal(miss.status, 404);
    assert.match(miss.headers.get("content-type"), /application\/json/);

    step = "create a project over REST";
    const project = await rest("POST", "/v1/projects", { name: "Checkout rewrite" });
    const phase = await rest("POST", `/v1/projects/${project.id}/phases`, { name: "Build", sequence: 0 });
    const milestone = await rest("POST", `/v1/projects/${project.id}/milestones`, { name: "API", sequence: 0, phase_id: phase.id });
    const task = (title, tag, priority) =>
      rest("POST", "/v1/tasks", {
        project_id: project.id,
        milestone_id: milestone.id,
        title,
        priority,
        task_class: "backend",
        capability_tags: [tag],
        work_spec: { objective: title, acceptance_criteria: ["tests pass"] },
      });
    const a = await task("Define the schema", "db", 1);
    const b = await task("Serve the endpoint", "backend", 2);
    const c = await task("Document the API", "docs", 3);
    const edges = [
      [a, b],
      [a, c],
      [b, c],
    ];
    for (const [from, to] of edges)
      await rest("POST", "/v1/dependencies", { project_id: project.id, from_task_id: from.id, to_task_id: to.id, unlock_on: "implemented" });
    const graph = await rest("GET", `/v1/projects/${project.id}/graph`);

    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));

    step = "sign in with a key";
    await page.goto(`${base}/`);
    const keyBox = page.getByLabel("API key", { exact: true });
    await keyBox.waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(shots, "01-api-key.png") });
    await keyBox.fill(server.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: /Checkout rewrite/ }).waitFor({ timeout: 10000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem("tascade.apiKey")), server.adminKey);
    await page.getByRole("img", { name: /Health: / }).first().waitFor();
    await page.screenshot({ path: join(shots, "02-projects.png") });

    step = "the board shows every task in its state's column";
    await page.getByRole("link", { name: /Checkout rewrite/ }).click();
    for (const t of graph.tasks) {
      const card = page.locator(`[data-column="${t.state}"] [data-task-id="${t.id}"]`);
      await card.waitFor({ timeout: 10000 });
      assert.match(await card.getAttribute("aria-label"), new RegExp(t.title));
    }
    await page.locator('[data-live="live"]').waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(shots, "03-board.png") });

    step = "a claim over REST moves the card without a reload";
    await page.evaluate(() => (window.__noReload = true));
    const claimed = await rest("POST", `/v1/tasks/${a.id}/claim`, { project_id: project.id, agent_id: "agent-7", ttl_seconds: 300 });
    assert.ok(claimed.lease, "the claim answers a lease");
    const started = Date.now();
    await page.locator(`[data-column="claimed"] [data-task-id="${a.id}"]`).waitFor({ timeout: 1000 });
    console.log(`card moved to claimed ${Date.now() - started} ms after the claim answered`);
    assert.equal(await page.evaluate(() => window.__noReload), true, "the page was not reloaded");
    await page.locator(`[data-task-id="${a.id}"] [data-testid="lease"]`).getByText("agent-7").waitFor({ timeout: 2000 });
    await page.screenshot({ path: join(shots, "04-board-claimed.png") });

    step = "the drawer shows the task's timeline";
    await page.locator(`[data-task-id="${a.id}"]`).click();
    const timeline = page.getByRole("list", { name: "Task timeline" });
    await timeline.getByText("claimed by agent-7").waitFor({ timeout: 5000 });
    assert.ok(page.url().endsWith(`/projects/${project.id}/tasks/${a.id}`), page.url());
    await page.getByText("Blocks", { exact: true }).waitFor();
    await page.screenshot({ path: join(shots, "05-drawer.png") });
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });

    step = "the graph view draws every dependency";
    await page.getByRole("navigation", { name: "Project navigation" }).getByRole("link", { name: "Graph" }).click();
    const svg = page.getByTestId("dependency-graph");
    await svg.waitFor({ timeout: 10000 });
    const drawn = await page.$$eval("[data-testid=dependency-graph] path[data-from]", (ps) => ps.map((p) => `${p.dataset.from}->${p.dataset.to}`).sort());
    assert.deepEqual(drawn, graph.dependencies.map((e) => `${e.from_task_id}->${e.to_task_id}`).sort());
    assert.equal(await page.locator("[data-testid=dependency-graph] g[data-task-id]").count(), graph.tasks.length);
    await page.locator(`g[data-task-id="${b.id}"]`).click();
    await page.getByRole("dialog").getByText("Serve the endpoint").first().waitFor();
    assert.ok(page.url().includes(`/graph/${b.id}`), page.url());
    await page.keyboard.press("Escape");
    await page.locator(`g[data-task-id="${b.id}"].selected`).waitFor({ state: "detached" }).catch(() => {});
    await page.screenshot({ path: join(shots, "06-graph.png") });

    step = "agents view";
    await page.getByRole("navigation", { name: "Project navigation" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("table", { name: "Agents" }).getByText("agent-7").waitFor({ timeout: 5000 });
    await page.screenshot({ path: join(shots, "07-agents.png") });

    step = "the metrics page shows the server's figures and acknowledges an alert";
    // A blocked task beside the claimed one: blocked ratio 1/2 is above the emergency
    // threshold (0.40), so the alert desk raises an alert after this change (--metric-alerts
    // is on by default).
    await rest("POST", `/v1/tasks/${b.id}/state`, { project_id: project.id, new_state: "blocked", actor_id: "planner", reason: "e2e: waiting on a vendor", force: true });
    // The alert desk compares after the change is committed, so the alert follows the reply.
    let raised;
    for (let tries = 0; !raised && tries < 100; ++tries) {
      if (tries) await new Promise((r) => setTimeout(r, 50));
      raised = (await rest("GET", `/v1/metrics/alerts?project_id=${project.id}`)).items.find((x) => x.metric_key === "blocked_ratio" && x.status === "open");
    }
    assert.ok(raised, "a blocked_ratio alert is open within 5 s");
    assert.equal(raised.severity, "emergency");
    await page.getByRole("navigation", { name: "Project navigation" }).getByRole("link", { name: "Metrics" }).click();
    await page.getByRole("heading", { name: "Metrics" }).waitFor();
    const cards = page.getByTestId("north-star");
    await cards.first().waitFor({ timeout: 10000 });
    assert.equal(await cards.count(), 3);
    for (const text of await cards.allInnerTexts()) assert.match(text, /(\d+%|N\/A)/, text);
    const figure = (name) => page.locator(`[data-figure="${name}"] .figure-value`).innerText();
    assert.equal(await figure("Tasks"), String(graph.tasks.length));
    assert.equal(await figure("Work in progress"), "2");
    assert.equal(await figure("Blocked"), "1");
    assert.match(await page.locator('[data-figure="Tasks"]').innerText(), /1 claimed/);
    await page.getByRole("tab", { name: "WIP" }).click();
    const wipChart = page.getByRole("img", { name: "WIP" });
    await wipChart.waitFor({ timeout: 5000 });
    assert.ok((await wipChart.locator("circle").count()) >= 1, "the WIP trend has a point");
    const alertRow = page.locator(`[data-alert-id="${raised.id}"]`);
    await alertRow.waitFor({ timeout: 5000 });
    assert.match(await alertRow.innerText(), /emergency[\s\S]*Blocked ratio[\s\S]*50% \(above 40%\)/);
    await page.screenshot({ path: join(shots, "08-metrics.png"), fullPage: true });
    await alertRow.getByRole("button", { name: "Acknowledge" }).click();
    await alertRow.getByText("acknowledged").waitFor({ timeout: 5000 });
    const after = (await rest("GET", `/v1/metrics/alerts?project_id=${project.id}&acknowledged=true`)).items;
    assert.ok(after.some((x) => x.id === raised.id && x.acknowledged_at), "the server recorded the acknowledgement");
    await page.screenshot({ path: join(shots, "09-metrics-acknowledged.png"), fullPage: true });

    step = "signing out asks for the key again";
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.reload();
    await page.getByLabel("API key", { exact: true }).waitFor({ timeout: 10000 });

    step = "a shared board link without a key asks for one, then shows the board";
    // The board's graph is requested at start-up, before the app listens for 401s.
    await page.goto(`${base}/projects/${project.id}/tasks`);
    const prompt = page.getByLabel("API key", { exact: true });
    await prompt.waitFor({ timeout: 10000 });
    await prompt.fill(server.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(`[data-column="claimed"] [data-task-id="${a.id}"]`).waitFor({ timeout: 10000 });
    console.log(`ok: dashboard e2e passed; screenshots in ${shots}`);
  } catch (e) {
    console.error(`failed at step "${step}": ${e.stack ?? e}`);
    for (const p of browser.contexts().flatMap((c) => c.pages())) await p.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
    process.exitCode = 1;
  } finally {
    await browser.close();
    await stopServer(server);
  }
}

await main();
