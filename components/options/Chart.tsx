import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface DailyBarChartProps {
  /** Local midnights, seconds. */
  x: number[];
  y: number[];
  /** Series name in the legend and tooltip. */
  label: string;
  /** Name of the x values (days) in the legend. */
  xLabel: string;
  /** BCP 47 tag for the day labels. */
  lang: string;
  /** Accessible summary of what the chart shows. */
  summary: string;
  testid?: string;
  height?: number;
}

/** A 2D canvas is there (not in every test DOM); without it the table below the charts still shows the numbers. */
function canDraw(): boolean {
  try {
    return !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** One bar per day, drawn by uPlot (canvas), coloured from the page's theme variables. */
export function DailyBarChart({ x, y, label, xLabel, lang, summary, testid, height = 180 }: DailyBarChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || !canDraw()) return;
    const text = cssVar('--sf-muted', '#6b665c');
    const grid = cssVar('--sf-border', '#dcd7cc');
    const accent = cssVar('--sf-accent', '#4f6f63');
    const dayFmt = new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric' });
    const fullFmt = new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'short', day: 'numeric' });
    const numFmt = new Intl.NumberFormat(lang);
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      // Half a day of room on each side, so the first and last bars are whole.
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((s) => dayFmt.format(new Date(s * 1000))) },
        { ...axis, size: 48, values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? numFmt.format(s) : '')) },
      ],
      series: [
        { label: xLabel, value: (_u, v) => (v == null ? '' : fullFmt.format(new Date(v * 1000))) },
        {
          label,
          stroke: accent,
          fill: accent,
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.6, 28], align: 0 }),
          points: { show: false },
          value: (_u, v) => (v == null ? '' : numFmt.format(v)),
        },
      ],
    };
    const plot = new uPlot(opts, [x, y], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [x, y, label, xLabel, lang, height]);

  return <div class="op-chart" ref={box} role="img" aria-label={summary} data-testid={testid} />;
}
