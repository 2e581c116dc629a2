import { useEffect, useMemo, useState } from 'preact/hooks';
import { readActivity } from '@/utils/pages/page-reads';
import type { EventRecord } from '@/utils/storage/schema';
import { useT, useLocale, intlTag } from '@/components/ui/i18n';
import { useSettings } from '@/components/ui/settings-context';
import { Switch } from '@/components/ui/Switch';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import { useStudyActive } from '@/components/study/StudyBadge';
import { DailyBarChart, dayFormat } from './Chart';
import { dailySeries, hasData, rangeStart, summarize } from '@/utils/pages/insights-data';
import { MIN_DAYS, MIN_EACH, decisionRows, pauseEffect, percentChange, type PauseEffect } from '@/utils/pages/pause-effect';

const RANGES = [7, 14, 30, 90] as const;

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
  const effect = useMemo(() => (events ? pauseEffect(decisionRows(events, rangeStart(now, days))) : null), [events, now, days]);
  const lang = intlTag(locale);
  const nf = new Intl.NumberFormat(lang);
  const dayFmt = dayFormat(lang);

  return (
    <section class="op-section" aria-labelledby="op-insights-title">
      <div class="op-row">
        <h2 id="op-insights-title" class="op-grow">
          {t('options.nav.insights')}
        </h2>
        <label class="op-inline sf-small">
          {t('options.insights.range')}
          <select
            data-testid="insights-range"
            value={String(days)}
            onChange={(e) => setDays(Number((e.currentTarget as HTMLSelectElement).value) as (typeof RANGES)[number])}
          >
            {RANGES.map((n) => (
              <option value={String(n)}>{t('options.insights.days', { n })}</option>
            ))}
          </select>
        </label>
      </div>
      <p class="sf-muted">{t('options.insights.intro')}</p>
      {error && <p class="sf-error">{error}</p>}
      {effect && <Comparison e={effect} nf={nf} />}
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
          <details class="op-card">
            <summary>{t('options.insights.table')}</summary>
            <table class="op-table" data-testid="insights-table">
              <thead>
                <tr>
                  <th scope="col">{t('options.insights.col.day')}</th>
                  <th scope="col">{t('options.insights.posts.series')}</th>
                  <th scope="col">{t('options.insights.pauses.series')}</th>
                </tr>
              </thead>
              <tbody>
                {/* Newest first, each day written as on the charts' axis. */}
                {series.days
                  .map((_d, i) => series.days.length - 1 - i)
                  .map((i) => (
                    <tr>
                      <th scope="row">{dayFmt.format(new Date(series.x[i] * 1000))}</th>
                      <td>{nf.format(series.posts[i])}</td>
                      <td>{nf.format(series.pauses[i])}</td>
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

/**
 * "Do pauses change your scrolling?": moments with a pause against moments when one was due
 * but skipped at random (utils/pages/pause-effect.ts). It says plainly when the data cannot
 * tell yet — too few moments, or a difference within chance — and offers the setting that
 * makes the comparison possible.
 */
function Comparison({ e, nf }: { e: PauseEffect; nf: Intl.NumberFormat }) {
  const t = useT();
  const store = useSettings();
  const saving = useSaveStatus();
  const inStudy = useStudyActive();
  const on = store.settings?.compareWithSkips !== false;
  const pct = (ratio: number) => nf.format(Math.abs(percentChange(ratio)));
  const change = (ratio: number | null) =>
    ratio === null
      ? '–'
      : percentChange(ratio) < 0
        ? t('options.insights.effect.change.slower', { pct: pct(ratio) })
        : percentChange(ratio) > 0
          ? t('options.insights.effect.change.faster', { pct: pct(ratio) })
          : t('options.insights.effect.change.same');
  const bounds = { low: nf.format(percentChange(e.low ?? 1)), high: nf.format(percentChange(e.high ?? 1)) };
  let sentence: string;
  if (e.verdict === 'not-enough')
    sentence = t('options.insights.effect.notEnough', {
      shown: nf.format(e.shown),
      skipped: nf.format(e.skipped),
      days: nf.format(e.days),
      min: MIN_EACH,
      minDays: MIN_DAYS,
    });
  else if (e.verdict === 'unclear') sentence = t('options.insights.effect.unclear', { pct: nf.format(percentChange(e.ratio!)), ...bounds });
  else sentence = t(e.verdict === 'slower' ? 'options.insights.effect.slower' : 'options.insights.effect.faster', { pct: pct(e.ratio!), ...bounds });
  return (
    <div class="op-card" data-testid="insights-effect" data-verdict={e.verdict}>
      <h3>{t('options.insights.effect')}</h3>
      <p data-testid="effect-sentence">{!on && e.shown + e.skipped === 0 ? t('options.insights.effect.off') : sentence}</p>
      {e.shown + e.skipped > 0 && (
        <dl class="sf-small" data-testid="effect-groups">
          <dt>{t('options.insights.effect.withPause', { n: nf.format(e.shown) })}</dt>
          <dd data-testid="effect-with">{change(e.shownChange)}</dd>
          <dt>{t('options.insights.effect.withoutPause', { n: nf.format(e.skipped) })}</dt>
          <dd data-testid="effect-without">{change(e.skippedChange)}</dd>
        </dl>
      )}
      <p class="sf-muted sf-small">{t('options.insights.effect.intro')}</p>
      <div class="op-row">
        <Switch
          checked={on}
          label={t('options.insights.skips')}
          visibleLabel
          testid="compare-skips"
          onChange={(next) => void saving.run(() => store.patch({ compareWithSkips: next }))}
        />
        <SaveStatus state={saving.state} />
      </div>
      <p class="sf-muted sf-small">{t(inStudy ? 'options.insights.skips.study' : 'options.insights.skips.help')}</p>
    </div>
  );
}
