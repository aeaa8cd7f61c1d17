// Date ranges for the analytics pages: presets, the previous period of the
// same length (for compare-to-previous), and % change. Days are calendar
// days in UTC; a range is [start, end] inclusive, as "YYYY-MM-DD".

export interface DateRange {
  start: string;
  end: string;
}

export type PresetId = "7d" | "30d" | "90d" | "mtd" | "qtd" | "ytd" | "12m";

export const PRESETS: { id: PresetId; label: string }[] = [
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "90d", label: "Last 90 days" },
  { id: "mtd", label: "Month to date" },
  { id: "qtd", label: "Quarter to date" },
  { id: "ytd", label: "Year to date" },
  { id: "12m", label: "Last 12 months" },
];

const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function parseDay(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date: ${day}`);
  const date = new Date(day + "T00:00:00Z");
  if (Number.isNaN(date.getTime()) || isoDay(date) !== day) throw new Error(`not a date: ${day}`);
  return date;
}

function addDays(day: string, days: number): string {
  return isoDay(new Date(parseDay(day).getTime() + days * DAY_MS));
}

// Number of days in the range, both ends included.
export function lengthInDays(range: DateRange): number {
  return Math.round((parseDay(range.end).getTime() - parseDay(range.start).getTime()) / DAY_MS) + 1;
}

export function presetRange(preset: PresetId, today: Date): DateRange {
  const end = isoDay(today);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (preset) {
    case "7d":
      return { start: addDays(end, -6), end };
    case "30d":
      return { start: addDays(end, -29), end };
    case "90d":
      return { start: addDays(end, -89), end };
    case "mtd":
      return { start: isoDay(new Date(Date.UTC(y, m, 1))), end };
    case "qtd":
      return { start: isoDay(new Date(Date.UTC(y, m - (m % 3), 1))), end };
    case "ytd":
      return { start: isoDay(new Date(Date.UTC(y, 0, 1))), end };
    case "12m":
      return { start: addDays(isoDay(new Date(Date.UTC(y - 1, m, today.getUTCDate()))), 1), end };
  }
}

// The period of the same length that ends the day before `range` starts.
export function previousPeriod(range: DateRange): DateRange {
  const days = lengthInDays(range);
  const end = addDays(range.start, -1);
  return { start: addDays(end, -(days - 1)), end };
}

// Relative change in percent; null when it is undefined (no previous value,
// or a previous value of 0).
export function percentChange(current: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined || previous === 0 || !Number.isFinite(previous)) {
    return null;
  }
  if (!Number.isFinite(current)) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}

export function formatPercentChange(change: number | null): string {
  if (change === null) return "–";
  const rounded = Math.abs(change) >= 10 ? change.toFixed(0) : change.toFixed(1);
  return (change > 0 ? "+" : "") + rounded + " %";
}

export function validateRange(range: DateRange): string | null {
  try {
    if (lengthInDays(range) < 1) return "the start is after the end";
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}
