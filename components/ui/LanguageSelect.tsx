import type { Settings } from '@/utils/storage/settings';
import { useSettings } from './settings-context';
import { useT } from './i18n';
import { SaveStatus, useSaveStatus } from './save-status';

const LOCALES: Array<{ value: Settings['locale']; label: string }> = [
  { value: 'auto', label: 'common.language.auto' },
  { value: 'en', label: 'options.language.en' },
  { value: 'zh_CN', label: 'options.language.zh_CN' },
];

/** The UI language (options page, welcome page): saved at once, and every open page follows. */
export function LanguageSelect() {
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
