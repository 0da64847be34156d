// Stream-isolation benchmark (a measurement, not a test): do 100 open dashboards following the
// event stream slow the writers down? A real tascaded (auth disabled, fresh data directory);
// W writers create tasks in one project over keep-alive connections for D seconds, with 0
// subscribers, then 100 subscribers on that project's /v1/events that read everything (opened
// and caught up with the log before the writers start, as open dashboards are), then 100 that
// never read (frozen tabs), then 0 again. The subscribers run in a child process. Prints writer requests/s and latency per
// phase, how far the subscribers got, and one JSON line.
//
// usage: node scripts/bench-stream.mjs --tascaded PATH [--subscribers 100] [--writers 8] [--seconds 5]
//        [--phases none,read,stall,none] [--verbose 1]
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, restClient, startServer, stopServer } from "../e2e/harness.mjs";

const args = parseArgs(process.argv.slice(2));
assert.ok(args.tascaded, "--tascaded PATH");
const SUBSCRIBERS = Number(args.subscribers ?? 100);
const WRITERS = Number(args.writers ?? 8);
const SECONDS = Number(args.seconds ?? 5);
const subscriberScript = fileURLToPath(new URL("./stream-subscribers.mjs", import.meta.url));

const server = await startServer(args.tascaded, "/nonexistent", ["--auth-disabled"]);
const base = `http://127.0.0.1:${server.port}`;
const rest = restClient(base);

/** tascaded's CPU seconds so far (user + system, from /proc). */
function serverCpu() {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function gauge() {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(text.match(/^tascade_stream_subscribers(?:\{[^}]*\})? (\d+)/m)?.[1] ?? NaN);
}

async function subscribers(project, n, mode) {
  const child = spawn(process.execPath, [subscriberScript, "--base", base, "--project", project, "--n", String(n), "--mode", mode], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  while (!out.includes("ready")) {
    if (child.exitCode !== null) throw new Error(`subscribers exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  while ((await gauge()) < n) await new Promise((r) => setTimeout(r, 50));
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 1000)); // let readers drain the tail
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      const line = out.split("\n").find((l) => l.startsWith("{"));
      return line ? JSON.parse(line) : null;
    },
  };
}

async function write(project, milestone, seconds = SECONDS) {
  const latencies = [];
  const until = performance.now() + seconds * 1000;
  let i = 0;
  const progress = args.verbose ? setInterval(() => console.log(`  ${latencies.length} writes so far`), 1000) : undefined;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await rest("POST", "/v1/tasks", {
          project_id: project,
          milestone_id: milestone,
          title: `Stream bench task ${i++}`,
          task_class: "backend",
          work_spec: { objective: "measure", acceptance_criteria: ["done"] },
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  clearInterval(progress);
  latencies.sort((a, b) => a - b);
  const q = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  return { requests: latencies.length, per_second: Math.round(latencies.length / seconds), p50_ms: q(0.5), p99_ms: q(0.99) };
}

try {
  const project = await rest("POST", "/v1/projects", { name: "Stream isolation" });
  const phase = await rest("POST", `/v1/projects/${project.id}/phases`, { name: "Build", sequence: 0 });
  const milestone = await rest("POST", `/v1/projects/${project.id}/milestones`, { name: "M", sequence: 0, phase_id: phase.id });
  await write(project.id, milestone.id, 1); // warm-up, not reported
  const rows = [];
  const phases = (args.phases ?? "none,read,stall,none").split(",");
  for (const mode of phases) {
    const n = mode === "none" ? 0 : SUBSCRIBERS;
    const subs = n ? await subscribers(project.id, n, mode) : null;
    if (args.verbose) console.log(`${mode}: ${n} subscribers open`);
    const cpu0 = serverCpu();
    const w = await write(project.id, milestone.id);
    const server_cpu_s = Math.round((serverCpu() - cpu0) * 100) / 100;
    const open = await gauge();
    const seen = subs ? await subs.stop() : null;
    const row = { subscribers: n, mode, open_during_run: open, ...w, server_cpu_s, subscribers_seen: seen };
    rows.push(row);
    console.log(
      `${String(n).padStart(3)} subscribers (${mode.padEnd(5)}): ${w.per_second} writes/s, p50 ${w.p50_ms} ms, p99 ${w.p99_ms} ms, tascaded ${server_cpu_s} CPU s` +
        (seen ? `; events per subscriber ${seen.events_min}..${seen.events_max}, last id ${seen.last_id_min}..${seen.last_id_max}, subscribers' process ${seen.cpu_s} CPU s` : ""),
    );
  }
  console.log(JSON.stringify({ writers: WRITERS, seconds: SECONDS, rows }));
} finally {
  await stopServer(server);
}
