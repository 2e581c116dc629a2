import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { readStoredCounts } from '@/utils/pages/page-reads';
import { downloadFile } from '@/utils/pages/download';
import { announce, useSettings } from '@/components/ui/settings-context';
import { intlTag, useLocale, useT } from '@/components/ui/i18n';
import { HealthCounters } from './health';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { exportFileName, exportJson, parseImportText, MAX_IMPORT_BYTES } from '@/utils/pages/data-io';
import { humanError } from '@/components/ui/human-error';
import { issueSentence } from './settings-errors';

/** A result line, shown in the card whose button caused it (where the person is looking). */
type Notice = { kind: 'ok' | 'error'; text: string; testid: string; card: 'settings' | 'delete' } | null;

function NoticeLine({ notice, card }: { notice: Notice; card: 'settings' | 'delete' }) {
  if (!notice || notice.card !== card) return null;
  return (
    <p
      class={notice.kind === 'ok' ? 'op-notice sf-small' : 'sf-error sf-small'}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid={notice.testid}
    >
      {notice.text}
    </p>
  );
}

export function DataSection() {
  const t = useT();
  const store = useSettings();
  const [notice, setNotice] = useState<Notice>(null);
  const [importErrors, setImportErrors] = useState<string[] | null>(null);
  const [counts, setCounts] = useState<{ events: number; frames: number } | null>(null);
  // Counts up on every refresh (null until the first): the health counters ask again each time.
  const [healthRefresh, setHealthRefresh] = useState<number | null>(null);
  const lang = intlTag(useLocale());

  const refreshCounts = () => {
    void readStoredCounts().then(setCounts, () => setCounts(null));
    setHealthRefresh((n) => (n ?? 0) + 1);
  };
  useEffect(refreshCounts, []);

  const doExport = async () => {
    setNotice(null);
    const { settings } = await send({ type: 'settings/get' });
    downloadFile(exportFileName(Date.now()), exportJson(settings), 'application/json');
  };

  const doImport = async (input: HTMLInputElement) => {
    setNotice(null);
    setImportErrors(null);
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setNotice({ kind: 'error', text: t('options.data.import.tooBig'), testid: 'import-error', card: 'settings' });
      return;
    }
    const parsed = parseImportText(await file.text());
    if (!parsed.ok) {
      setNotice({ kind: 'error', text: t(parsed.error.key, parsed.error.params), testid: 'import-error', card: 'settings' });
      return;
    }
    try {
      const res = await store.replace(parsed.value);
      if (res.ok) setNotice({ kind: 'ok', text: t('options.data.import.ok'), testid: 'import-ok', card: 'settings' });
      else setImportErrors(res.issues.map((i) => issueSentence(i, t)));
    } catch (err) {
      setNotice({ kind: 'error', text: humanError(err, t), testid: 'import-error', card: 'settings' });
    }
  };

  return (
    <section class="op-section" aria-labelledby="op-data-title">
      <h2 id="op-data-title">{t('options.nav.data')}</h2>
      <p class="sf-muted">{t('options.data.intro')}</p>
      {counts && (
        <p class="sf-small sf-muted" data-testid="data-counts">
          {t('options.data.counts', { events: counts.events, frames: counts.frames })}
        </p>
      )}

      <div class="op-card">
        <h3>{t('options.data.settings')}</h3>
        <div class="op-row op-wrap">
          <button type="button" class="sf-btn" data-testid="export-settings" onClick={() => void doExport()}>
            {t('options.data.export')}
          </button>
          <label class="sf-btn op-file">
            {t('options.data.import')}
            <input
              type="file"
              accept="application/json,.json"
              class="sr-only"
              data-testid="import-file"
              onChange={(e) => void doImport(e.currentTarget as HTMLInputElement)}
            />
          </label>
          <ConfirmButton
            label={t('options.data.reset')}
            question={t('options.data.reset.q')}
            confirmLabel={t('options.data.reset.yes')}
            cancelLabel={t('common.cancel')}
            testid="reset-settings"
            onConfirm={async () => {
              const res = await store.replace(structuredClone(DEFAULT_SETTINGS));
              setImportErrors(null);
              setNotice(
                res.ok
                  ? { kind: 'ok', text: t('options.data.reset.done'), testid: 'reset-done', card: 'settings' }
                  : { kind: 'error', text: res.issues.map((i) => issueSentence(i, t)).join(' '), testid: 'reset-error', card: 'settings' },
              );
            }}
          />
        </div>
        <p class="sf-muted sf-small">{t('options.data.import.help')}</p>
        {importErrors && (
          <div class="op-import-errors" role="alert">
            <p class="sf-error">{t('options.data.import.invalid')}</p>
            <ul data-testid="import-errors">
              {importErrors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </div>
        )}
        <NoticeLine notice={notice} card="settings" />
      </div>

      <HealthCounters refresh={healthRefresh} lang={lang} />

      <div class="op-card op-danger">
        <h3>{t('options.data.deleteAll.title')}</h3>
        <p class="sf-muted sf-small">{t('options.data.deleteAll.intro')}</p>
        <ConfirmButton
          label={t('options.data.deleteAll')}
          question={t('options.data.deleteAll.q')}
          confirmLabel={t('options.data.deleteAll.yes')}
          cancelLabel={t('common.cancel')}
          danger
          testid="delete-all"
          onConfirm={async () => {
            try {
              await send({ type: 'data/delete-all' });
              await store.reload();
              announce();
              setImportErrors(null);
              setNotice({ kind: 'ok', text: t('options.data.deleteAll.done'), testid: 'delete-done', card: 'delete' });
            } catch (err) {
              setNotice({ kind: 'error', text: humanError(err, t), testid: 'delete-error', card: 'delete' });
            }
            refreshCounts();
          }}
        />
        <NoticeLine notice={notice} card="delete" />
      </div>
    </section>
  );
}
