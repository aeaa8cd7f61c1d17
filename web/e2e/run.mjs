// End-to-end tests of the dashboard: Debian's Chromium (headless, through
// playwright-core) against the real `futureim serve`.
//
//   node e2e/run.mjs [--futureim PATH] [--artifacts DIR]
//
// Every page is opened at 1440 and 390 px wide and screenshotted into the
// artifacts folder. Any console error or uncaught page error fails the run.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { request } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_EMAIL, linkInMail, newPassword, startServer } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
function argument(name, fallback) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
}
const futureim = resolve(argument("--futureim", join(repo, "build", "src", "cli", "futureim")));
const artifacts = resolve(argument("--artifacts", join(repo, "build", "web-artifacts")));
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const webRoot = join(repo, "web", "dist");
for (const [what, path] of [["futureim", futureim], ["chromium", chromiumPath], ["the built app (npm run build)", join(webRoot, "index.html")]]) {
  if (!existsSync(path)) {
    console.error(`e2e: ${what} not found at ${path}`);
    process.exit(2);
  }
}
mkdirSync(artifacts, { recursive: true });

const WIDTHS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const consoleErrors = [];
// Chromium logs every API answer with an error status as a console error
// ("Failed to load resource: ... status of 401"). A step that provokes one
// on purpose (a wrong password, a refused query, a token the server rejects)
// names the statuses it expects; any other console error fails the run.
let expectedStatuses = [];
async function expecting(statuses, body) {
  expectedStatuses = statuses;
  try {
    await body();
  } finally {
    expectedStatuses = [];
  }
}
let failures = 0;
let passed = 0;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const server = await startServer({
  futureim,
  webRoot,
  settings: {
    FUTUREIM_AUTH_ACCESS_TOKEN_SECONDS: "30", // the shortest: the refresh path runs for real
    FUTUREIM_AUTH_LOGIN_IP_PER_MINUTE: "600", // many sign-ins from 127.0.0.1 in a minute
  },
});
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });

