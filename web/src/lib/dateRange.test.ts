import { describe, expect, it } from "vitest";
import { formatPercentChange, lengthInDays, parseDay, percentChange, presetRange, previousPeriod, validateRange } from "./dateRange";

const today = new Date("2026-03-15T18:30:00Z");

describe("presetRange", () => {
  it("counts both ends: the last 7 days end today", () => {
    expect(presetRange("7d", today)).toEqual({ start: "2026-03-09", end: "2026-03-15" });
    expect(lengthInDays(presetRange("30d", today))).toBe(30);
    expect(lengthInDays(presetRange("90d", today))).toBe(90);
  });
  it("starts month, quarter and year to date on the first day", () => {
    expect(presetRange("mtd", today).start).toBe("2026-03-01");
    expect(presetRange("qtd", new Date("2026-05-20T00:00:00Z")).start).toBe("2026-04-01");
    expect(presetRange("ytd", today).start).toBe("2026-01-01");
  });
  it("last 12 months starts the day after the same date a year ago", () => {
    expect(presetRange("12m", today)).toEqual({ start: "2025-03-16", end: "2026-03-15" });
  });
});

describe("previousPeriod", () => {
  it("is the same length and ends the day before", () => {
    expect(previousPeriod({ start: "2026-03-09", end: "2026-03-15" })).toEqual({ start: "2026-03-02", end: "2026-03-08" });
  });
  it("crosses month ends and leap days", () => {
    expect(previousPeriod({ start: "2024-03-01", end: "2024-03-31" })).toEqual({ start: "2024-01-30", end: "2024-02-29" });
  });
  it("of a single day is the day before", () => {
    expect(previousPeriod({ start: "2026-01-01", end: "2026-01-01" })).toEqual({ start: "2025-12-31", end: "2025-12-31" });
  });
});

describe("percentChange", () => {
  it("is relative to the previous value", () => {
    expect(percentChange(150, 100)).toBe(50);
    expect(percentChange(50, 100)).toBe(-50);
    expect(percentChange(-50, -100)).toBe(50);
  });
  it("is undefined without a previous value or from zero", () => {
    expect(percentChange(10, 0)).toBeNull();
    expect(percentChange(10, null)).toBeNull();
    expect(percentChange(Number.NaN, 5)).toBeNull();
  });
  it("formats with a sign", () => {
    expect(formatPercentChange(12.345)).toBe("+12 %");
    expect(formatPercentChange(-3.21)).toBe("-3.2 %");
    expect(formatPercentChange(null)).toBe("–");
  });
});

describe("validation", () => {
  it("refuses impossible dates and reversed ranges", () => {
    expect(() => parseDay("2026-02-30")).toThrow();
    expect(validateRange({ start: "2026-03-10", end: "2026-03-01" })).toMatch(/after/);
    expect(validateRange({ start: "2026-03-01", end: "2026-03-10" })).toBeNull();
  });
});
