// The only module that imports ECharts. Loaded with a dynamic import by
// <Chart>, so the first page's JS carries none of it; tree-shaken to the
// charts and components the dashboard draws, rendered as SVG.
import { BarChart, GaugeChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GaugeChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export type ChartInstance = echarts.ECharts;

/** A chart in `el`, sized by it unless a size is given (tests, where nothing has a layout). */
export function initChart(el: HTMLElement, size?: { width: number; height: number }): ChartInstance {
  return echarts.init(el, undefined, { renderer: 'svg', ...size });
}
