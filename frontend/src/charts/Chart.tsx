// An ECharts chart, loaded on first use (dynamic import of ./echarts). The
// container is an image with a text alternative; the numbers it draws are
// always in a table or list next to it as well.
import { useEffect, useRef, useState } from 'react';
import { useLang, useT } from '../i18n';
import type { ChartInstance, ChartOption } from './echarts';

let loader: Promise<typeof import('./echarts')> | null = null;
/** The ECharts module, imported once. */
export function loadCharts() {
  loader ??= import('./echarts');
  return loader;
}

export function Chart({ option, label, height = 260, testId }: { option: ChartOption; label: string; height?: number; testId?: string }) {
  const t = useT();
  const lang = useLang();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    loadCharts().then(
      (m) => {
        if (disposed || !el.current) return;
        chart.current = m.initChart(el.current);
        chart.current.setOption(option, true);
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => chart.current?.resize());
          observer.observe(el.current);
        }
      },
      () => !disposed && setFailed(true),
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // the chart is made once per language; option changes are applied below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lang]);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return (
    <div className="chart" role="img" aria-label={label} data-testid={testId} style={{ height }}>
      {failed ? <p className="muted">{t('dash.chartFailed')}</p> : <div ref={el} className="chart-canvas" aria-hidden="true" />}
    </div>
  );
}
