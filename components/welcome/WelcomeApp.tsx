import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { getLocale } from '@/utils/i18n';
import { cadencePreviewText } from '@/utils/pages/cadence-preview';
import { INTENSITIES, INTENSITY_CADENCE, type Intensity } from '@/utils/schedule/presets';
import { CURATED_COLLECTIONS, getCuratedPayload } from '@/utils/frames/library';
import type { Settings, WordLanguage } from '@/utils/storage/settings';
import { SettingsContext, useSettingsStore, type SettingsStore } from '@/components/ui/settings-context';
import { LocaleContext, applyLocale, useLocale, useT } from '@/components/ui/i18n';
import { PauseFrame } from '@/components/frame/PauseFrame';
import { pauseFrameCss } from '@/components/frame/pause-frame-styles';
import { LanguageSelect } from '@/components/ui/LanguageSelect';
import { choicesFrom, choicesPatch, choicesProblem, type WelcomeChoices } from './welcome-choices';
import { devLog } from '@/utils/dev-log';

/**
 * The first page a new person sees: what a pause is (a real one, drawn by the frame's own
 * component), three choices that set the starting point (how often, what a pause shows, poem
 * languages), one line on privacy and where the toolbar icon hides. One click skips it all.
 */
export function WelcomeApp() {
  const store = useSettingsStore();
  const locale = store.settings ? applyLocale(store.settings.locale) : getLocale();
  return (
    <LocaleContext.Provider value={locale}>
      <SettingsContext.Provider value={store}>
        <Welcome store={store} />
      </SettingsContext.Provider>
    </LocaleContext.Provider>
  );
}

/** Closes this tab (an extension page may close itself); the page stays if the browser refuses. */
async function closeTab(): Promise<void> {
  const tab = await browser.tabs.getCurrent().catch(devLog('welcome: current tab'));
  if (tab?.id !== undefined) await browser.tabs.remove(tab.id).catch(() => window.close());
  else window.close();
}

const KIND_TEXT = {
  still: 'welcome.kinds.still',
  words: 'welcome.kinds.words',
  breath: 'welcome.kinds.breath',
  questions: 'welcome.kinds.questions',
} as const;

