// The API client: JSON in and out, the API's error body
// {"error":{"code","message","field"}} turned into ApiError, and the access
// token refreshed transparently.
//
// Refresh tokens rotate (each use returns a new pair, and reusing an old one
// revokes the whole sign-in), so at most one refresh may be in flight: every
// request that finds its access token expired or refused waits for the same
// refresh. A refresh token that another tab already rotated is noticed in the
// shared store and not sent again.

export type Role = "admin" | "analyst" | "viewer";

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  email_verified: boolean;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  expires_at: number; // unix ms when the access token expires
  user: User;
}

export interface SignedIn {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  user: User;
}

export interface SessionStore {
  load(): Session | null;
  save(session: Session | null): void;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

// Roles are ordered: admin can do what analyst can, analyst what viewer can.
export function hasRole(roles: readonly Role[] | undefined, required: Role): boolean {
  return (roles ?? []).some((role) => ROLE_RANK[role] >= ROLE_RANK[required]);
}

export function sessionFrom(signedIn: SignedIn, now: number): Session {
  return {
    access_token: signedIn.access_token,
    refresh_token: signedIn.refresh_token,
    expires_at: now + signedIn.expires_in * 1000,
    user: signedIn.user,
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy page or an empty body
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)
    ?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(
      response.status,
      error.code,
      error.message,
      typeof error.field === "string" ? error.field : undefined,
    );
  }
  return new ApiError(response.status, "http_" + response.status, `the server answered ${response.status}`);
}

export interface RequestOptions {
  body?: unknown;
  auth?: boolean; // default true: send the access token (and refresh it when needed)
  query?: Record<string, string | number | undefined>;
}

// Refresh this long before the access token's expiry, so a request never
// leaves with a token that expires on the way.
const EXPIRY_MARGIN_MS = 10_000;

export class ApiClient {
  private refreshing: Promise<Session | null> | null = null;

  constructor(
    private readonly store: SessionStore,
    private readonly fetchFn: typeof fetch,
    private readonly onSignedOut: () => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  session(): Session | null {
    return this.store.load();
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    let session = auth ? this.store.load() : null;
    if (auth && !session) throw new ApiError(401, "signed_out", "sign in to continue");
    if (session && session.expires_at - EXPIRY_MARGIN_MS <= this.now()) {
      session = await this.refresh(session.refresh_token);
      if (!session) throw new ApiError(401, "session_expired", "your session ended; sign in again");
    }
    let response = await this.send(method, path, options, session);
    if (response.status === 401 && session) {
      // Refused although not expired by our clock (clock skew, a restarted
      // server with a new key, an expired token in storage): refresh once.
      session = await this.refresh(session.refresh_token);
      if (!session) throw new ApiError(401, "session_expired", "your session ended; sign in again");
      response = await this.send(method, path, options, session);
    }
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async signIn(email: string, password: string): Promise<Session> {
    const signedIn = await this.request<SignedIn>("POST", "/auth/login", {
      auth: false,
      body: { email, password },
    });
    const session = sessionFrom(signedIn, this.now());
    this.store.save(session);
    return session;
  }

  // Ends the sign-in on the server (its refresh token stops working) and here.
  async signOut(): Promise<void> {
    const session = this.store.load();
    this.store.save(null);
    if (session) {
      try {
        await this.send("POST", "/auth/logout", { body: { refresh_token: session.refresh_token } }, null);
      } catch {
        // offline: the local session is gone either way
      }
    }
    this.onSignedOut();
  }

  // The session after a refresh, or null when the sign-in has ended.
  refresh(staleRefreshToken: string): Promise<Session | null> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh(staleRefreshToken).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(staleRefreshToken: string): Promise<Session | null> {
    const current = this.store.load();
    if (!current) return null;
    if (current.refresh_token !== staleRefreshToken && current.expires_at - EXPIRY_MARGIN_MS > this.now()) {
      return current; // another tab (or request) has rotated it already
    }
    let response: Response;
    try {
      response = await this.send("POST", "/auth/refresh", { body: { refresh_token: current.refresh_token } }, null);
    } catch (e) {
      throw new ApiError(0, "network", "cannot reach the server: " + (e as Error).message);
    }
    if (response.ok) {
      const session = sessionFrom((await response.json()) as SignedIn, this.now());
      this.store.save(session);
      return session;
    }
    if (response.status === 401 || response.status === 400) {
      this.store.save(null);
      this.onSignedOut();
      return null;
    }
    throw await errorOf(response);
  }

  private async send(method: string, path: string, options: RequestOptions, session: Session | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (session) headers.Authorization = `Bearer ${session.access_token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let url = path;
    if (options.query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query)) {
        if (value !== undefined && value !== "") params.set(key, String(value));
      }
      const text = params.toString();
      if (text) url += "?" + text;
    }
    try {
      return await this.fetchFn(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (e) {
      throw new ApiError(0, "network", "cannot reach the server: " + (e as Error).message);
    }
  }
}

// The session in localStorage, shared by the tabs of this origin.
export class LocalSessionStore implements SessionStore {
  static readonly KEY = "futureim.session";
  load(): Session | null {
    try {
      const text = localStorage.getItem(LocalSessionStore.KEY);
      return text ? (JSON.parse(text) as Session) : null;
    } catch {
      return null;
    }
  }
  save(session: Session | null): void {
    if (session) localStorage.setItem(LocalSessionStore.KEY, JSON.stringify(session));
    else localStorage.removeItem(LocalSessionStore.KEY);
  }
}
