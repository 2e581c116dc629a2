import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send, type SiteStatus, type TodayStats } from '@/utils/messaging';
import type { ActiveSite } from '@/utils/feeds/site-key';
import { cadencePreviewText } from '@/utils/schedule/core';
import { SettingsContext, useSettingsStore, type SettingsStore } from '@/components/ui/settings-context';
import { LocaleContext, applyLocale, intlTag, useLocale, useT } from '@/components/ui/i18n';
import { getLocale } from '@/utils/i18n';
import { Switch } from '@/components/ui/Switch';
import { StudyBadge, useStudyActive } from '@/components/study/StudyBadge';
import { NumberField } from '@/components/ui/NumberField';
import { cadencePatch, cadenceTarget, sitePatch, siteSwitch } from '@/components/ui/settings-helpers';
import { CADENCE_PRESETS, SNOOZE_KINDS, displayHost, formatUntil, snoozeView, tabIdFromSearch } from './popup-logic';

const ADAPTER_TEXT = {
  working: 'popup.adapter.working',
  fallback: 'popup.adapter.fallback',
  'not-feed': 'popup.adapter.notFeed',
  waiting: 'popup.adapter.waiting',
} as const;

const REASON_TEXT = {
  disabled: 'schedule.reason.disabled',
  'site-off': 'schedule.reason.site-off',
  snoozed: 'schedule.reason.snoozed',
  'quiet-hours': 'schedule.reason.quiet-hours',
  'daily-cap': 'schedule.reason.daily-cap',
  'cadence-off': 'schedule.reason.cadence-off',
} as const;

const SNOOZE_TEXT = { '15m': 'popup.snooze.15m', '1h': 'popup.snooze.1h', today: 'popup.snooze.today' } as const;

/** The popup: one glance, one click. */
export function PopupApp() {
  const store = useSettingsStore();
  const locale = store.settings ? applyLocale(store.settings.locale) : getLocale();
  return (
    <LocaleContext.Provider value={locale}>
      <SettingsContext.Provider value={store}>
        <PopupBody store={store} />
      </SettingsContext.Provider>
    </LocaleContext.Provider>
  );
}

