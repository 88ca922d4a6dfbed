import { describe, expect, it } from "vitest";
import { describeChange } from "../../app/components/change";
import { bucketTotals, chartBucket } from "../../app/domain/periods";
import { translate } from "../../app/i18n";

/** What the dashboard shows beside its figures and under its charts. */
describe("the change beside a figure", () => {
  it("points up, in green, when members grew, even if fewer joined than in the period before", () => {
    // 255 members now, 226 at the end of the previous period (the old badge compared the
    // 29 who joined now with the 40 before, and showed a red ↓).
    expect(describeChange({ current: 255, previous: 226, unit: "relative" }, "en")).toEqual({
      up: true,
      good: true,
      unit: "relative",
      amount: "13%",
    });
  });

  it("colours a rise red when lower is better, and a fall green", () => {
    expect(describeChange({ current: 900, previous: 600, unit: "relative", better: "lower" }, "en")).toMatchObject({
      up: true,
      good: false,
      amount: "50%",
    });
    expect(describeChange({ current: 300, previous: 600, unit: "relative", better: "lower" }, "en")).toMatchObject({
      up: false,
      good: true,
    });
  });

  it("moves rates by percentage points and NPS by points, across zero", () => {
    expect(describeChange({ current: 0.851, previous: 0.838, unit: "percentPoints" }, "ru")).toMatchObject({
      up: true,
      amount: "1,3",
    });
    expect(describeChange({ current: -5, previous: 12, unit: "points" }, "en")).toMatchObject({
      up: false,
      good: false,
      amount: "17",
    });
  });

  it("says nothing when there is nothing to compare", () => {
    expect(describeChange({ current: 10, previous: 0, unit: "relative" }, "en")).toBeNull();
    expect(describeChange({ current: 10, previous: 10, unit: "relative" }, "en")).toBeNull();
    expect(describeChange({ current: null, previous: 3, unit: "points" }, "en")).toBeNull();
  });
});

describe("the charts' bars", () => {
  const days = Array.from({ length: 366 }, (_, i) => ({
    day: new Date(Date.UTC(2025, 10, 26) + i * 86_400_000).toISOString().slice(0, 10),
    issued: i,
    newMembers: 1,
  }));

  it("stay daily up to a month, weekly to a quarter, monthly beyond", () => {
    expect([7, 30, 90, 365].map(chartBucket)).toEqual(["day", "day", "week", "month"]);
  });

  it("add up to the period's totals, keyed by a week's first day or a calendar month", () => {
    const total = (rows: Array<{ issued: number; newMembers: number }>) =>
      rows.reduce((sum, row) => [sum[0]! + row.issued, sum[1]! + row.newMembers], [0, 0]);
    const months = bucketTotals(days, "month", ["issued", "newMembers"]);
    expect(months.map((m) => m.day)).toEqual([
      "2025-11",
      "2025-12",
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
    ]);
    expect(months[0]!.newMembers).toBe(5); // Nov 26–30
    expect(months.at(-1)!.newMembers).toBe(26); // Nov 1–26
    expect(total(months)).toEqual(total(days));
    const weeks = bucketTotals(days.slice(0, 91), "week", ["issued", "newMembers"]);
    expect(weeks).toHaveLength(13);
    expect(weeks[1]).toEqual({ day: days[7]!.day, issued: 7 + 8 + 9 + 10 + 11 + 12 + 13, newMembers: 7 });
    expect(total(weeks)).toEqual(total(days.slice(0, 91)));
    // The input is not changed.
    expect(days[0]).toEqual({ day: "2025-11-26", issued: 0, newMembers: 1 });
  });
});

describe("numbers in admin texts", () => {
  it("take the reader's thousands separators", () => {
    expect(translate("en", "dashboard.liability.help", { count: 110_556 })).toContain("110,556");
    expect(translate("ru", "dashboard.liability.help", { count: 110_556 })).toContain("110\u00a0556");
  });
});
