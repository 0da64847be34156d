// Shared by the browser test and the board benchmark: Debian's chromium through playwright-core,
// a tascaded on a free port with a temporary data directory, and a small REST client.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** `--name value` pairs of the command line. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; ++i) if (argv[i].startsWith("--")) out[argv[i].slice(2)] = argv[i + 1];
  return out;
}

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// playwright-core gives every launch a fresh temporary profile (its --user-data-dir).
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function startServer(tascaded, webRoot, extra = []) {
  const dataDir = mkdtempSync(join(tmpdir(), "tascade-web-e2e-"));
  const child = spawn(tascaded, ["--port", "0", "--data", dataDir, "--web-root", webRoot, "--log-level", "info", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`tascaded did not start:\n${output}`)), 30000);
    const onData = (d) => {
      output += d;
      const key = output.match(/admin key \(shown once, keep it\): (\S+)/);
      const port = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (port && (key || extra.includes("--auth-disabled"))) {
        clearTimeout(timer);
        resolve({ child, dataDir, adminKey: key?.[1], port: Number(port[1]), output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`tascaded exited with ${code}:\n${output}`)));
  });
}

export async function stopServer(server) {
  server.child.removeAllListeners("exit");
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await exited;
  rmSync(server.dataDir, { recursive: true, force: true });
}

export function restClient(base, key) {
  return async function rest(method, path, body) {
    const res = await fetch(base + path, {
      method,
      headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

