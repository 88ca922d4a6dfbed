/**
 * How a dashboard figure moved against the previous period. The arrow follows the figure
 * (up when it grew), the colour whether that is good: more members is, more expired points
 * is not. Counts and money move by a share of the previous value; rates by percentage
 * points; an index such as NPS by its own points.
 */
export interface Change {
  current: number | null;
  previous: number | null;
  unit: "relative" | "percentPoints" | "points";
  better?: "higher" | "lower";
}

export interface Moved {
  up: boolean;
  good: boolean;
  unit: Change["unit"];
  /** "12%" (relative), "4.9" (percentage points, the caller adds the unit), "5" (points). */
  amount: string;
}

/** Null when there is nothing to compare: no figure, no change, or a share of zero. */
export function describeChange(change: Change, locale: string): Moved | null {
  const { current, previous, unit, better = "higher" } = change;
  if (current === null || previous === null || current === previous) return null;
  if (unit === "relative" && previous === 0) return null;
  const up = current > previous;
  const difference = Math.abs(current - previous);
  const amount =
    unit === "relative"
      ? new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(
          difference / Math.abs(previous),
        )
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
          unit === "percentPoints" ? difference * 100 : difference,
        );
  return { up, good: up === (better === "higher"), unit, amount };
}
