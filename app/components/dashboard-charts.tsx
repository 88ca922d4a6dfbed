import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";

/**
 * The dashboard's charts. Polaris Viz measures the DOM as it draws, so this module is
 * loaded only in the browser (see ClientCharts in the dashboard route).
 *
 * The drawn chart is for the eye only: its SVG markup is not a well-formed accessible
 * tree, so it is hidden from assistive technology and the same numbers are given as a
 * table that screen readers read instead.
 */

export interface ChartSeries {
  name: string;
  data: Array<{ key: string; value: number }>;
}

const visuallyHidden = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
} as const;

/**
 * Keys that are days (yyyy-mm-dd) or months (yyyy-mm) read as dates in the admin's
 * language; values take its separators. Axis ticks are short: Polaris Viz drops every
 * label that does not fit its bar.
 */
function formatters(locale: string) {
  const utc = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
  const day = utc({ day: "numeric", month: "short", year: "numeric" });
  const dayTick = utc({ day: "numeric", month: "numeric" });
  const month = utc({ month: "long", year: "numeric" });
  const monthTick = utc({ month: "short" });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const date = (days: Intl.DateTimeFormat, months: Intl.DateTimeFormat) => (value: unknown) => {
    const text = String(value ?? "");
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return days.format(new Date(`${text}T00:00:00Z`));
    if (/^\d{4}-\d{2}$/.test(text)) return months.format(new Date(`${text}-01T00:00:00Z`));
    return text;
  };
  return {
    key: date(day, month),
    tick: date(dayTick, monthTick),
    value: (value: unknown) => (typeof value === "number" ? number.format(value) : String(value ?? "")),
  };
}

/** More bars than this and Polaris Viz has no room for their labels: the range is written under the chart. */
const LABELLED_BARS = 16;

function DataTable({ series, label, locale }: { series: ChartSeries[]; label: string; locale: string }) {
  const format = formatters(locale);
  const keys = series[0]?.data.map((point) => point.key) ?? [];
  return (
    <table style={visuallyHidden}>
      <caption>{label}</caption>
      <thead>
        <tr>
          <td />
          {series.map((s) => (
            <th key={s.name} scope="col">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((key, index) => (
          <tr key={key}>
            <th scope="row">{format.key(key)}</th>
            {series.map((s) => (
              <td key={s.name}>{format.value(s.data[index]?.value ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ChartProps {
  series: ChartSeries[];
  label: string;
  /** The admin user's locale: dates and numbers on the axes, in tooltips and in the table. */
  locale: string;
}

function Chart({ series, label, locale, kind }: ChartProps & { kind: "line" | "bar" }) {
  const format = formatters(locale);
  const keys = series[0]?.data.map((point) => point.key) ?? [];
  const crowded = kind === "bar" && keys.length > LABELLED_BARS;
  const axes = {
    xAxisOptions: { labelFormatter: format.tick, hide: crowded },
    yAxisOptions: { labelFormatter: format.value },
    tooltipOptions: { titleFormatter: format.key, keyFormatter: format.key, valueFormatter: format.value },
  };
  return (
    <PolarisVizProvider>
      <div style={{ position: "relative" }}>
        <DataTable series={series} label={label} locale={locale} />
        {crowded ? (
          <p aria-hidden="true" style={{ margin: "0 0 4px", fontSize: 12, color: "#616161" }}>
            {format.key(keys[0])} – {format.key(keys.at(-1))}
          </p>
        ) : null}
        <div style={{ height: 260 }} aria-hidden="true" {...{ inert: "" }}>
          {kind === "line" ? (
            <LineChart data={series} theme="Light" showLegend {...axes} />
          ) : (
            <BarChart data={series} theme="Light" showLegend {...axes} />
          )}
        </div>
      </div>
    </PolarisVizProvider>
  );
}

/** An index over time (NPS by week): a line between its points. */
export function TrendChart(props: ChartProps) {
  return <Chart {...props} kind="line" />;
}

/** Counts per day or week, and side-by-side comparisons: bars, each one a real count. */
export function CountChart(props: ChartProps) {
  return <Chart {...props} kind="bar" />;
}
