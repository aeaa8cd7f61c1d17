import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError } from "../lib/api";
import { downloadCsv } from "../lib/csv";
import { chartOf, rowCells, type QueryAnswer } from "../lib/queryResult";
import { useSession } from "../lib/session";
import { DataTable, type Column } from "../components/DataTable";
import { ErrorMessage, Skeleton } from "../components/Feedback";
import { LineChart } from "../components/LineChart";

// Read-only SQL over the lake (analysts and admins): POST /query.
export function QueryPage() {
  const { client } = useSession();
  const [sql, setSql] = useState("");
  const [maxRows, setMaxRows] = useState(1000);
  const [answer, setAnswer] = useState<QueryAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [showChart, setShowChart] = useState(false);
  useEffect(() => {
    document.title = "SQL query · FutureIM";
  }, []);

  const run = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!sql.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      setAnswer(await client.request<QueryAnswer>("POST", "/query", { body: { sql, max_rows: maxRows } }));
    } catch (e) {
      setAnswer(null);
      setError(e instanceof ApiError ? e : new ApiError(0, "client_error", String(e)));
    } finally {
      setBusy(false);
    }
  };

  const cells = useMemo(() => (answer ? rowCells(answer) : []), [answer]);
  const columns = useMemo<Column<(typeof cells)[number]>[]>(
    () =>
      (answer?.columns ?? []).map((c, i) => ({
        key: c.name,
        label: `${c.name} (${c.type})`,
        value: (row) => row[i],
        numeric: /INT|FLOAT|DOUBLE|DECIMAL|REAL/i.test(c.type),
      })),
    [answer],
  );
  const chart = useMemo(() => (answer ? chartOf(answer) : null), [answer]);

  return (
    <div className="page">
      <h1>SQL query</h1>
      <p className="muted">
        Read-only SQL over the lake's views (<code>curated.*</code>, <code>raw_current.*</code> and each system's prod tables). Every query is
        recorded in the audit log.
      </p>
      <form className="query-form" onSubmit={run}>
        <label htmlFor="sql">SQL</label>
        <textarea
          id="sql"
          rows={6}
          spellCheck={false}
          value={sql}
          placeholder="SELECT * FROM curated.orders LIMIT 100"
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
          }}
          aria-describedby="sql-hint"
        />
        <small id="sql-hint" className="muted">
          Ctrl+Enter runs the query.
        </small>
        <div className="row">
          <label htmlFor="max-rows">Max rows</label>
          <input id="max-rows" type="number" min={1} max={10000} value={maxRows} onChange={(e) => setMaxRows(Math.max(1, Number(e.target.value) || 1))} />
          <button type="submit" disabled={busy || !sql.trim()}>
            {busy ? "Running…" : "Run query"}
          </button>
          {answer ? (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                downloadCsv(
                  "query",
                  answer.columns.map((c) => c.name),
                  cells,
                )
              }
            >
              Download CSV
            </button>
          ) : null}
        </div>
      </form>
      <ErrorMessage error={error} />
      {busy ? <Skeleton rows={6} label="Running the query" /> : null}
      {answer && !busy ? (
        <>
          <p className="muted" role="status">
            {answer.row_count} rows in {answer.elapsed_ms} ms{answer.truncated ? ` — truncated at ${maxRows} rows` : ""}
          </p>
          {chart ? (
            <label className="check">
              <input type="checkbox" checked={showChart} onChange={(e) => setShowChart(e.target.checked)} /> Show chart
            </label>
          ) : null}
          {chart && showChart ? <LineChart title={`by ${chart.xLabel}`} x={chart.x} series={chart.series} /> : null}
          <DataTable title="Query result" columns={columns} rows={cells} rowKey={(_, i) => String(i)} emptyTitle="The query returned no rows" />
        </>
      ) : null}
    </div>
  );
}
