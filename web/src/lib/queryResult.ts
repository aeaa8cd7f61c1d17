// Shaping a POST /query answer for the table, the CSV export and the chart.

import type { Cell } from "./csv";

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryAnswer {
  columns: QueryColumn[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
  elapsed_ms: number;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

// Rows as arrays in column order (the CSV and table cells). Objects/arrays
// (LIST, STRUCT) become their JSON text.
export function rowCells(answer: QueryAnswer): Cell[][] {
  return answer.rows.map((row) =>
    answer.columns.map((column) => {
      const value = row[column.name];
      if (value === null || value === undefined) return null;
      if (typeof value === "object") return JSON.stringify(value);
      return value as Cell;
    }),
  );
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

// The chart of a result: x is the first column when it is numeric (else the
// row number), and every other numeric column is a series. null when there is
// nothing to draw.
export function chartOf(answer: QueryAnswer): { xLabel: string; x: number[]; series: { label: string; values: (number | null)[] }[] } | null {
  if (answer.rows.length < 2) return null;
  const [first, ...rest] = answer.columns;
  if (!first) return null;
  const xNumeric = isNumericType(first.type);
  const seriesColumns = (xNumeric ? rest : answer.columns).filter((c) => isNumericType(c.type));
  if (seriesColumns.length === 0) return null;
  const x = answer.rows.map((row, i) => (xNumeric ? toNumber(row[first.name]) ?? i : i + 1));
  return {
    xLabel: xNumeric ? first.name : "row",
    x,
    series: seriesColumns.map((c) => ({ label: c.name, values: answer.rows.map((row) => toNumber(row[c.name])) })),
  };
}
