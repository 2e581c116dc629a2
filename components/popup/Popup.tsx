import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send, type SiteStatus, type TodayStats } from '@/utils/messaging';
import type { ActiveSite } from '@/utils/feeds/site-key';
import { cadencePreviewText } from '@/utils/pages/cadence-preview';
import { SettingsContext, useSettings, useSettingsStore, type SettingsStore } from '@/components/ui/settings-context';
import { LocaleContext, applyLocale, intlTag, useLocale, useT } from '@/components/ui/i18n';
import { getLocale } from '@/utils/i18n';
import { formatHhmm } from '@/utils/i18n/format';
import { Switch } from '@/components/ui/Switch';
import { StudyBadge, useStudyActive } from '@/components/study/StudyBadge';
import { NumberField } from '@/components/ui/NumberField';
import { cadencePatch, cadenceTarget, sitePatch, siteSwitch } from '@/components/ui/settings-helpers';
import { humanError } from '@/components/ui/human-error';
import { CADENCE_PRESETS, SNOOZE_KINDS, SNOOZE_MINUTES, displayHost, formatUntil, snoozeView, tabIdFromSearch } from './popup-logic';
import { SiteReportLink, SiteReportPanel, useSiteReport } from './SiteReport';
import { devLog } from '@/utils/dev-log';

