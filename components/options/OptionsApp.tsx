import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { getLocale } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { SettingsContext, useSettings, useSettingsStore } from '@/components/ui/settings-context';
import { LocaleContext, applyLocale, useT } from '@/components/ui/i18n';
import { SitesSection } from './SitesSection';
import { CadenceSection } from './CadenceSection';
import { LibrarySection } from './LibrarySection';
import { InsightsSection } from './InsightsSection';
import { DataSection } from './DataSection';
import { StudySection } from './StudySection';
import { AboutSection } from './AboutSection';
import { HealthBanner } from './health';
import { LanguageSelect } from '@/components/ui/LanguageSelect';
import { swallowed } from '@/utils/dev-log';

export const SECTIONS: Array<{ id: string; label: string; component: FunctionComponent }> = [
  { id: 'sites', label: 'options.nav.sites', component: SitesSection },
  { id: 'cadence', label: 'options.nav.cadence', component: CadenceSection },
  { id: 'library', label: 'options.nav.library', component: LibrarySection },
  { id: 'insights', label: 'options.nav.insights', component: InsightsSection },
  { id: 'data', label: 'options.nav.data', component: DataSection },
  { id: 'about', label: 'options.nav.about', component: AboutSection },
  { id: 'study', label: 'options.nav.study', component: StudyFold },
];

/** '#cadence' → 'cadence'; anything unknown → the first section. */
export function sectionFromHash(hash: string): string {
  const id = hash.replace(/^#/, '');
  return SECTIONS.some((s) => s.id === id) ? id : SECTIONS[0].id;
}

function useHashSection(): string {
  const [id, setId] = useState(() => sectionFromHash(location.hash));
  useEffect(() => {
    const on = () => setId(sectionFromHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return id;
}

export function OptionsApp() {
  const store = useSettingsStore();
  const locale = store.settings ? applyLocale(store.settings.locale) : getLocale();
  return (
    <LocaleContext.Provider value={locale}>
      <SettingsContext.Provider value={store}>
        <OptionsLayout />
      </SettingsContext.Provider>
    </LocaleContext.Provider>
  );
}

function OptionsLayout() {
  const t = useT();
  const current = useHashSection();
  const store = useSettings();
  const Section = SECTIONS.find((s) => s.id === current)!.component;

  useEffect(() => {
    document.title = `${t(SECTIONS.find((s) => s.id === current)!.label)} · ${t('app.name')}`;
  });

  return (
    <div class="op-layout">
      {/* A button, not a #link: the hash routes the sections, and this only moves focus past the list. */}
      <button type="button" class="op-skip sf-link" data-testid="skip-link" onClick={() => document.getElementById('op-main')?.focus()}>
        {t('options.skip')}
      </button>
      <nav class="op-nav" aria-label={t('options.nav.label')}>
        <h1 class="op-brand">
          <span class="pp-logo" aria-hidden="true" />
          <span>{t('options.title')}</span>
        </h1>
        <ul>
          {SECTIONS.map((s) => (
            <li>
              <a href={`#${s.id}`} aria-current={s.id === current ? 'page' : undefined} data-testid={`nav-${s.id}`}>
                {t(s.label)}
              </a>
            </li>
          ))}
        </ul>
        <LanguageSelect />
      </nav>
      <main class="op-main" id="op-main" tabIndex={-1} data-testid={`section-${current}`}>
        {/* Asked once the settings loaded (reading them repairs them), or failed to (a full disk says why). */}
        <HealthBanner loaded={store.settings !== null || store.loadError !== null} />
        {store.settings ? (
          <Section />
        ) : store.loadError ? (
          <p class="sf-error" role="alert">
            {t('options.error.noBackground', { message: store.loadError })}
          </p>
        ) : (
          <p class="sf-muted">{t('options.loading')}</p>
        )}
      </main>
    </div>
  );
}

/**
 * Options → Study: a plain sentence for everyone, and the study itself folded underneath, open
 * only while a study is set up. Most people never take part in one and need not read about
 * protocol files.
 */
function StudyFold() {
  const t = useT();
  const [state, setState] = useState<string | null>(null);
  useEffect(() => {
    send({ type: 'study/status' })
      .then((st) => setState(st.state))
      .catch((err) => {
        swallowed('study/status', err);
        setState('none');
      });
  }, []);
  if (state === null) return <p class="sf-muted">{t('options.loading')}</p>;
  return (
    <div class="op-section">
      <p class="sf-muted" data-testid="study-plain">
        {t('options.study.plain')}
      </p>
      <details class="op-fold" data-testid="study-fold" open={state !== 'none'}>
        <summary data-testid="study-fold-open">{t('options.study.open')}</summary>
        <StudySection />
      </details>
    </div>
  );
}