async function newPage(size = WIDTHS.desktop) {
  const context = await browser.newContext({ viewport: size, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    const status = text.match(/the server responded with a status of (\d+)/)?.[1];
    if (status && expectedStatuses.includes(Number(status))) return;
    consoleErrors.push(`${page.url()}: ${text}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
  return page;
}

let currentPage = null;
async function step(name, body) {
  const errorsBefore = consoleErrors.length;
  try {
    await body();
    check(consoleErrors.length === errorsBefore, "browser console errors:\n  " + consoleErrors.slice(errorsBefore).join("\n  "));
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures += 1;
    await currentPage?.screenshot({ path: join(artifacts, `FAILED-${passed + failures}.png`), fullPage: true }).catch(() => {});
    console.log(`FAIL ${name}\n     ${String(error.stack ?? error).split("\n").join("\n     ")}`);
  }
}

async function shoot(page, name) {
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    // Nothing may stick out sideways at either width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${name} at ${size.width} px is ${overflow} px wider than the window`);
    await page.screenshot({ path: join(artifacts, `${name}-${label}-${size.width}.png`), fullPage: true });
  }
  await page.setViewportSize(WIDTHS.desktop);
}

async function signIn(page, email, password) {
  await page.goto(server.url + "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.keyboard.press("Enter"); // the form works from the keyboard
  // Signed in: the app's header (the page is home, or the page that asked
  // for the sign-in).
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

const viewer = { name: "Vera Viewer", email: "vera@example.com", password: newPassword() };
const analyst = { name: "Anna Analyst", email: "anna@example.com", password: newPassword() };

try {
  const page = await newPage();
  currentPage = page;

  await step("the server serves the app: hashed assets cached, index.html revalidated, API unchanged", async () => {
    const index = await fetch(server.url + "/", { headers: { Accept: "text/html" } });
    check(index.status === 200 && index.headers.get("cache-control") === "no-cache", "index.html: " + index.status + " " + index.headers.get("cache-control"));
    check(/script-src 'self'/.test(index.headers.get("content-security-policy") ?? ""), "no app CSP on index.html");
    const html = await index.text();
    const asset = html.match(/\/assets\/[^"]+\.js/)?.[0];
    check(asset, "no hashed script in index.html");
    const script = await fetch(server.url + asset);
    check(script.status === 200 && /immutable/.test(script.headers.get("cache-control") ?? ""), "asset: " + script.headers.get("cache-control"));
    check((script.headers.get("content-type") ?? "").startsWith("text/javascript"), "asset type " + script.headers.get("content-type"));
    const route = await fetch(server.url + "/admin/audit", { headers: { Accept: "text/html" } });
    check(route.status === 200 && (await route.text()) === html, "a client route does not get index.html");
    const api = await fetch(server.url + "/admin/users", { headers: { Accept: "text/html" } });
    check(api.status === 401, "GET /admin/users (API) answered " + api.status);
    const missing = await fetch(server.url + "/no-such-route");
    check(missing.status === 404 && (await missing.json()).error.code === "not_found", "an API client does not get a JSON 404");
    // Sent raw: fetch() would resolve the dot segments before sending.
    for (const path of ["/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/../../etc/passwd"]) {
      const status = await new Promise((done, fail) => {
        const { port } = new URL(server.url);
        request({ host: "127.0.0.1", port, path, headers: { Accept: "text/html" } }, (r) => {
          r.resume();
          done(r.statusCode);
        }).on("error", fail).end();
      });
      check(status === 400, `${path} answered ${status}`);
    }
  });

  await step("public pages render at both widths", async () => {
    for (const [path, name, heading] of [
      ["/login", "sign-in", "Sign in"],
      ["/register", "register", "Create an account"],
      ["/forgot-password", "forgot-password", "Reset your password"],
      ["/reset-password", "reset-password-no-token", "Choose a new password"],
    ]) {
      await page.goto(server.url + path);
      await page.getByRole("heading", { name: heading }).waitFor();
      await shoot(page, name);
    }
  });

  await step("sign-in with a wrong password shows the server's message", async () => {
    await page.goto(server.url + "/login");
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill("Wrong-password-1!");
    await expecting([401], async () => {
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
    });
    const text = await page.getByRole("alert").innerText();
    check(/Signed out|Request refused/.test(text) && text.length > 20, "error text: " + text);
    await shoot(page, "sign-in-error");
  });

  await step("register, open the verification link from the email, sign in", async () => {
    for (const person of [viewer, analyst]) {
      await page.goto(server.url + "/register");
      await page.getByLabel("Name").fill(person.name);
      await page.getByLabel("Email").fill(person.email);
      await page.getByLabel("Password", { exact: true }).fill(person.password);
      await page.getByLabel("Confirm password").fill(person.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("status").filter({ hasText: "verification link" }).waitFor();
      await page.goto(linkInMail(server, person.email, "/verify"));
      await page.getByText("email address verified").waitFor();
      if (person === viewer) await shoot(page, "verify-email");
    }
    await signIn(page, viewer.email, viewer.password);
    await signOut(page);
  });

  await step("forgot password: the emailed link opens the reset page and the new password works", async () => {
    await page.goto(server.url + "/forgot-password");
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").waitFor();
    const link = linkInMail(server, viewer.email, "/reset-password");
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await shoot(page, "reset-password");
    viewer.password = newPassword();
    await page.getByLabel("New password", { exact: true }).fill(viewer.password);
    await page.getByLabel("Confirm new password").fill(viewer.password);
    await page.getByRole("button", { name: "Set password" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signIn(page, viewer.email, viewer.password);
  });

  await step("a viewer sees no admin or query links and is denied the admin pages", async () => {
    const nav = await page.getByRole("navigation", { name: "Main" }).innerText();
    check(!/Users|Audit|SQL/.test(nav), "viewer nav: " + nav);
    await shoot(page, "home-viewer");
    for (const [path, name] of [["/admin", "admin-denied"], ["/admin/audit", "audit-denied"], ["/sql", "query-denied"]]) {
      await page.goto(server.url + path);
      await page.getByRole("heading", { name: "Not available to your account" }).waitFor();
      if (path === "/admin") await shoot(page, name);
    }
    await signOut(page);
  });

  await step("admin: home shows data health from /health and the API's routes", async () => {
    await signIn(page, ADMIN_EMAIL, server.adminPassword);
    await page.getByRole("heading", { name: "Welcome, Administrator" }).waitFor();
    await page.getByText("Answering").waitFor();
    await page.getByText("/auth").waitFor();
    await page.getByText("No analytics system is served yet").waitFor();
    await shoot(page, "home");
  });

  await step("admin changes a role (viewer -> analyst), disables and enables an account", async () => {
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("cell", { name: analyst.email }).waitFor();
    await shoot(page, "admin-users");
    await page.getByLabel(`Role of ${analyst.email}`).selectOption("analyst");
    await page.getByRole("status").filter({ hasText: `${analyst.email} is now analyst` }).waitFor();
    const row = page.getByRole("row").filter({ hasText: viewer.email });
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByRole("cell", { name: "disabled" }).waitFor();
    await row.getByRole("button", { name: "Enable" }).click();
    await row.getByRole("cell", { name: "active" }).waitFor();
  });

  await step("admin: audit log with filters, and its CSV export", async () => {
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("cell", { name: "role_change" }).first().waitFor().catch(async () => {
      // The action's name is the server's; show what is there on failure.
      throw new Error("no role change in the audit log: " + (await page.locator("table").innerText()));
    });
    await shoot(page, "admin-audit");
    await page.getByLabel("Action").fill("register");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll("tbody tr td:nth-child(3)")].map((c) => c.textContent);
      return cells.length === 2 && cells.every((c) => c === "register");
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8");
    check(csv.startsWith("\ufeffat,actor,action,target,client_ip,detail\r\n"), "audit CSV header: " + csv.slice(0, 80));
    check(csv.trim().split("\r\n").length === 3, "audit CSV rows: " + csv);
    await signOut(page);
  });

  await step("analyst: runs a query, sees the table and downloads the CSV", async () => {
    await signIn(page, analyst.email, analyst.password);
    await page.getByRole("link", { name: "SQL query" }).click();
    await page.getByLabel("SQL").fill("SELECT 1 AS n, 'a,b' AS label, 2.5::DECIMAL(5,2) AS amount UNION ALL SELECT 2, 'c', 3.75");
    await page.getByLabel("SQL").press("Control+Enter");
    await page.getByText("2 rows in").waitFor();
    await page.getByRole("cell", { name: "a,b" }).waitFor();
    await page.getByLabel("Show chart").check();
    await page.locator(".chart canvas").waitFor();
    await shoot(page, "query");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8");
    check(csv === '\ufeffn,label,amount\r\n1,"a,b",2.50\r\n2,c,3.75\r\n', "query CSV: " + JSON.stringify(csv));
  });

  await step("a refused query shows the server's readable error", async () => {
    await page.getByLabel("SQL").fill("DELETE FROM curated.orders");
    await expecting([400], async () => {
      await page.getByRole("button", { name: "Run query" }).click();
      await page.getByRole("alert").waitFor();
    });
    const text = await page.getByRole("alert").innerText();
    check(/Request refused/.test(text) && /sql/.test(text), "query error: " + text);
    await shoot(page, "query-error");
  });

  await step("an expired access token is refreshed transparently (before sending, and after a 401)", async () => {
    const read = () => page.evaluate(() => JSON.parse(localStorage.getItem("futureim.session")));
    const before = await read();
    // Wait until the 30 s access token has really expired.
    await page.waitForTimeout(Math.max(0, before.expires_at - Date.now()) + 1000);
    await page.goto(server.url + "/sql");
    await page.getByLabel("SQL").fill("SELECT 42 AS answer");
    await page.getByRole("button", { name: "Run query" }).click();
    await page.getByRole("cell", { name: "42" }).waitFor();
    const after = await read();
    check(after.refresh_token !== before.refresh_token && after.access_token !== before.access_token, "no refresh happened");
    // The server refuses a token the page still believes valid (e.g. clock
    // skew): the page refreshes and repeats the request once.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("futureim.session"));
      s.access_token = s.access_token.slice(0, -4) + (s.access_token.endsWith("AAAA") ? "BBBB" : "AAAA");
      localStorage.setItem("futureim.session", JSON.stringify(s));
    });
    await expecting([401], async () => {
      await page.getByLabel("SQL").fill("SELECT 43 AS answer");
      await page.getByRole("button", { name: "Run query" }).click();
      await page.getByRole("cell", { name: "43" }).waitFor();
    });
    check((await read()).refresh_token !== after.refresh_token, "no refresh after the 401");
  });

  await step("sign-out ends the session on the server too", async () => {
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem("futureim.session")));
    await signOut(page);
    check((await page.evaluate(() => localStorage.getItem("futureim.session"))) === null, "session left in storage");
    const reuse = await fetch(server.url + "/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: session.refresh_token }),
    });
    check(reuse.status === 401, "refresh after logout answered " + reuse.status);
    await page.goto(server.url + "/admin");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  });

  await step("unknown client routes show the app's not-found page", async () => {
    await signIn(page, ADMIN_EMAIL, server.adminPassword);
    await page.goto(server.url + "/no/such/page");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await shoot(page, "not-found");
  });
} finally {
  await browser.close();
  await server.stop();
}

console.log(`\n${passed} passed, ${failures} failed; screenshots in ${artifacts}`);
process.exit(failures === 0 ? 0 : 1);
