import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
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
  /** What the legend says when no day is pointed at, e.g. "last 14 days". */
  rangeLabel: string;
}

/** One series of bars; `null` leaves that day without a bar (no data, not zero). */
export interface BarSeries {
  label: string;
  y: Array<number | null>;
  /** 'accent' (the theme's accent) or 'second' (a warm tone that reads beside it in both themes). */
  tone: 'accent' | 'second';
}

interface DailyBarsChartProps extends Omit<DailyBarChartProps, 'y' | 'label'> {
  /** One or two series, drawn side by side for each day. */
  series: BarSeries[];
  /** Values with one decimal (rates) rather than whole numbers (counts). */
  fractional?: boolean;
  /** The legend's values when no day is pointed at; by default each series' sum over the range. */
  overall?: Array<number | null>;
}

/** A day as the chart's axis writes it, and the tables beside the charts too. */
export function dayFormat(lang: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric' });
}

/** The colour of the 'second' tone when the page defines no --sf-chart-second (tests read it too). */
export const SECOND_TONE_FALLBACK = '#b7834f';

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
export function DailyBarChart({ y, label, ...rest }: DailyBarChartProps) {
  const series = useMemo((): BarSeries[] => [{ label, y, tone: 'accent' }], [label, y]);
  return <DailyBarsChart {...rest} series={series} />;
}

/** One bar per day and series (two series stand side by side), drawn by uPlot on a canvas. */
export function DailyBarsChart({ x, series, xLabel, lang, summary, testid, height = 180, fractional = false, rangeLabel, overall }: DailyBarsChartProps) {
  const box = useRef<HTMLDivElement>(null);
  // The day under the pointer (null: none), for the legend below the chart.
  const [idx, setIdx] = useState<number | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || !canDraw()) return;
    const text = cssVar('--sf-muted', '#6b665c');
    const grid = cssVar('--sf-border', '#dcd7cc');
    const colours = { accent: cssVar('--sf-accent', '#4f6f63'), second: cssVar('--sf-chart-second', SECOND_TONE_FALLBACK) };
    const dayFmt = dayFormat(lang);
    const fullFmt = new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'short', day: 'numeric' });
    const numFmt = new Intl.NumberFormat(lang, { maximumFractionDigits: fractional ? 1 : 0 });
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const tick = (s: number) => (fractional || Number.isInteger(s) ? numFmt.format(s) : '');
    // Two series share a day: each takes one side of it.
    const align = (i: number): -1 | 0 | 1 => (series.length < 2 ? 0 : i === 0 ? -1 : 1);
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      // Our own legend (below) shows numbers before any hover; uPlot's would show "–" until then.
      legend: { show: false },
      hooks: { setCursor: [(u) => setIdx(u.cursor.idx ?? null)] },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      // Half a day of room on each side, so the first and last bars are whole.
      scales: {
        x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 0) * 1.1] },
      },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((s) => dayFmt.format(new Date(s * 1000))) },
        { ...axis, size: 48, values: (_u, splits) => splits.map(tick) },
      ],
      series: [
        { label: xLabel, value: (_u, v) => (v == null ? '' : fullFmt.format(new Date(v * 1000))) },
        ...series.map(
          (s, i): uPlot.Series => ({
            label: s.label,
            stroke: colours[s.tone],
            fill: colours[s.tone],
            width: 0,
            paths: uPlot.paths.bars!({ size: series.length < 2 ? [0.6, 28] : [0.35, 16], align: align(i) }),
            points: { show: false },
            value: (_u, v) => (v == null ? '–' : numFmt.format(v)),
          }),
        ),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.y)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [x, series, xLabel, lang, height, fractional]);

  const colours = { accent: 'var(--sf-accent)', second: `var(--sf-chart-second, ${SECOND_TONE_FALLBACK})` };
  const numFmt = new Intl.NumberFormat(lang, { maximumFractionDigits: fractional ? 1 : 0 });
  const fullFmt = new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'short', day: 'numeric' });
  const value = (y: Array<number | null>, i: number) => {
    if (idx !== null) return y[idx];
    if (overall) return overall[i];
    return y.reduce<number>((a, b) => a + (b ?? 0), 0);
  };
  return (
    <div class="op-chart-box">
      <div class="op-chart" ref={box} role="img" aria-label={summary} data-testid={testid} />
      <p class="op-legend sf-small" data-testid={testid ? `${testid}-legend` : undefined} aria-live="polite">
        <span class="op-legend-when">{idx !== null && x[idx] !== undefined ? fullFmt.format(new Date(x[idx] * 1000)) : rangeLabel}</span>
        {series.map((s, i) => {
          const v = value(s.y, i);
          return (
            <span class="op-legend-item">
              <span class="op-legend-mark" style={{ background: colours[s.tone] }} aria-hidden="true" />
              {s.label}: <strong>{v == null ? '–' : numFmt.format(v)}</strong>
            </span>
          );
        })}
      </p>
    </div>
  );
}
