import { useEffect } from "react";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { routeAreas, servedSystems, type OpenApiDocument } from "../lib/systems";
import { EmptyState, ErrorMessage, Skeleton } from "../components/Feedback";

interface Health {
  status: string;
  version: string;
}

export function HomePage() {
  const { client, user } = useSession();
  useEffect(() => {
    document.title = "Home · FutureIM";
  }, []);
  const health = useLoad(async () => {
    const started = performance.now();
    const answer = await client.request<Health>("GET", "/health", { auth: false });
    return { ...answer, ms: Math.round(performance.now() - started) };
  }, [client]);
  const api = useLoad(() => client.request<OpenApiDocument>("GET", "/openapi.json", { auth: false }), [client]);
  const systems = api.data ? servedSystems(api.data) : [];

  return (
    <div className="page">
      <h1>Welcome, {user?.name}</h1>
      <section aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        <div className="cards">
          <article className="card" aria-label="Server">
            <h3>Server</h3>
            {health.loading ? (
              <Skeleton rows={2} label="Checking the server" />
            ) : health.error ? (
              <ErrorMessage error={health.error} onRetry={health.reload} />
            ) : (
              <>
                <p className={`status status-${health.data?.status === "ok" ? "ok" : "bad"}`}>{health.data?.status === "ok" ? "Answering" : health.data?.status}</p>
                <p className="muted">
                  version {health.data?.version} · answered in {health.data?.ms} ms
                </p>
              </>
            )}
          </article>
          <article className="card" aria-label="API">
            <h3>API</h3>
            {api.loading ? (
              <Skeleton rows={2} label="Reading the API description" />
            ) : api.error ? (
              <ErrorMessage error={api.error} onRetry={api.reload} />
            ) : (
              <ul className="plain">
                {routeAreas(api.data ?? {}).map((a) => (
                  <li key={a.area}>
                    <code>/{a.area}</code> {a.routes} {a.routes === 1 ? "route" : "routes"}
                  </li>
                ))}
              </ul>
            )}
          </article>
        </div>
      </section>
      <section aria-labelledby="systems-title">
        <h2 id="systems-title">Analytics systems</h2>
        {api.loading ? (
          <Skeleton rows={3} label="Looking for systems" />
        ) : systems.length === 0 ? (
          <EmptyState title="No analytics system is served yet">
            Systems appear here as soon as this server serves their routes (<code>/analytics/…</code> in <a href="/openapi.json">/openapi.json</a>).
            Replication lag, freshness and data quality appear with the operations routes.
          </EmptyState>
        ) : (
          <div className="cards">
            {systems.map((s) => (
              <article className="card" key={s.slug} aria-label={s.name}>
                <h3>{s.name}</h3>
                <p>{s.description}</p>
                <p className="muted">{s.routes.length} {s.routes.length === 1 ? "route" : "routes"}</p>
              </article>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