const ADAPTER_TEXT = {
  working: 'popup.adapter.working',
  widened: 'popup.adapter.widened',
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

const SNOOZE_TEXT = { '15m': 'popup.snooze.15m', '1h': 'popup.snooze.1h', today: 'popup.snooze.today', indefinite: 'popup.snooze.indefinite' } as const;

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
  const report = useSiteReport(tabIdFromSearch(location.search));
  const siteKeyRef = useRef<string | null>(null);
  siteKeyRef.current = siteKey;

  const loadSite = useCallback(async () => {
    const site = await send({ type: 'popup/active-site', tabId: tabIdFromSearch(location.search) });
    setActive(site);
    return site;
  }, []);

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
        const site = await loadSite();
        if (cancelled) return;
        await refreshStatus(site.siteKey);
      } catch (err) {
        if (!cancelled) {
          setActive({ siteKey: null, host: null, registered: false });
          setError(humanError(err, t));
        }
      }
    })();
    // Keeps "snoozed until" and today's numbers honest while the popup stays open.
    // A failed refresh keeps what is shown; the next one (or the next click) tries again.
    const timer = setInterval(() => void refreshStatus(siteKeyRef.current).catch(devLog('popup refresh')), 15_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [refreshStatus, loadSite]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(humanError(err, t));
    }
    await refreshStatus(siteKey).catch(devLog('popup refresh after an action'));
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
  // What pauses do here, in one state: the switches and the snooze card never disagree with it.
  const globalOn = settings.enabled;
  const siteOn = siteKey ? globalOn && siteSwitch(settings, siteKey) : globalOn;
  const snoozeSite = (req: { kind: (typeof SNOOZE_KINDS)[number] } | { kind: 'minutes'; minutes: number }) =>
    act(() => send({ type: 'snooze/set', ...req, ...(siteKey && !everywhere ? { siteKey } : {}) }));

  return (
    <main class="pp" data-testid="popup" data-site-key={siteKey ?? ''}>
      <Header />

      {!globalOn && (
        <section class="pp-card pp-off" data-testid="global-off">
          <p>{t('popup.globalOff')}</p>
          <button type="button" class="sf-btn sf-btn-primary" data-testid="global-on" onClick={() => act(() => store.patch({ enabled: true }))}>
            {t('popup.turnOn')}
          </button>
        </section>
      )}

      <section class="pp-card pp-site" aria-labelledby="pp-site-title">
        {siteKey ? (
          <div class="pp-row">
            <div class="pp-site-name">
              <h2 id="pp-site-title" data-testid="site-name">
                {displayHost(active.host) ?? siteKey}
              </h2>
              <p class="sf-muted sf-small" data-testid="site-status">
                {siteLine(t, globalOn, siteOn, siteStatus, (at) => formatUntil(at, now, locale))}
              </p>
            </div>
            <Switch
              checked={siteOn}
              // Off everywhere: this site's own switch cannot turn pauses on, so it is drawn off and waits.
              disabled={!globalOn}
              label={t('popup.site.toggle')}
              testid="site-toggle"
              onChange={(on) => act(() => store.patch(sitePatch(settings, siteKey, { enabled: on })))}
            />
          </div>
        ) : (
          <NotActive active={active} onAdded={async () => refreshStatus((await loadSite()).siteKey)} />
        )}
      </section>

      {siteOn && (
        <section class="pp-card" aria-labelledby="pp-snooze-title" data-testid="snooze-card">
          <h3 id="pp-snooze-title" class="pp-label">
            {t('popup.snooze.title')}
          </h3>
          {snooze ? (
            <div class="pp-row pp-wrap" data-testid="snooze-state" data-scope={snooze.scope}>
              <span>
                {snooze.until === null
                  ? t(snooze.scope === 'all' ? 'popup.snooze.offAll' : 'popup.snooze.offSite')
                  : t(snooze.scope === 'all' ? 'popup.snooze.untilAll' : 'popup.snooze.untilSite', { time: formatUntil(snooze.until, now, locale) })}
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
              <p class="sf-muted sf-small">{t(siteKey && !everywhere ? 'popup.snooze.introSite' : 'popup.snooze.introAll')}</p>
              <div class="pp-buttons" role="group" aria-labelledby="pp-snooze-title">
                {SNOOZE_KINDS.map((kind) => (
                  <button type="button" class="sf-btn" data-testid={`snooze-${kind}`} onClick={() => snoozeSite({ kind })}>
                    {t(SNOOZE_TEXT[kind])}
                  </button>
                ))}
              </div>
              <OwnLength onSnooze={(minutes) => snoozeSite({ kind: 'minutes', minutes })} />
              {siteKey ? (
                <label class="pp-check sf-small">
                  <input
                    type="checkbox"
                    data-testid="snooze-everywhere"
                    checked={everywhere}
                    onChange={(e) => setEverywhere((e.currentTarget as HTMLInputElement).checked)}
                  />
                  {t('popup.snooze.everywhere')}
                </label>
              ) : null}
            </>
          )}
        </section>
      )}

      {siteOn && (
        <section class="pp-card" aria-labelledby="pp-cadence-title">
          <h3 id="pp-cadence-title" class="pp-label">
            {t(target.scope === 'site' ? 'popup.cadence.titleSite' : 'popup.cadence.title')}
          </h3>
          {studyActive ? (
            // The study's arm decides the pauses; showing its numbers would tell the participant their arm.
            <p class="sf-muted sf-small" data-testid="cadence-study">
              {t('popup.cadence.study')}
            </p>
          ) : (
            <CadenceRow
              value={target.value}
              onSet={(n) => act(() => store.patch(cadencePatch(settings, siteKey, n)))}
              preview={cadencePreviewText(settings, t, siteKey ?? undefined, (h) => formatHhmm(h, locale))}
              format={(n) => nf.format(n)}
            />
          )}
        </section>
      )}

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
      {siteKey && <SiteReportPanel report={report} />}
      {/* One row of links at the foot: more can join it (each a .sf-link button) without a new layout. */}
      <footer class="pp-footer" data-testid="popup-footer">
        {siteKey && <SiteReportLink report={report} />}
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

/** "Pause every [−][25][+] posts", the quick choices and the plain sentence. Nothing out of range is saved. */
function CadenceRow({ value, onSet, preview, format }: { value: number; onSet(n: number): void; preview: string; format(n: number): string }) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <div class="pp-row pp-cadence">
        <span>{t('popup.cadence.every')}</span>
        <NumberField
          value={value}
          min={0}
          max={1000}
          step={5}
          stepper
          label={t('popup.cadence.inputLabel')}
          testid="cadence-input"
          describedBy="pp-cadence-problem"
          onProblem={setProblem}
          onCommit={(n) => n !== null && onSet(n)}
        />
        <span>{t('popup.cadence.posts')}</span>
      </div>
      {problem && (
        <p id="pp-cadence-problem" class="sf-error sf-small" role="alert" data-testid="cadence-input-error">
          {problem}
        </p>
      )}
      <div class="pp-buttons pp-presets" role="group" aria-label={t('popup.cadence.presets')}>
        {CADENCE_PRESETS.map((n) => (
          <button type="button" class="sf-btn sf-small" aria-pressed={value === n} data-testid={`cadence-preset-${n}`} onClick={() => onSet(n)}>
            {format(n)}
          </button>
        ))}
      </div>
      <p class="sf-muted sf-small" data-testid="cadence-preview">
        {preview}
      </p>
    </>
  );
}

