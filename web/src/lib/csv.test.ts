import { describe, expect, it } from "vitest";
import { csvField, csvFileName, toCsv } from "./csv";

describe("toCsv", () => {
  it("writes a header, CRLF line ends and empty fields for null", () => {
    expect(toCsv(["a", "b"], [[1, null], ["x", undefined]])).toBe("a,b\r\n1,\r\nx,\r\n");
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(toCsv(["t"], [['say "hi", then\nleave']])).toBe('t\r\n"say ""hi"", then\nleave"\r\n');
  });
  it("keeps numbers and booleans as text", () => {
    expect(toCsv(["n", "b", "d"], [[-3.5, true, "-12.50"]])).toBe("n,b,d\r\n-3.5,true,-12.50\r\n");
  });
  it("pads short rows with empty fields and ignores extra cells", () => {
    expect(toCsv(["a", "b"], [[1], [1, 2, 3]])).toBe("a,b\r\n1,\r\n1,2\r\n");
  });
});

describe("csvField", () => {
  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+1+2")).toBe("'+1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-x")).toBe("'-x");
  });
  it("leaves signed numbers in text alone", () => {
    expect(csvField("-12.50")).toBe("-12.50");
    expect(csvField("+7")).toBe("+7");
    expect(csvField("-1e5")).toBe("-1e5");
  });
});

describe("csvFileName", () => {
  it("makes a safe, dated name", () => {
    expect(csvFileName("Audit log / 2026", new Date("2026-11-24T23:00:00Z"))).toBe("audit-log-2026-2026-11-24.csv");
    expect(csvFileName("***", new Date("2026-01-02T00:00:00Z"))).toBe("table-2026-01-02.csv");
  });
});
