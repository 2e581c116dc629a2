import { useCallback, useEffect, useState } from 'preact/hooks';
import { CURATED_COLLECTIONS } from '@/utils/frames/library';
import { listCollections, type UserCollectionSummary } from '@/utils/frames/user-frames';
import { wordLanguagesFor, type Settings } from '@/utils/storage/settings';
import { useSettings } from '@/components/ui/settings-context';
import { useLocale, useT } from '@/components/ui/i18n';
import { Switch } from '@/components/ui/Switch';
import { HowOftenSelect } from '@/components/ui/HowOftenSelect';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';

const WORD_LANGS = [
  { id: 'en', label: 'options.library.words.en' },
  { id: 'zh', label: 'options.library.words.zh' },
] as const;

/**
 * How many of the user's own collections could show a frame now: switched on and holding at
 * least one frame. While one can, every bundled collection may be switched off (the user
 * wants only their own frames); otherwise the last bundled one stays on.
 */
export function showableUserCollections(settings: Settings, collections: readonly Pick<UserCollectionSummary, 'id' | 'frameCount'>[]): number {
  return collections.filter((c) => c.frameCount > 0 && settings.collections[c.id]?.enabled !== false).length;
}

/** The bundled collections: on/off and how often each is drawn (weight), plus the Words languages. */
export function CuratedCollections() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const [userCollections, setUserCollections] = useState<UserCollectionSummary[]>([]);

  // The user's frames are added in the card below: read their collections again whenever the
  // settings change and when the reader comes to this card (pointer or keyboard), so the guard
  // below is current without a reload. Counting frames reads no image.
  const loadUser = useCallback(() => void listCollections().then(setUserCollections, () => setUserCollections([])), []);
  useEffect(loadUser, [loadUser, settings.collections]);

  const pref = (id: string) => settings.collections[id] ?? { enabled: true, weight: 1 };
  const langs = wordLanguagesFor(settings, useLocale());
  const enabledCount = CURATED_COLLECTIONS.filter((c) => pref(c.id).enabled).length;
  const userShowable = showableUserCollections(settings, userCollections);

  return (
    <div class="op-card" aria-labelledby="op-curated-title" onPointerEnter={loadUser} onFocusCapture={loadUser}>
      <div class="op-row">
        <h3 id="op-curated-title" class="op-grow">
          {t('options.library.curated')}
        </h3>
        <SaveStatus state={save.state} testid="library-saved" />
      </div>
      <p class="sf-muted sf-small">{t('options.library.curated.intro')}</p>
      <table class="op-table">
        <thead>
          <tr>
            <th scope="col">{t('options.library.col.collection')}</th>
            <th scope="col">{t('options.library.col.frames')}</th>
            <th scope="col">{t('options.library.col.weight')}</th>
            <th scope="col">{t('options.sites.col.on')}</th>
          </tr>
        </thead>
        <tbody>
          {CURATED_COLLECTIONS.map((c) => {
            const p = pref(c.id);
            return (
              <tr data-testid={`collection-row-${c.id}`}>
                <th scope="row">{t(c.nameKey)}</th>
                <td class="sf-muted">{c.frames.length}</td>
                <td>
                  <HowOftenSelect
                    value={p.weight}
                    label={t('options.library.weightFor', { name: t(c.nameKey) })}
                    testid={`collection-weight-${c.id}`}
                    onChange={(n) => void save.run(() => store.patch({ collections: { [c.id]: { ...p, weight: n } } }))}
                  />
                </td>
                <td>
                  <Switch
                    checked={p.enabled}
                    // The last enabled collection stays on unless one of the user's own can show a frame: with none, no frame could be shown.
                    disabled={p.enabled && enabledCount <= 1 && userShowable === 0}
                    label={t('options.library.toggleFor', { name: t(c.nameKey) })}
                    testid={`collection-toggle-${c.id}`}
                    onChange={(on) => void save.run(() => store.patch({ collections: { [c.id]: { ...p, enabled: on } } }))}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="sf-muted sf-small">{t('options.library.weight.help')}</p>
      {enabledCount === 0 && (
        <p class="sf-small" data-testid="curated-only-yours">
          {t('options.library.curated.onlyYours')}
        </p>
      )}

      <fieldset class="op-fieldset op-langs" data-testid="word-langs" data-auto={settings.wordLanguages === 'auto' ? 'true' : 'false'}>
        <legend>{t('options.library.words.title')}</legend>
        {WORD_LANGS.map((l) => {
          const on = langs.includes(l.id);
          return (
            <label class="op-check">
              <input
                type="checkbox"
                checked={on}
                // At least one language (the schema requires it).
                disabled={on && langs.length <= 1}
                data-testid={`word-lang-${l.id}`}
                onChange={() => void save.run(() => store.patch({ wordLanguages: on ? langs.filter((x) => x !== l.id) : [...langs, l.id] }))}
              />
              {t(l.label)}
            </label>
          );
        })}
        {settings.wordLanguages === 'auto' ? (
          <p class="sf-muted sf-small op-langs-note">{t('options.library.words.auto')}</p>
        ) : (
          <button
            type="button"
            class="sf-link sf-small op-langs-note"
            data-testid="word-langs-auto"
            onClick={() => void save.run(() => store.patch({ wordLanguages: 'auto' }))}
          >
            {t('options.library.words.followAgain')}
          </button>
        )}
      </fieldset>
    </div>
  );
}
