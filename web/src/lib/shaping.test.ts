import { describe, expect, it } from "vitest";
import { chartOf, isNumericType, rowCells, type QueryAnswer } from "./queryResult";
import { routeAreas, servedSystems } from "./systems";
import { localInputToRfc3339 } from "../pages/AdminPages";

const answer: QueryAnswer = {
  columns: [
    { name: "day", type: "DATE" },
    { name: "orders", type: "BIGINT" },
    { name: "revenue", type: "DECIMAL(18,2)" },
    { name: "tags", type: "VARCHAR[]" },
  ],
  rows: [
    { day: "2026-01-01", orders: 3, revenue: "10.50", tags: ["a"] },
    { day: "2026-01-02", orders: null, revenue: "-2.00", tags: null },
  ],
  row_count: 2,
  truncated: false,
  elapsed_ms: 4,
};

describe("query results", () => {
  it("recognises numeric DuckDB types", () => {
    expect(isNumericType("DECIMAL(18,2)")).toBe(true);
    expect(isNumericType("HUGEINT")).toBe(true);
    expect(isNumericType("VARCHAR")).toBe(false);
    expect(isNumericType("INTEGER[]")).toBe(false);
  });
  it("makes cells in column order, lists as JSON text", () => {
    expect(rowCells(answer)).toEqual([
      ["2026-01-01", 3, "10.50", '["a"]'],
      ["2026-01-02", null, "-2.00", null],
    ]);
  });
  it("charts numeric columns against the row when the first column is not numeric", () => {
    expect(chartOf(answer)).toEqual({
      xLabel: "row",
      x: [1, 2],
      series: [
        { label: "orders", values: [3, null] },
        { label: "revenue", values: [10.5, -2] },
      ],
    });
  });
  it("has no chart for one row or no numeric column", () => {
    expect(chartOf({ ...answer, rows: answer.rows.slice(0, 1) })).toBeNull();
    expect(chartOf({ ...answer, columns: [{ name: "day", type: "DATE" }] })).toBeNull();
  });
});

describe("served systems", () => {
  const document = {
    paths: {
      "/health": { get: {} },
      "/auth/login": { post: {} },
      "/auth/me": { get: {} },
      "/analytics/compliance/fraud-queue": { get: {}, post: {} },
      "/analytics/compliance-other/x": { get: {} },
    },
  };
  it("lists only systems with routes under their prefix", () => {
    const systems = servedSystems(document);
    expect(systems.map((s) => s.slug)).toEqual(["compliance"]);
    expect(systems[0].routes).toEqual(["GET /analytics/compliance/fraud-queue", "POST /analytics/compliance/fraud-queue"]);
    expect(servedSystems({})).toEqual([]);
  });
  it("counts routes per area", () => {
    expect(routeAreas(document)).toEqual([
      { area: "analytics", routes: 3 },
      { area: "auth", routes: 2 },
      { area: "health", routes: 1 },
    ]);
  });
});

describe("audit filters", () => {
  it("reads datetime-local values as UTC", () => {
    expect(localInputToRfc3339("2026-11-24T10:30")).toBe("2026-11-24T10:30:00Z");
    expect(localInputToRfc3339("2026-11-24T10:30:15")).toBe("2026-11-24T10:30:15Z");
    expect(localInputToRfc3339("")).toBeUndefined();
  });
});
