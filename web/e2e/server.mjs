// The real `futureim serve` in a fresh installation made by `futureim init`,
// on a free loopback port, serving web/dist. Shared by the end-to-end tests
// and bench/web.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ADMIN_EMAIL = "admin@example.com";

// A password that meets the rules, fresh per run (no password in the repository).
export function newPassword() {
  return "Aa1!" + randomBytes(12).toString("base64url");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startServer({ futureim, webRoot, settings = {} }) {
  const dir = mkdtempSync(join(tmpdir(), "futureim-web-"));
  const adminPassword = newPassword();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    FUTUREIM_WORKDIR: dir,
    FUTUREIM_ADMIN_PASSWORD: adminPassword,
    FUTUREIM_LOG_LEVEL: "warn",
    FUTUREIM_SERVER_LISTEN: `127.0.0.1:${port}`,
    // The links in account emails point at this server.
    FUTUREIM_AUTH_PUBLIC_URL: url,
    FUTUREIM_SERVER_WEB_ROOT: webRoot,
    ...settings,
  };
  const init = spawnSync(futureim, ["init", "--admin-email", ADMIN_EMAIL], { env, encoding: "utf8" });
  if (init.status !== 0) throw new Error(`futureim init failed: ${init.stdout}${init.stderr}`);
  const child = spawn(futureim, ["serve", "--api"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("futureim serve did not start:\n" + log)), 30_000);
    const check = () => {
      if (/dashboard at http/.test(log)) {
        clearTimeout(timer);
        resolve();
      } else if (/dashboard not built/.test(log)) {
        clearTimeout(timer);
        reject(new Error("futureim serve found no dashboard:\n" + log));
      }
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`futureim serve exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    dir,
    adminPassword,
    log: () => log,
    // Every email the server has sent (the outbox file: no SMTP configured).
    outbox() {
      const file = join(dir, "meta", "outbox.jsonl");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The first link to `path` in the newest email to `to`.
export function linkInMail(server, to, path) {
  const mails = server.outbox().filter((m) => m.to === to);
  if (mails.length === 0) throw new Error(`no email to ${to}`);
  const body = mails[mails.length - 1].body;
  const match = body.match(new RegExp(`${server.url.replace(/[.]/g, "\\.")}${path}\\?token=[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${path} link in: ${body}`);
  return match[0];
}
