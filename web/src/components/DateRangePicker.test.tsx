import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { DateRangePicker, initialDateRange } from "./DateRangePicker";

describe("DateRangePicker", () => {
  it("shows the previous period when comparing", () => {
    const value = initialDateRange("7d", new Date("2026-03-15T12:00:00Z"));
    const html = renderToStaticMarkup(<DateRangePicker value={value} onChange={() => {}} />);
    expect(html).toContain('value="2026-03-09"');
    expect(html).toContain("vs 2026-03-02 – 2026-03-08");
  });
  it("explains a reversed range instead of comparing", () => {
    const html = renderToStaticMarkup(
      <DateRangePicker value={{ preset: "custom", range: { start: "2026-03-10", end: "2026-03-01" }, compare: true }} onChange={() => {}} />,
    );
    expect(html).toContain("the start is after the end");
    expect(html).not.toContain("vs ");
  });
});