/** "For [ 45 ] minutes [Snooze]": a snooze of the person's own length. */
function OwnLength({ onSnooze }: { onSnooze(minutes: number): void }) {
  const t = useT();
  const [minutes, setMinutes] = useState<number | null>(45);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <div class="pp-row pp-own">
        <span>{t('popup.snooze.for')}</span>
        <NumberField
          value={minutes}
          min={SNOOZE_MINUTES.min}
          max={SNOOZE_MINUTES.max}
          allowEmpty
          label={t('popup.snooze.minutesLabel')}
          testid="snooze-minutes"
          onProblem={setProblem}
          onCommit={setMinutes}
        />
        <span>{t('popup.snooze.minutes')}</span>
        <button
          type="button"
          class="sf-btn"
          data-testid="snooze-own"
          disabled={minutes === null || !!problem}
          onClick={() => minutes !== null && onSnooze(minutes)}
        >
          {t('popup.snooze.go')}
        </button>
      </div>
      {problem && (
        <p class="sf-error sf-small" role="alert" data-testid="snooze-minutes-error">
          {problem}
        </p>
      )}
    </>
  );
}

/**
 * A page Stillframe does not run on. When the browser lets us see its address (the person
 * clicked the toolbar icon there), "Add this site" asks for that site and switches it on.
 */
function NotActive({ active, onAdded }: { active: ActiveSite; onAdded(): Promise<unknown> }) {
  const t = useT();
  const store = useSettings();
  const origin = active.addable ?? null;
  const [state, setState] = useState<{ kind: 'idle' | 'asking' | 'added' } | { kind: 'error'; text: string }>({ kind: 'idle' });
  const add = () => {
    if (!origin || !store.settings) return;
    // The prompt needs this click's user gesture: the request goes first, before any other await.
    const asked = browser.permissions.request({ origins: [`${origin}/*`] });
    // Some browsers close the popup while their prompt shows: the background finishes the job then.
    void send({ type: 'sites/add-pending', origin }).catch(devLog('sites/add-pending'));
    setState({ kind: 'asking' });
    void asked
      .then(async (granted) => {
        if (!granted) {
          setState({ kind: 'error', text: t('options.sites.custom.denied') });
          return;
        }
        const fresh = (await send({ type: 'settings/get' })).settings;
        if (!fresh.customSites.includes(origin)) await store.patch({ customSites: [...fresh.customSites, origin] });
        setState({ kind: 'added' });
        await onAdded();
      })
      .catch((err) => setState({ kind: 'error', text: humanError(err, t) }));
  };
  return (
    <div data-testid="not-active">
      <h2 id="pp-site-title">{t('popup.notActive')}</h2>
      {origin ? (
        <>
          <p class="sf-muted sf-small">{t('popup.notActive.addHint', { site: displayHost(active.host) ?? origin })}</p>
          <button type="button" class="sf-btn sf-btn-primary pp-add" data-testid="add-site" disabled={state.kind === 'asking'} onClick={add}>
            {t('popup.addSite', { site: displayHost(active.host) ?? origin })}
          </button>
        </>
      ) : (
        <p class="sf-muted sf-small">{t('popup.notActive.hint')}</p>
      )}
      {state.kind === 'added' && (
        <p class="sf-small" role="status" data-testid="add-site-done">
          {t('popup.addSite.done')}
        </p>
      )}
      {state.kind === 'error' && (
        <p class="sf-error sf-small" role="alert" data-testid="add-site-error">
          {state.text}
        </p>
      )}
    </div>
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

function siteLine(
  t: (k: string, p?: Record<string, string | number>) => string,
  globalOn: boolean,
  siteOn: boolean,
  status: SiteStatus | null,
  time: (at: number) => string,
): string {
  if (!globalOn) return t('popup.site.globalOff');
  if (!siteOn) return t('popup.site.off');
  if (status?.breakUntil) return t('popup.site.onBreak', { time: time(status.breakUntil) });
  if (status?.reason && status.reason !== 'snoozed') return t(REASON_TEXT[status.reason]);
  if (status?.adapterStatus) return t(ADAPTER_TEXT[status.adapterStatus]);
  return t('popup.site.on');
}