function Welcome({ store }: { store: SettingsStore }) {
  const t = useT();
  const locale = useLocale();
  const settings = store.settings;
  const [choices, setChoices] = useState<WelcomeChoices | null>(null);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  useEffect(() => {
    if (settings && !choices) setChoices(choicesFrom(settings, locale));
  }, [settings, choices, locale]);
  useEffect(() => {
    document.title = `${t('welcome.title')} · ${t('app.name')}`;
  });

  if (!settings || !choices) {
    return (
      <main class="wl" aria-busy="true">
        {store.loadError ? (
          <p class="sf-error">{t('options.error.noBackground', { message: store.loadError })}</p>
        ) : (
          <p class="sf-muted">{t('options.loading')}</p>
        )}
      </main>
    );
  }

  const problem = choicesProblem(choices);
  const preview: Settings = { ...settings, cadence: { ...settings.cadence, ...INTENSITY_CADENCE[choices.intensity] } };
  const start = async () => {
    if (problem) return;
    setState({ kind: 'saving' });
    try {
      await store.patch(choicesPatch(settings, locale, choices));
      setState({ kind: 'done' });
    } catch (err) {
      setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const setKind = (id: keyof WelcomeChoices['kinds'], on: boolean) => setChoices({ ...choices, kinds: { ...choices.kinds, [id]: on } });
  const setLang = (l: WordLanguage, on: boolean) =>
    setChoices({ ...choices, languages: on ? [...choices.languages.filter((x) => x !== l), l] : choices.languages.filter((x) => x !== l) });

  if (state.kind === 'done') {
    return (
      <main class="wl" data-testid="welcome-page" data-state="done">
        <Brand />
        <section class="wl-card wl-done" data-testid="welcome-done" aria-live="polite">
          <h1>{t('welcome.done.title')}</h1>
          <p>{t('welcome.done.body')}</p>
          <p class="sf-muted">{t('welcome.pin')}</p>
          <div class="wl-actions">
            <button type="button" class="sf-btn sf-btn-primary" data-testid="welcome-close" onClick={() => void closeTab()}>
              {t('welcome.close')}
            </button>
            <button type="button" class="sf-btn" data-testid="welcome-options" onClick={() => void browser.runtime.openOptionsPage()}>
              {t('welcome.openOptions')}
            </button>
          </div>
        </section>
      </main>
    );
  }

  return (
    <main class="wl" data-testid="welcome-page" data-state="choosing">
      <div class="wl-top">
        <Brand />
        <LanguageSelect />
      </div>
      <header class="wl-head">
        <h1>{t('welcome.title')}</h1>
        <p class="wl-lead">{t('welcome.lead')}</p>
        <p class="wl-skip-line">
          <button type="button" class="sf-link" data-testid="welcome-skip" onClick={() => void closeTab()}>
            {t('welcome.skip')}
          </button>
        </p>
      </header>

      <section class="wl-card wl-sample" aria-labelledby="wl-sample-title">
        <h2 id="wl-sample-title">{t('welcome.sample.title')}</h2>
        <SamplePause breakMinutes={settings.breakMinutes} />
        <ul class="wl-explain">
          <li>{t('welcome.sample.continue')}</li>
          <li>{t('welcome.sample.break', { n: settings.breakMinutes })}</li>
          <li>{t('welcome.sample.foot')}</li>
        </ul>
      </section>

      <section class="wl-card" aria-labelledby="wl-often-title">
        <h2 id="wl-often-title">{t('welcome.often.title')}</h2>
        <div class="wl-options" role="radiogroup" aria-labelledby="wl-often-title">
          {INTENSITIES.map((i: Intensity) => (
            <label class="wl-option" data-checked={choices.intensity === i ? 'true' : 'false'}>
              <input
                type="radio"
                name="intensity"
                value={i}
                checked={choices.intensity === i}
                data-testid={`intensity-${i}`}
                onChange={() => setChoices({ ...choices, intensity: i })}
              />
              <span class="wl-option-text">
                <strong>{t(`welcome.often.${i}`)}</strong>
                <span class="sf-muted sf-small">{t(`welcome.often.${i}.help`)}</span>
              </span>
            </label>
          ))}
        </div>
        <p class="op-preview wl-preview" data-testid="welcome-preview" aria-live="polite">
          {cadencePreviewText(preview, t)}
        </p>
        <p class="sf-muted sf-small">{t('welcome.often.later')}</p>
      </section>

      <section class="wl-card" aria-labelledby="wl-kinds-title">
        <h2 id="wl-kinds-title">{t('welcome.kinds.title')}</h2>
        <fieldset class="wl-checks">
          <legend class="sr-only">{t('welcome.kinds.title')}</legend>
          {CURATED_COLLECTIONS.map((c) => (
            <label class="op-check">
              <input
                type="checkbox"
                checked={choices.kinds[c.id]}
                data-testid={`kind-${c.id}`}
                onChange={(e) => setKind(c.id, (e.currentTarget as HTMLInputElement).checked)}
              />
              {t(KIND_TEXT[c.id])}
            </label>
          ))}
        </fieldset>
        {choices.kinds.words && (
          <fieldset class="wl-checks">
            <legend>{t('welcome.languages.title')}</legend>
            {(['en', 'zh'] as const).map((l) => (
              <label class="op-check">
                <input
                  type="checkbox"
                  checked={choices.languages.includes(l)}
                  data-testid={`lang-${l}`}
                  onChange={(e) => setLang(l, (e.currentTarget as HTMLInputElement).checked)}
                />
                {t(l === 'en' ? 'options.library.words.en' : 'options.library.words.zh')}
              </label>
            ))}
          </fieldset>
        )}
        <p class="sf-muted sf-small">{t('welcome.kinds.own')}</p>
      </section>

      <section class="wl-card wl-facts">
        <p data-testid="welcome-privacy">
          <strong>{t('welcome.privacy')}</strong>
        </p>
        <p data-testid="welcome-pin">{t('welcome.pin')}</p>
      </section>

      <div class="wl-actions">
        <button
          type="button"
          class="sf-btn sf-btn-primary wl-start"
          data-testid="welcome-start"
          disabled={!!problem || state.kind === 'saving'}
          aria-describedby={problem ? 'wl-problem' : undefined}
          onClick={() => void start()}
        >
          {t('welcome.start')}
        </button>
        <button type="button" class="sf-btn" onClick={() => void closeTab()}>
          {t('welcome.skip.short')}
        </button>
        {problem && (
          <span id="wl-problem" class="sf-error sf-small" role="alert" data-testid="welcome-problem">
            {t(problem)}
          </span>
        )}
        {state.kind === 'error' && (
          <span class="sf-error sf-small" role="alert">
            {t('options.saveError', { message: state.message })}
          </span>
        )}
      </div>
    </main>
  );
}

function Brand() {
  const t = useT();
  return (
    <div class="wl-brand">
      <span class="pp-logo" aria-hidden="true" />
      <span>{t('app.name')}</span>
    </div>
  );
}

/**
 * A real pause, drawn by PauseFrame with the frame's own styles in a shadow root, as in a
 * feed. It is a picture of one: `inert`, so its buttons are not mistaken for this page's.
 */
function SamplePause({ breakMinutes }: { breakMinutes: number }) {
  const locale = useLocale();
  const host = useRef<HTMLDivElement>(null);
  const mount = useRef<HTMLDivElement | null>(null);
  const frame = useMemo(() => getCuratedPayload(locale === 'zh_CN' ? 'words:zh:13' : 'words:en:20', locale)!, [locale]);
  useEffect(() => {
    const el = host.current!;
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    if (!mount.current) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(pauseFrameCss);
      shadow.adoptedStyleSheets = [sheet];
      mount.current = document.createElement('div');
      shadow.append(mount.current);
    }
    const scheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    render(
      <PauseFrame
        frame={frame}
        postsSince={25}
        breakMinutes={breakMinutes}
        scheme={scheme}
        reducedMotion
        onAction={() => {}}
        onWhy={() => {}}
        onFewerPauses={async () => null}
      />,
      mount.current,
    );
  }, [frame, breakMinutes, locale]);
  useEffect(() => () => mount.current && render(null, mount.current), []);
  return <div ref={host} class="wl-sample-frame" inert data-testid="welcome-sample" />;
}
