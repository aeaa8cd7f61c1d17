import { useMemo, useState } from "react";
import { downloadCsv, type Cell } from "../lib/csv";
import { formatCell } from "../lib/format";
import { EmptyState } from "./Feedback";

export interface Column<Row> {
  key: string;
  label: string;
  value: (row: Row) => Cell;
  render?: (row: Row) => React.ReactNode;
  numeric?: boolean;
}

interface Props<Row> {
  title: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  emptyTitle?: string;
  pageSize?: number;
}

// A table with paging and CSV export (of every row, not only the page shown).
export function DataTable<Row>({ title, columns, rows, rowKey, emptyTitle = "Nothing to show", pageSize = 25 }: Props<Row>) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = useMemo(() => rows.slice(current * pageSize, (current + 1) * pageSize), [rows, current, pageSize]);
  const exportCsv = () =>
    downloadCsv(
      title,
      columns.map((c) => c.key),
      rows.map((row) => columns.map((c) => c.value(row))),
    );
  return (
    <section className="table-card" aria-label={title}>
      <header className="table-head">
        <h2>{title}</h2>
        <span className="muted">{rows.length} rows</span>
        <button type="button" className="secondary" onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV
        </button>
      </header>
      {rows.length === 0 ? (
        <EmptyState title={emptyTitle} />
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? "num" : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row, i) => (
                <tr key={rowKey(row, current * pageSize + i)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.numeric ? "num" : undefined}>
                      {c.render ? c.render(row) : formatCell(c.value(row))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label={`${title} pages`}>
          <button type="button" className="secondary" onClick={() => setPage(current - 1)} disabled={current === 0}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" className="secondary" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            Next
          </button>
        </nav>
      ) : null}
    </section>
  );
}
