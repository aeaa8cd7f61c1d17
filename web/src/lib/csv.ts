// CSV export of a table (RFC 4180): a header row, CRLF line ends, a field
// quoted when it holds a comma, quote, CR or LF (quotes doubled). null and
// undefined are empty fields. A text cell that a spreadsheet would run as a
// formula (=, +, -, @, tab, CR first) gets a leading apostrophe, unless it is
// a plain number such as "-12.50" (DECIMALs arrive as strings).

export type Cell = string | number | boolean | null | undefined;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function csvField(value: Cell): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) {
    text = "'" + text;
  }
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

export function toCsv(columns: string[], rows: Cell[][]): string {
  const lines = [columns.map(csvField).join(",")];
  for (const row of rows) lines.push(columns.map((_, i) => csvField(row[i])).join(","));
  return lines.join("\r\n") + "\r\n";
}

// A file name for an export: "<name>-2026-11-24.csv" (letters, digits, - and _ only).
export function csvFileName(name: string, now: Date = new Date()): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "table";
  return `${safe}-${now.toISOString().slice(0, 10)}.csv`;
}

export function downloadCsv(name: string, columns: string[], rows: Cell[][]): void {
  // A byte-order mark so spreadsheet programs read the file as UTF-8.
  const blob = new Blob(["\ufeff" + toCsv(columns, rows)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = csvFileName(name);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
