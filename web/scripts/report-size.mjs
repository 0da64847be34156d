// Prints the gzipped size of the first page (index.html's entry script, its static imports and
// CSS) and of every lazily loaded chunk; fails when the first page exceeds the budget.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_KB = 300;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;

const first = new Set();
for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) first.add(m[1]);
// Static imports of the entry (modulepreload links are already in the HTML).
const queue = [...first].filter((f) => f.endsWith(".js"));
while (queue.length) {
  const f = queue.pop();
  const text = readFileSync(join(dist, f), "utf8");
  for (const m of text.matchAll(/(?:from\s*|import\s*)["']\.\/([^"']+\.js)["']/g)) {
    const dep = `assets/${m[1]}`;
    if (!first.has(dep)) {
      first.add(dep);
      queue.push(dep);
    }
  }
}
let total = 0;
for (const f of first) total += gz(f);
const lazy = readdirSync(join(dist, "assets")).filter((f) => !first.has(`assets/${f}`) && /\.(js|css)$/.test(f));
console.log(`first page: ${(total / 1024).toFixed(1)} KB gzipped (${[...first].join(", ")}); budget ${BUDGET_KB} KB`);
for (const f of lazy) console.log(`  lazy chunk assets/${f}: ${(gz(`assets/${f}`) / 1024).toFixed(1)} KB gzipped`);
if (total > BUDGET_KB * 1024) {
  console.error(`first page is over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
