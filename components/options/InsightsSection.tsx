import { useEffect, useMemo, useState } from 'preact/hooks';
import { getDB } from '@/utils/storage/db';
import type { EventRecord } from '@/utils/storage/schema';
import { useT, useLocale, intlTag } from '@/components/ui/i18n';
import { DailyBarChart, DailyBarsChart, dayFormat, type BarSeries } from './Chart';
import { SLOWDOWN_MIN_PAUSES, SLOWDOWN_WINDOW_MS, dailySeries, hasData, rangeStart, slowdownPercent, slowdownSeries, summarize, type SlowdownSeries } from '@/utils/pages/insights-data';

const RANGES = [7, 14, 30, 90] as const;

/** Reads the logged 'posts' and 'frame-shown' events since `since` (read-only; the background writes them). */
export async function readActivity(since: number): Promise<EventRecord[]> {
  const db = await getDB();
  const range = IDBKeyRange.lowerBound(since);
  const out: EventRecord[] = [];
  let cursor = await db.transaction('events').store.index('byTs').openCursor(range);
  while (cursor) {
    if (cursor.value.type === 'posts' || cursor.value.type === 'frame-shown') out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

export function InsightsSection() {
  const t = useT();
  const locale = useLocale();
  const [days, setDays] = useState<(typeof RANGES)[number]>(14);
  const [events, setEvents] = useState<EventRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    readActivity(rangeStart(now, 90))
      .then((e) => live && setEvents(e))
      .catch((err) => live && setError(String(err)));
    return () => {
      live = false;
    };
  }, [now]);

  const series = useMemo(() => (events ? dailySeries(events, now, days) : null), [events, now, days]);
  const slowdown = useMemo(() => (events ? slowdownSeries(events, now, days) : null), [events, now, days]);
  const lang = intlTag(locale);
  const nf = new Intl.NumberFormat(lang);
  const rate = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const dayFmt = dayFormat(lang);

  return (
    <section class="op-section" aria-labelledby="op-insights-title">
      <div class="op-row">
        <h2 id="op-insights-title" class="op-grow">
          {t('options.nav.insights')}
        </h2>
        <label class="op-inline sf-small">
          {t('options.insights.range')}
          <select data-testid="insights-range" value={String(days)} onChange={(e) => setDays(Number((e.currentTarget as HTMLSelectElement).value) as (typeof RANGES)[number])}>
            {RANGES.map((n) => (
              <option value={String(n)}>{t('options.insights.days', { n })}</option>
            ))}
          </select>
        </label>
      </div>
      <p class="sf-muted">{t('options.insights.intro')}</p>
      {error && <p class="sf-error">{error}</p>}
      {!series ? (
        <p class="sf-muted">{t('options.loading')}</p>
      ) : !hasData(series) ? (
        <div class="op-card op-empty" data-testid="insights-empty">
          <p>{t('options.insights.empty')}</p>
          <p class="sf-muted sf-small">{t('options.insights.empty.hint')}</p>
        </div>
      ) : (
        <>
          <Summary series={series} nf={nf} />
          <div class="op-card">
            <h3>{t('options.insights.posts')}</h3>
            <DailyBarChart
              x={series.x}
              y={series.posts}
              label={t('options.insights.posts.series')}
              xLabel={t('options.insights.col.day')}
              lang={lang}
              summary={t('options.insights.posts.summary', { days, total: nf.format(series.posts.reduce((a, b) => a + b, 0)) })}
              rangeLabel={t('options.insights.legend.range', { n: days })}
              testid="chart-posts"
            />
          </div>
          <div class="op-card">
            <h3>{t('options.insights.pauses')}</h3>
            <DailyBarChart
              x={series.x}
              y={series.pauses}
              label={t('options.insights.pauses.series')}
              xLabel={t('options.insights.col.day')}
              lang={lang}
              summary={t('options.insights.pauses.summary', { days, total: nf.format(series.pauses.reduce((a, b) => a + b, 0)) })}
              rangeLabel={t('options.insights.legend.range', { n: days })}
              testid="chart-pauses"
            />
          </div>
          {slowdown && <Slowdown s={slowdown} days={days} lang={lang} nf={nf} />}
          <details class="op-card">
            <summary>{t('options.insights.table')}</summary>
            <table class="op-table" data-testid="insights-table">
              <thead>
                <tr>
                  <th scope="col">{t('options.insights.col.day')}</th>
                  <th scope="col">{t('options.insights.posts.series')}</th>
                  <th scope="col">{t('options.insights.pauses.series')}</th>
                  <th scope="col">{t('options.insights.slowdown.before')}</th>
                  <th scope="col">{t('options.insights.slowdown.after')}</th>
                </tr>
              </thead>
              <tbody>
                {/* Newest first, each day written as on the charts' axis. */}
                {series.days.map((_d, i) => series.days.length - 1 - i).map((i) => (
                  <tr>
                    <th scope="row">{dayFmt.format(new Date(series.x[i] * 1000))}</th>
                    <td>{nf.format(series.posts[i])}</td>
                    <td>{nf.format(series.pauses[i])}</td>
                    <td>{slowdown?.before[i] == null ? '–' : rate.format(slowdown.before[i]!)}</td>
                    <td>{slowdown?.after[i] == null ? '–' : rate.format(slowdown.after[i]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

function Summary({ series, nf }: { series: ReturnType<typeof dailySeries>; nf: Intl.NumberFormat }) {
  const t = useT();
  const s = summarize(series);
  return (
    <div class="op-card op-stats" data-testid="insights-summary">
      <div class="op-stat">
        <span class="op-num" data-testid="insights-total-posts">
          {nf.format(s.totalPosts)}
        </span>
        <span class="sf-muted sf-small">{t('options.insights.totalPosts')}</span>
      </div>
      <div class="op-stat">
        <span class="op-num" data-testid="insights-total-pauses">
          {nf.format(s.totalPauses)}
        </span>
        <span class="sf-muted sf-small">{t('options.insights.totalPauses')}</span>
      </div>
      <div class="op-stat">
        <span class="op-num">{nf.format(s.avgPostsPerActiveDay)}</span>
        <span class="sf-muted sf-small">{t('options.insights.avgPosts')}</span>
      </div>
      <div class="op-stat">
        <span class="op-num">{s.postsPerPause === null ? '–' : nf.format(s.postsPerPause)}</span>
        <span class="sf-muted sf-small">{t('options.insights.postsPerPause')}</span>
      </div>
    </div>
  );
}

/** "How much scrolling slowed after a pause": posts a minute before and after pauses, per day, and one plain sentence. */
function Slowdown({ s, days, lang, nf }: { s: SlowdownSeries; days: number; lang: string; nf: Intl.NumberFormat }) {
  const t = useT();
  const minutes = SLOWDOWN_WINDOW_MS / 60_000;
  const rate = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const series = useMemo(
    (): BarSeries[] => [
      { label: t('options.insights.slowdown.before'), y: s.before, tone: 'second' },
      { label: t('options.insights.slowdown.after'), y: s.after, tone: 'accent' },
    ],
    [s, t, lang],
  );
  const { slowdown, pauses, beforePerMinute, afterPerMinute } = s.total;
  const pct = slowdown === null ? null : slowdownPercent(slowdown);
  return (
    <div class="op-card" data-testid="insights-slowdown">
      <h3>{t('options.insights.slowdown')}</h3>
      {pct === null ? (
        <p class="sf-muted" data-testid="slowdown-empty">
          {t('options.insights.slowdown.empty', { min: SLOWDOWN_MIN_PAUSES, minutes, counted: nf.format(pauses) })}
        </p>
      ) : (
        <>
          <p data-testid="slowdown-sentence" data-slowdown-pct={String(pct)}>
            {pct > 0
              ? t('options.insights.slowdown.slower', { pct: nf.format(pct) })
              : pct < 0
                ? t('options.insights.slowdown.faster', { pct: nf.format(-pct) })
                : t('options.insights.slowdown.same')}
          </p>
          <p class="sf-muted sf-small" data-testid="slowdown-detail" data-pauses={String(pauses)}>
            {t('options.insights.slowdown.detail', {
              before: rate.format(beforePerMinute ?? 0),
              after: rate.format(afterPerMinute ?? 0),
              minutes,
              n: nf.format(pauses),
            })}
          </p>
          <DailyBarsChart
            x={s.x}
            series={series}
            xLabel={t('options.insights.col.day')}
            lang={lang}
            fractional
            overall={[beforePerMinute, afterPerMinute]}
            rangeLabel={t('options.insights.legend.all', { n: pauses })}
            summary={t('options.insights.slowdown.summary', { days, minutes })}
            testid="chart-slowdown"
          />
          <p class="sf-muted sf-small">{t('options.insights.slowdown.help', { minutes })}</p>
        </>
      )}
    </div>
  );
}
