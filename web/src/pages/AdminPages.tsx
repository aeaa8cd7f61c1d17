import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError, type Role, type User } from "../lib/api";
import { formatTimestamp } from "../lib/format";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { DataTable, type Column } from "../components/DataTable";
import { ErrorMessage, Skeleton } from "../components/Feedback";

const ROLES: Role[] = ["viewer", "analyst", "admin"];

// The highest role of an account (the select shows one role; the server
// orders them admin > analyst > viewer).
function topRole(roles: Role[]): Role {
  return [...ROLES].reverse().find((r) => roles.includes(r)) ?? "viewer";
}

export function UsersPage() {
  const { client, user: me } = useSession();
  const users = useLoad(() => client.request<{ users: User[] }>("GET", "/admin/users").then((a) => a.users), [client]);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Users · FutureIM";
  }, []);

  const act = async (what: string, action: () => Promise<unknown>) => {
    setActionError(null);
    setNotice(null);
    try {
      await action();
      setNotice(what);
      users.reload();
    } catch (e) {
      setActionError(e instanceof ApiError ? e : new ApiError(0, "client_error", String(e)));
    }
  };

  const columns: Column<User>[] = [
    { key: "name", label: "Name", value: (u) => u.name },
    { key: "email", label: "Email", value: (u) => u.email },
    {
      key: "roles",
      label: "Role",
      value: (u) => u.roles.join(" "),
      render: (u) => (
        <select
          aria-label={`Role of ${u.email}`}
          value={topRole(u.roles)}
          disabled={u.id === me?.id}
          onChange={(e) => {
            const role = e.target.value as Role;
            act(`${u.email} is now ${role}`, () => client.request("PATCH", `/admin/users/${encodeURIComponent(u.id)}`, { body: { roles: [role] } }));
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      ),
    },
    { key: "email_verified", label: "Verified", value: (u) => (u.email_verified ? "yes" : "no") },
    { key: "disabled", label: "Status", value: (u) => (u.disabled ? "disabled" : "active") },
    { key: "created_at", label: "Created", value: (u) => formatTimestamp(u.created_at) },
    {
      key: "actions",
      label: "Actions",
      value: () => null,
      render: (u) =>
        u.id === me?.id ? (
          <span className="muted">you</span>
        ) : (
          <span className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                act(`${u.email} ${u.disabled ? "enabled" : "disabled"}`, () =>
                  client.request("PATCH", `/admin/users/${encodeURIComponent(u.id)}`, { body: { disabled: !u.disabled } }),
                )
              }
            >
              {u.disabled ? "Enable" : "Disable"}
            </button>
            {confirmDelete === u.id ? (
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setConfirmDelete(null);
                  act(`${u.email} deleted`, () => client.request("DELETE", `/admin/users/${encodeURIComponent(u.id)}`));
                }}
              >
                Confirm delete
              </button>
            ) : (
              <button type="button" className="secondary" onClick={() => setConfirmDelete(u.id)}>
                Delete
              </button>
            )}
          </span>
        ),
    },
  ];

  return (
    <div className="page">
      <h1>Users</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorMessage error={actionError} />
      {users.loading && !users.data ? (
        <Skeleton rows={5} label="Loading users" />
      ) : users.error ? (
        <ErrorMessage error={users.error} onRetry={users.reload} />
      ) : (
        <DataTable title="Users" columns={columns} rows={users.data ?? []} rowKey={(u) => u.id} emptyTitle="No accounts" />
      )}
    </div>
  );
}

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  client_ip: string;
  detail: unknown;
  hash: string;
}

interface AuditFilters {
  user: string;
  action: string;
  since: string; // datetime-local value, UTC
  until: string;
}

const NO_FILTERS: AuditFilters = { user: "", action: "", since: "", until: "" };

// "2026-11-24T10:30" (read as UTC) -> "2026-11-24T10:30:00Z".
export function localInputToRfc3339(value: string): string | undefined {
  if (!value) return undefined;
  return value.length === 16 ? `${value}:00Z` : `${value}Z`;
}

export function AuditLogPage() {
  const { client } = useSession();
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const users = useLoad(() => client.request<{ users: User[] }>("GET", "/admin/users").then((a) => a.users), [client]);
  const emails = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.email])), [users.data]);
  useEffect(() => {
    document.title = "Audit log · FutureIM";
  }, []);

  const load = async (before: number | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await client.request<{ entries: AuditEntry[]; next_before: number | null }>("GET", "/admin/audit-log", {
        query: {
          user: filters.user.trim(),
          action: filters.action.trim(),
          since: localInputToRfc3339(filters.since),
          until: localInputToRfc3339(filters.until),
          limit: 100,
          before: before ?? undefined,
        },
      });
      setEntries((current) => (before ? [...current, ...page.entries] : page.entries));
      setNext(page.next_before);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client_error", String(e)));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };

  const columns: Column<AuditEntry>[] = [
    { key: "at", label: "When (UTC)", value: (e) => e.at, render: (e) => formatTimestamp(e.at) },
    { key: "actor", label: "Actor", value: (e) => e.actor, render: (e) => emails.get(e.actor) ?? e.actor },
    { key: "action", label: "Action", value: (e) => e.action },
    { key: "target", label: "Target", value: (e) => e.target },
    { key: "client_ip", label: "Client", value: (e) => e.client_ip },
    { key: "detail", label: "Detail", value: (e) => (e.detail == null ? "" : JSON.stringify(e.detail)) },
  ];

  return (
    <div className="page">
      <h1>Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Audit log filters">
        <label>
          Actor (user id)
          <select value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })}>
            <option value="">anyone</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <input value={draft.action} placeholder="e.g. login_failed" onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
        </label>
        <label>
          Since (UTC)
          <input type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </label>
        <label>
          Until (UTC)
          <input type="datetime-local" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
        </label>
        <div className="row">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorMessage error={error} onRetry={() => load(null)} />
      {loading && entries.length === 0 ? (
        <Skeleton rows={6} label="Loading the audit log" />
      ) : (
        <DataTable title="Audit log" columns={columns} rows={entries} rowKey={(e) => String(e.id)} emptyTitle="No entries match these filters" pageSize={50} />
      )}
      {next ? (
        <button type="button" className="secondary" disabled={loading} onClick={() => load(next)}>
          {loading ? "Loading…" : "Load older entries"}
        </button>
      ) : null}
    </div>
  );
}
