// bench/web: the dashboard's initial download (JS + CSS that index.html
// loads, gzipped) and the time to the first meaningful paint of the home
// page, in Debian's Chromium (headless) against the real `futureim serve` on
// loopback.
//
//   node bench/web/measure.mjs [--futureim build/src/cli/futureim] [--runs 15]
//
// "Meaningful paint" here: the home page shows the server's health (the
// "Answering" status, which needs the app's code, a session and one API
// answer). First contentful paint (the browser's own measure) is reported too.
// Cold: a fresh browser context per run (nothing cached). Warm: the same
// context again (hashed assets from the cache, index.html revalidated).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_EMAIL, startServer } from "../../web/e2e/server.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// playwright-core is the dashboard's dev dependency (web/node_modules).
const { chromium } = await import(join(repo, "web", "node_modules", "playwright-core", "index.mjs"));
const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const futureim = resolve(argument("--futureim", join(repo, "build", "src", "cli", "futureim")));
const runs = Number(argument("--runs", "15"));
const dist = join(repo, "web", "dist");

// 1. The initial download: what index.html references.
const html = readFileSync(join(dist, "index.html"), "utf8");
const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0;
let gzipped = 0;
for (const asset of assets) {
  const bytes = readFileSync(join(dist, asset));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
console.log(`initial JS+CSS: ${assets.length} files, ${(raw / 1024).toFixed(1)} kB raw, ${(gzipped / 1024).toFixed(1)} kB gzipped (goal <= 250 kB)`);

// 2. Paint timings.
const server = await startServer({ futureim, webRoot: dist });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
try {
  const login = await fetch(server.url + "/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: server.adminPassword }),
  }).then((r) => r.json());

  // Records when the health status first appears (ms since navigation start).
  const probe = () => {
    const observer = new MutationObserver(() => {
      if (!window.__meaningful && document.querySelector(".status-ok")) window.__meaningful = performance.now();
    });
    observer.observe(document, { childList: true, subtree: true });
  };
  async function measure(page) {
    await page.goto(server.url + "/", { waitUntil: "load" });
    await page.waitForFunction(() => window.__meaningful);
    return page.evaluate(() => ({
      meaningful: window.__meaningful,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    }));
  }
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i += 1) {
    // A fresh session each run (a refresh token is single-use; the page may rotate it).
    const fresh = i === 0 ? login : await fetch(server.url + "/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: server.adminPassword }),
    }).then((r) => r.json());
    const session = { access_token: fresh.access_token, refresh_token: fresh.refresh_token, expires_at: Date.now() + fresh.expires_in * 1000, user: fresh.user };
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(({ value, probeSource }) => {
      localStorage.setItem("futureim.session", value);
      new Function(probeSource)();
    }, { value: JSON.stringify(session), probeSource: `(${probe.toString()})()` });
    const page = await context.newPage();
    cold.push(await measure(page));
    warm.push(await measure(page));
    await context.close();
  }
  const report = (name, samples) =>
    console.log(`${name}: meaningful paint median ${median(samples.map((s) => s.meaningful)).toFixed(0)} ms (min ${Math.min(...samples.map((s) => s.meaningful)).toFixed(0)}, max ${Math.max(...samples.map((s) => s.meaningful)).toFixed(0)}), first contentful paint median ${median(samples.map((s) => s.fcp)).toFixed(0)} ms`);
  console.log(`home page, ${runs} runs, Chromium ${browser.version()} headless, loopback:`);
  report("cold", cold);
  report("warm", warm);
} finally {
  await browser.close();
  await server.stop();
}
