import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";

/**
 * The dashboard's charts. Polaris Viz measures the DOM as it draws, so this module is
 * loaded only in the browser (see ClientCharts in the dashboard route).
 */

export interface ChartSeries {
  name: string;
  data: Array<{ key: string; value: number }>;
}

export function PointsChart({ series, label }: { series: ChartSeries[]; label: string }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }} role="img" aria-label={label}>
        <LineChart data={series} theme="Light" showLegend />
      </div>
    </PolarisVizProvider>
  );
}

export function ComparisonChart({ series, label }: { series: ChartSeries[]; label: string }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }} role="img" aria-label={label}>
        <BarChart data={series} theme="Light" showLegend />
      </div>
    </PolarisVizProvider>
  );
}
