import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { getLocale } from '@/utils/i18n';
import { SettingsContext, useSettings, useSettingsStore } from '@/components/ui/settings-context';
import { LocaleContext, applyLocale, useT } from '@/components/ui/i18n';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import type { Settings } from '@/utils/storage/settings';
import { SitesSection } from './SitesSection';
import { CadenceSection } from './CadenceSection';
import { LibrarySection } from './LibrarySection';
import { InsightsSection } from './InsightsSection';
import { DataSection } from './DataSection';
import { StudySection } from './StudySection';
import { AboutSection } from './AboutSection';
import { HealthBanner } from './health';

export const SECTIONS: Array<{ id: string; label: string; component: FunctionComponent }> = [
  { id: 'sites', label: 'options.nav.sites', component: SitesSection },
  { id: 'cadence', label: 'options.nav.cadence', component: CadenceSection },
  { id: 'library', label: 'options.nav.library', component: LibrarySection },
  { id: 'insights', label: 'options.nav.insights', component: InsightsSection },
  { id: 'data', label: 'options.nav.data', component: DataSection },
  { id: 'study', label: 'options.nav.study', component: StudySection },
  { id: 'about', label: 'options.nav.about', component: AboutSection },
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
      <nav class="op-nav" aria-label={t('options.nav.label')}>
        <div class="op-brand">
          <span class="pp-logo" aria-hidden="true" />
          <span>{t('app.name')}</span>
        </div>
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
      <main class="op-main" data-testid={`section-${current}`}>
        <HealthBanner loaded={store.settings !== null} />
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

const LOCALES: Array<{ value: Settings['locale']; label: string }> = [
  { value: 'auto', label: 'common.language.auto' },
  { value: 'en', label: 'options.language.en' },
  { value: 'zh_CN', label: 'options.language.zh_CN' },
];

function LanguageSelect() {
  const t = useT();
  const store = useSettings();
  const save = useSaveStatus();
  if (!store.settings) return null;
  return (
    <label class="op-lang">
      <span class="sf-small sf-muted">{t('common.language')}</span>
      <select
        data-testid="locale-select"
        value={store.settings.locale}
        onChange={(e) => void save.run(() => store.patch({ locale: (e.currentTarget as HTMLSelectElement).value as Settings['locale'] }))}
      >
        {LOCALES.map((l) => (
          <option value={l.value}>{t(l.label)}</option>
        ))}
      </select>
      {save.state.kind === 'error' && <SaveStatus state={save.state} />}
    </label>
  );
}