function PopupBody({ store }: { store: SettingsStore }) {
  const studyActive = useStudyActive();
  const t = useT();
  const locale = useLocale();
  const { settings } = store;
  const [active, setActive] = useState<ActiveSite | null>(null);
  const [siteStatus, setSiteStatus] = useState<SiteStatus | null>(null);
  const [globalStatus, setGlobalStatus] = useState<SiteStatus | null>(null);
  const [today, setToday] = useState<TodayStats | null>(null);
  const [everywhere, setEverywhere] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  const siteKey = active?.siteKey ?? null;
  const siteKeyRef = useRef<string | null>(null);
  siteKeyRef.current = siteKey;

  const refreshStatus = useCallback(async (key: string | null) => {
    const [site, global, stats] = await Promise.all([
      key ? send({ type: 'status/get', siteKey: key }) : Promise.resolve(null),
      send({ type: 'status/get' }),
      send({ type: 'stats/today' }),
    ]);
    setSiteStatus(site);
    setGlobalStatus(global);
    setToday(stats);
    setNow(Date.now());
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const site = await send({ type: 'popup/active-site', tabId: tabIdFromSearch(location.search) });
        if (cancelled) return;
        setActive(site);
        await refreshStatus(site.siteKey);
      } catch (err) {
        if (!cancelled) {
          setActive({ siteKey: null, host: null, registered: false });
          setError(err instanceof Error ? err.message : String(err));
        }
      }
    })();
    // Keeps "snoozed until" and today's numbers honest while the popup stays open.
    const timer = setInterval(() => void refreshStatus(siteKeyRef.current).catch(() => {}), 15_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [refreshStatus]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    await refreshStatus(siteKey).catch(() => {});
  };

  if (!settings || active === null) {
    return (
      <main class="pp" aria-busy="true">
        <Header />
        {store.loadError ? <p class="sf-error">{t('popup.error.noBackground')}</p> : <p class="sf-muted">{t('popup.loading')}</p>}
      </main>
    );
  }

  const snooze = snoozeView(siteStatus, globalStatus, now);
  const target = cadenceTarget(settings, siteKey);
  const nf = new Intl.NumberFormat(intlTag(locale));

  return (
    <main class="pp" data-testid="popup" data-site-key={siteKey ?? ''}>
      <Header />

      {!settings.enabled && (
        <section class="pp-card pp-off" data-testid="global-off">
          <p>{t('popup.globalOff')}</p>
          <button type="button" class="sf-btn sf-btn-primary" data-testid="global-on" onClick={() => act(() => store.patch({ enabled: true }))}>
            {t('popup.turnOn')}
          </button>
        </section>
      )}

      <section class="pp-card pp-site" aria-labelledby="pp-site-title">
        {siteKey ? (
          <>
            <div class="pp-row">
              <div class="pp-site-name">
                <h2 id="pp-site-title" data-testid="site-name">
                  {displayHost(active.host) ?? siteKey}
                </h2>
                <p class="sf-muted sf-small" data-testid="site-status">
                  {siteLine(t, settings.enabled && siteSwitch(settings, siteKey), siteStatus)}
                </p>
              </div>
              <Switch
                checked={siteSwitch(settings, siteKey)}
                label={t('popup.site.toggle')}
                testid="site-toggle"
                onChange={(on) => act(() => store.patch(sitePatch(settings, siteKey, { enabled: on })))}
              />
            </div>
          </>
        ) : (
          <div data-testid="not-active">
            <h2 id="pp-site-title">{t('popup.notActive')}</h2>
            <p class="sf-muted sf-small">{t('popup.notActive.hint')}</p>
          </div>
        )}
      </section>

      <section class="pp-card" aria-labelledby="pp-snooze-title">
        <h3 id="pp-snooze-title" class="pp-label">
          {t('popup.snooze.title')}
        </h3>
        {snooze ? (
          <div class="pp-row" data-testid="snooze-state" data-scope={snooze.scope}>
            <span>
              {t(snooze.scope === 'all' ? 'popup.snooze.untilAll' : 'popup.snooze.untilSite', { time: formatUntil(snooze.until, now, locale) })}
            </span>
            <button
              type="button"
              class="sf-btn sf-btn-primary"
              data-testid="snooze-resume"
              onClick={() => act(() => send(snooze.scope === 'all' ? { type: 'snooze/clear' } : { type: 'snooze/clear', siteKey: siteKey ?? undefined }))}
            >
              {t('schedule.snooze.resume')}
            </button>
          </div>
        ) : (
          <>
            <div class="pp-buttons" role="group" aria-labelledby="pp-snooze-title">
              {SNOOZE_KINDS.map((kind) => (
                <button
                  type="button"
                  class="sf-btn"
                  data-testid={`snooze-${kind}`}
                  onClick={() =>
                    act(() =>
                      send(siteKey && !everywhere ? { type: 'snooze/set', kind, siteKey } : { type: 'snooze/set', kind }),
                    )
                  }
                >
                  {t(SNOOZE_TEXT[kind])}
                </button>
              ))}
            </div>
            {siteKey ? (
              <label class="pp-check sf-small">
                <input type="checkbox" data-testid="snooze-everywhere" checked={everywhere} onChange={(e) => setEverywhere((e.currentTarget as HTMLInputElement).checked)} />
                {t('popup.snooze.everywhere')}
              </label>
            ) : (
              <p class="sf-muted sf-small">{t('popup.snooze.everywhereNote')}</p>
            )}
          </>
        )}
      </section>

      <section class="pp-card" aria-labelledby="pp-cadence-title">
        <h3 id="pp-cadence-title" class="pp-label">
          {t(target.scope === 'site' ? 'popup.cadence.titleSite' : 'popup.cadence.title')}
        </h3>
        {studyActive ? (
          // The study's arm decides the pauses; showing its numbers would tell the participant their arm.
          <p class="sf-muted sf-small" data-testid="cadence-study">{t('popup.cadence.study')}</p>
        ) : (
          <>
        <div class="pp-row pp-cadence">
            <span>{t('popup.cadence.every')}</span>
            <NumberField
              value={target.value}
              min={0}
              max={1000}
              step={5}
              stepper
              label={t('popup.cadence.inputLabel')}
              testid="cadence-input"
              onCommit={(n) => n !== null && act(() => store.patch(cadencePatch(settings, siteKey, n)))}
            />
            <span>{t('popup.cadence.posts')}</span>
          </div>
          <div class="pp-buttons pp-presets" role="group" aria-label={t('popup.cadence.presets')}>
            {CADENCE_PRESETS.map((n) => (
              <button
                type="button"
                class="sf-btn sf-small"
                aria-pressed={target.value === n}
                data-testid={`cadence-preset-${n}`}
                onClick={() => act(() => store.patch(cadencePatch(settings, siteKey, n)))}
              >
                {nf.format(n)}
              </button>
            ))}
          </div>
          <p class="sf-muted sf-small" data-testid="cadence-preview">
            {cadencePreviewText(settings, t, siteKey ?? undefined)}
          </p>
          </>
        )}
      </section>

      <section class="pp-card pp-today" aria-labelledby="pp-today-title">
        <h3 id="pp-today-title" class="pp-label">
          {t('popup.today.title')}
        </h3>
        <div class="pp-stats">
          <div class="pp-stat">
            <span class="pp-num" data-testid="posts-today">
              {today ? nf.format(today.posts) : '–'}
            </span>
            <span class="sf-muted sf-small">{t('popup.today.posts')}</span>
          </div>
          <div class="pp-stat">
            <span class="pp-num" data-testid="pauses-today">
              {today ? nf.format(today.pauses) : '–'}
            </span>
            <span class="sf-muted sf-small">{t('popup.today.pauses')}</span>
          </div>
        </div>
      </section>

      {error && (
        <p class="sf-error sf-small" role="alert" data-testid="popup-error">
          {error}
        </p>
      )}

      <StudyBadge />
      <footer class="pp-footer">
        <button
          type="button"
          class="sf-link"
          data-testid="open-options"
          onClick={() => {
            void browser.runtime.openOptionsPage().then(() => window.close());
          }}
        >
          {t('popup.openOptions')}
        </button>
      </footer>
    </main>
  );
}

function Header() {
  const t = useT();
  return (
    <header class="pp-header">
      <span class="pp-logo" aria-hidden="true" />
      <h1>{t('app.name')}</h1>
    </header>
  );
}

function siteLine(t: (k: string, p?: Record<string, string | number>) => string, on: boolean, status: SiteStatus | null): string {
  if (!on) return t('popup.site.off');
  if (status?.reason && status.reason !== 'snoozed') return t(REASON_TEXT[status.reason]);
  if (status?.adapterStatus) return t(ADAPTER_TEXT[status.adapterStatus]);
  return t('popup.site.on');
}
