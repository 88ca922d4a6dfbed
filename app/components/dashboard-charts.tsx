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

function DataTable({ series, label }: { series: ChartSeries[]; label: string }) {
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
            <th scope="row">{key}</th>
            {series.map((s) => (
              <td key={s.name}>{s.data[index]?.value ?? 0}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Chart({ series, label, kind }: { series: ChartSeries[]; label: string; kind: "line" | "bar" }) {
  return (
    <PolarisVizProvider>
      <div style={{ position: "relative" }}>
        <DataTable series={series} label={label} />
        <div style={{ height: 260 }} aria-hidden="true" {...{ inert: "" }}>
          {kind === "line" ? (
            <LineChart data={series} theme="Light" showLegend />
          ) : (
            <BarChart data={series} theme="Light" showLegend />
          )}
        </div>
      </div>
    </PolarisVizProvider>
  );
}

export function PointsChart({ series, label }: { series: ChartSeries[]; label: string }) {
  return <Chart series={series} label={label} kind="line" />;
}

export function ComparisonChart({ series, label }: { series: ChartSeries[]; label: string }) {
  return <Chart series={series} label={label} kind="bar" />;
}
