import { describe, expect, it } from "vitest";
import { ApiClient, ApiError, hasRole, type Session, type SessionStore, type User } from "./api";

const user: User = {
  id: "u1", email: "a@example.com", name: "A", roles: ["analyst"], email_verified: true, disabled: false,
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
};

class MemoryStore implements SessionStore {
  constructor(public session: Session | null) {}
  load() { return this.session ? { ...this.session } : null; }
  save(session: Session | null) { this.session = session; }
}

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

// A fake server: access tokens "access-N" are valid when N is current;
// refresh tokens rotate and a reused one is refused (as the real server does).
function fakeServer() {
  let generation = 1;
  const calls: string[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push(`${init?.method} ${url}`);
    if (url === "/auth/refresh") {
      const { refresh_token } = JSON.parse(String(init?.body));
      if (refresh_token !== `refresh-${generation}`) return json(401, { error: { code: "invalid_token", message: "refresh token reused" } });
      generation += 1;
      return json(200, { access_token: `access-${generation}`, refresh_token: `refresh-${generation}`, expires_in: 900, token_type: "Bearer", user });
    }
    const auth = (init?.headers as Record<string, string>)?.Authorization;
    if (auth !== `Bearer access-${generation}`) return json(401, { error: { code: "unauthorized", message: "token expired" } });
    if (url === "/fail") return json(400, { error: { code: "invalid_request", message: "sql: required", field: "sql" } });
    return json(200, { ok: true, url });
  };
  return { fetchFn: fetchFn as typeof fetch, calls };
}

const NOW = 1_000_000;
const session = (token: string, refresh: string, expires_at = NOW + 600_000): Session => ({ access_token: token, refresh_token: refresh, expires_at, user });

describe("ApiClient", () => {
  it("refreshes once when the server refuses the access token, then retries", async () => {
    const server = fakeServer();
    const store = new MemoryStore(session("stale", "refresh-1"));
    const client = new ApiClient(store, server.fetchFn, () => {}, () => NOW);
    await expect(client.request("GET", "/data")).resolves.toEqual({ ok: true, url: "/data" });
    expect(server.calls).toEqual(["GET /data", "POST /auth/refresh", "GET /data"]);
    expect(store.session?.refresh_token).toBe("refresh-2");
    expect(store.session?.expires_at).toBe(NOW + 900_000);
  });

  it("shares one refresh among concurrent requests (a rotated token is never reused)", async () => {
    const server = fakeServer();
    const store = new MemoryStore(session("stale", "refresh-1"));
    const client = new ApiClient(store, server.fetchFn, () => {}, () => NOW);
    const answers = await Promise.all([client.request("GET", "/a"), client.request("GET", "/b"), client.request("GET", "/c")]);
    expect(answers).toHaveLength(3);
    expect(server.calls.filter((c) => c === "POST /auth/refresh")).toHaveLength(1);
  });

  it("refreshes before sending when the access token is about to expire", async () => {
    const server = fakeServer();
    const store = new MemoryStore(session("access-1", "refresh-1", NOW + 5_000));
    const client = new ApiClient(store, server.fetchFn, () => {}, () => NOW);
    await client.request("GET", "/data");
    expect(server.calls).toEqual(["POST /auth/refresh", "GET /data"]);
  });

  it("signs out when the refresh token is refused", async () => {
    const server = fakeServer();
    const store = new MemoryStore(session("stale", "refresh-0"));
    let signedOut = 0;
    const client = new ApiClient(store, server.fetchFn, () => (signedOut += 1), () => NOW);
    await expect(client.request("GET", "/data")).rejects.toMatchObject({ status: 401, code: "session_expired" });
    expect(store.session).toBeNull();
    expect(signedOut).toBe(1);
  });

  it("turns the API's error body into an ApiError with code, message and field", async () => {
    const server = fakeServer();
    const client = new ApiClient(new MemoryStore(session("access-1", "refresh-1")), server.fetchFn, () => {}, () => NOW);
    const error = await client.request("GET", "/fail").catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid_request", message: "sql: required", field: "sql" });
  });

  it("reports a non-JSON error and a network failure readably", async () => {
    const html = (async () => new Response("<html>bad gateway</html>", { status: 502 })) as typeof fetch;
    const client = new ApiClient(new MemoryStore(null), html);
    await expect(client.request("GET", "/health", { auth: false })).rejects.toMatchObject({ status: 502, code: "http_502" });
    const down = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(new ApiClient(new MemoryStore(null), down).request("GET", "/health", { auth: false })).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("refuses a signed-in request without a session, without calling the server", async () => {
    const server = fakeServer();
    await expect(new ApiClient(new MemoryStore(null), server.fetchFn).request("GET", "/data")).rejects.toMatchObject({ code: "signed_out" });
    expect(server.calls).toEqual([]);
  });

  it("sign-out ends the session locally and on the server", async () => {
    const calls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(input)} ${String(init?.body)}`);
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    const store = new MemoryStore(session("access-1", "refresh-1"));
    await new ApiClient(store, fetchFn).signOut();
    expect(store.session).toBeNull();
    expect(calls).toEqual(['POST /auth/logout {"refresh_token":"refresh-1"}']);
  });
});

describe("hasRole", () => {
  it("orders admin > analyst > viewer", () => {
    expect(hasRole(["admin"], "analyst")).toBe(true);
    expect(hasRole(["analyst"], "admin")).toBe(false);
    expect(hasRole(["viewer"], "viewer")).toBe(true);
    expect(hasRole([], "viewer")).toBe(false);
  });
});
