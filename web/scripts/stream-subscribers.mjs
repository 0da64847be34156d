// N dashboards' worth of event-stream subscribers, in their own process (so their work does
// not share the writers' event loop): each opens GET /v1/events?project=P as the dashboard
// does. --mode read consumes every event; --mode stall reads the headers and then nothing
// (a frozen tab), so its TCP window fills. Prints "ready" once every stream answered and (read
// mode) has caught up with the log, i.e. no stream received anything for 300 ms; on SIGTERM prints one JSON line ({events_min, events_max, last_id_min, last_id_max, cpu_s: this
// process's CPU seconds since ready}) and exits.
//
// usage: node scripts/stream-subscribers.mjs --base URL --project ID --n 100 --mode read|stall
import { parseArgs } from "../e2e/harness.mjs";

const args = parseArgs(process.argv.slice(2));
const n = Number(args.n ?? 100);
const url = `${args.base}/v1/events?project=${args.project}`;
const stats = Array.from({ length: n }, () => ({ events: 0, lastId: 0 }));
let lastData = performance.now();
const controller = new AbortController();

async function follow(s) {
  const res = await fetch(url, { signal: controller.signal, headers: { Accept: "text/event-stream" } });
  if (!res.ok) throw new Error(`GET /v1/events -> ${res.status}`);
  if (args.mode === "stall") return res; // never read the body
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let tail = "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      lastData = performance.now();
      tail += decoder.decode(value, { stream: true });
      const lines = tail.split("\n");
      tail = lines.pop();
      for (const line of lines)
        if (line.startsWith("id: ")) {
          s.events++;
          s.lastId = Number(line.slice(4));
        }
    }
  })();
  return res;
}

// Kept referenced, and the process kept alive: a stalled response holds no pending read.
const responses = await Promise.all(stats.map(follow));
const keepAlive = setInterval(() => responses.length, 1000);
if (args.mode !== "stall") while (performance.now() - lastData < 300) await new Promise((r) => setTimeout(r, 50));
const startCpu = process.cpuUsage();
console.log("ready");
process.on("SIGTERM", () => {
  const events = stats.map((s) => s.events);
  const ids = stats.map((s) => s.lastId);
  console.log(
    JSON.stringify({
      events_min: Math.min(...events),
      events_max: Math.max(...events),
      last_id_min: Math.min(...ids),
      last_id_max: Math.max(...ids),
      cpu_s: Math.round(((cpu) => (cpu.user + cpu.system) / 1e4)(process.cpuUsage(startCpu))) / 100,
    }),
  );
  clearInterval(keepAlive);
  controller.abort();
  process.exit(0);
});
