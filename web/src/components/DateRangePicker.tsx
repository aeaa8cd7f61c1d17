import { useId } from "react";
import { PRESETS, presetRange, previousPeriod, validateRange, type DateRange, type PresetId } from "../lib/dateRange";

export interface DateRangeValue {
  preset: PresetId | "custom";
  range: DateRange;
  compare: boolean;
}

export function initialDateRange(preset: PresetId = "30d", today = new Date()): DateRangeValue {
  return { preset, range: presetRange(preset, today), compare: true };
}

// Presets, a custom range, and "compare to the previous period" (the period of
// the same length just before). Pages read value.range and, when
// value.compare, previousPeriod(value.range).
export function DateRangePicker({ value, onChange }: { value: DateRangeValue; onChange(next: DateRangeValue): void }) {
  const id = useId();
  const problem = validateRange(value.range);
  const previous = problem ? null : previousPeriod(value.range);
  return (
    <fieldset className="date-range">
      <legend>Date range</legend>
      <label htmlFor={`${id}-preset`}>Period</label>
      <select
        id={`${id}-preset`}
        value={value.preset}
        onChange={(e) => {
          const preset = e.target.value as PresetId | "custom";
          onChange({ ...value, preset, range: preset === "custom" ? value.range : presetRange(preset, new Date()) });
        }}
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom</option>
      </select>
      <label htmlFor={`${id}-start`}>From</label>
      <input
        id={`${id}-start`}
        type="date"
        value={value.range.start}
        onChange={(e) => onChange({ ...value, preset: "custom", range: { ...value.range, start: e.target.value } })}
      />
      <label htmlFor={`${id}-end`}>To</label>
      <input
        id={`${id}-end`}
        type="date"
        value={value.range.end}
        onChange={(e) => onChange({ ...value, preset: "custom", range: { ...value.range, end: e.target.value } })}
      />
      <label className="check">
        <input type="checkbox" checked={value.compare} onChange={(e) => onChange({ ...value, compare: e.target.checked })} />
        Compare to previous period
      </label>
      {problem ? (
        <span className="field-error" role="alert">
          {problem}
        </span>
      ) : value.compare && previous ? (
        <span className="muted">
          vs {previous.start} – {previous.end}
        </span>
      ) : null}
    </fieldset>
  );
}
