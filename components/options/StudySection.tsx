import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '@/utils/messaging';
import { formatFieldError, localised, type ProtocolFieldError } from '@/utils/study/protocol';
import type { StudyCounts, StudyStatus } from '@/utils/study/types';
import { endpointTarget, makeExportZip, saveBytes, sendToResearcher } from '@/utils/pages/study-page';
import { useLocale, useT, intlTag } from '@/components/ui/i18n';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { CopyId, CountsView, MeasureList, StudyFacts } from '@/components/study/parts';

/**
 * Options → Study. Load a protocol (file or paste) → field errors, or on to the consent page →
 * status, participant id, group, day N of M → export (zip), send to the researcher (only with
 * the extra consent), withdraw (deletes everything, and shows the counts before and after).
 */
export function StudySection() {
  const t = useT();
  const locale = useLocale();
  const [status, setStatus] = useState<StudyStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await send({ type: 'study/status' }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    void reload();
    // Coming back from the consent page (another tab): show the new state.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [reload]);

  return (
    <section class="op-section" id="study" aria-labelledby="op-study-title" data-testid="study-section" data-state={status?.state ?? 'loading'}>
      <h2 id="op-study-title">{t('study.title')}</h2>
      <p class="sf-muted">{t('study.intro')}</p>
      <p class="sf-muted sf-small">{t('study.never')}</p>
      {error && (
        <p class="sf-error" role="alert">
          {t('study.error', { error })}
        </p>
      )}
      {status?.state === 'none' && <LoadProtocol onLoaded={setStatus} />}
      {status?.state === 'pending' && status.protocol && (
        <div class="op-card" data-testid="study-pending">
          <p>{t('study.pending', { title: localised(status.protocol.title, locale) })}</p>
          <p class="op-row">
            <a class="sf-btn sf-btn-primary" href={browser.runtime.getURL('/consent.html')} target="_blank" rel="noopener" data-testid="study-open-consent">
              {t('study.pending.open')}
            </a>{' '}
            <button
              type="button"
              class="sf-btn"
              data-testid="study-discard"
              onClick={async () => setStatus(await send({ type: 'study/consent', agree: false, uploadConsent: false, locale }))}
            >
              {t('study.pending.discard')}
            </button>
          </p>
        </div>
      )}
      {(status?.state === 'active' || status?.state === 'ended') && <Enrolled status={status} locale={locale} onChange={reload} />}
      <Withdrawn />
    </section>
  );
}

function LoadProtocol({ onLoaded }: { onLoaded(s: StudyStatus): void }) {
  const t = useT();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<ProtocolFieldError[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (raw: string) => {
    setNote(null);
    if (raw.trim() === '') {
      setNote(t('study.load.empty'));
      return;
    }
    setBusy(true);
    try {
      const res = await send({ type: 'study/load', text: raw });
      if (res.ok) {
        setErrors(null);
        onLoaded(res.status);
        // Straight on to the consent page: reading it in full is the next step.
        window.open(browser.runtime.getURL('/consent.html'), '_blank', 'noopener');
      } else setErrors(res.errors);
    } catch (e) {
      setNote(t('study.error', { error: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="op-card" data-testid="study-load">
      <p>
        <label>
          {t('study.load.file')}{' '}
          <input
            type="file"
            accept=".json,application/json"
            data-testid="study-file"
            onChange={async (e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (!file) return;
              try {
                const content = await file.text();
                setText(content);
                await submit(content);
              } catch {
                setNote(t('study.load.readError'));
              } finally {
                input.value = '';
              }
            }}
          />
        </label>
      </p>
      <p>
        <label for="st-paste">{t('study.load.paste')}</label>
      </p>
      <textarea
        id="st-paste"
        class="st-paste"
        rows={8}
        spellcheck={false}
        placeholder={t('study.load.pastePlaceholder')}
        value={text}
        data-testid="study-paste"
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        style={{ width: '100%', fontFamily: 'ui-monospace, monospace', fontSize: '12px' }}
      />
      <p>
        <button type="button" class="sf-btn sf-btn-primary" disabled={busy} data-testid="study-check" onClick={() => void submit(text)}>
          {t('study.load.check')}
        </button>
      </p>
      {note && (
        <p class="sf-error" role="alert">
          {note}
        </p>
      )}
      {errors && (
        <div role="alert" data-testid="study-errors">
          <p class="sf-error">{t('study.load.errors')}</p>
          <ul>
            {errors.map((e, i) => (
              <li key={i} data-testid="study-error" data-path={e.path}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
          <span hidden>{errors.map(formatFieldError).join('\n')}</span>
        </div>
      )}
    </div>
  );
}

/** Shown once after a withdrawal: the proof that nothing is left (survives the section's reload). */
let lastWithdrawal: { before: StudyCounts; after: StudyCounts } | null = null;
let notifyWithdrawn: (() => void) | null = null;

function Withdrawn() {
  const t = useT();
  const [, force] = useState(0);
  useEffect(() => {
    notifyWithdrawn = () => force((n) => n + 1);
    return () => {
      notifyWithdrawn = null;
    };
  }, []);
  if (!lastWithdrawal) return null;
  return (
    <div class="op-card" role="status" data-testid="study-withdrawn">
      <p>
        <strong>{t('study.withdraw.done', { n: lastWithdrawal.after.total })}</strong>
      </p>
      <p class="sf-muted sf-small">{t('study.withdraw.before', { n: lastWithdrawal.before.total })}</p>
      <CountsView counts={lastWithdrawal.after} testid="study-counts-after" />
    </div>
  );
}

function Enrolled({ status, locale, onChange }: { status: StudyStatus; locale: 'en' | 'zh_CN'; onChange(): Promise<void> }) {
  const t = useT();
  const protocol = status.protocol!;
  const [exportNote, setExportNote] = useState<string | null>(null);
  const [uploadNote, setUploadNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const date = (ms: number | null) => (ms === null ? '' : new Date(ms).toLocaleDateString(intlTag(locale), { year: 'numeric', month: 'long', day: 'numeric' }));
  const host = protocol.endpoint ? endpointTarget(protocol.endpoint)?.host ?? protocol.endpoint : null;

  const doExport = async () => {
    setBusy(true);
    try {
      const { bytes, fileName } = await makeExportZip();
      saveBytes(bytes, fileName);
      setExportNote(t('study.export.done', { file: fileName }));
    } catch (e) {
      setExportNote(t('study.export.error', { error: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const doUpload = async () => {
    setUploadNote(null);
    const res = await sendToResearcher(status);
    if (res.ok) setUploadNote(t('study.upload.done', { host: res.host }));
    else if (res.reason === 'denied') setUploadNote(t('study.upload.denied', { host: res.host ?? '' }));
    else if (res.reason === 'no-consent') setUploadNote(t('study.upload.noConsent'));
    else setUploadNote(t('study.upload.error', { error: res.error ?? res.reason }));
  };

  const doWithdraw = async () => {
    const res = await send({ type: 'study/withdraw' });
    lastWithdrawal = { before: res.before, after: res.after };
    notifyWithdrawn?.();
    await onChange();
  };

  return (
    <div data-testid="study-enrolled">
      <div class="op-card">
        <p class={status.state === 'ended' ? 'sf-error' : undefined} data-testid="study-day">
          <strong>
            {status.state === 'active' ? t('study.status.active', { day: status.day ?? 1, days: status.days ?? 1 }) : t('study.status.ended')}
          </strong>
        </p>
        {status.state === 'ended' ? (
          <p data-testid="study-ended">{t('study.status.endedLong', { date: date(status.endsAt) })}</p>
        ) : (
          <p class="sf-muted sf-small">{t('study.status.endsOn', { date: date(status.endsAt === null ? null : status.endsAt - 1) })}</p>
        )}
        <h3>{localised(protocol.title, locale)}</h3>
        <p class="sf-muted sf-small">
          {protocol.studyId} · {t('study.consent.version', { version: protocol.version })}
        </p>
        <StudyFacts protocol={protocol} />
        <CopyId id={status.participantId ?? ''} />
        <p>
          <strong>{t('study.arm')}: </strong>
          <span data-testid="study-arm">{status.arm ?? t('study.arm.hidden')}</span>
        </p>
        <h3>{t('study.consent.recorded')}</h3>
        <MeasureList measures={protocol.measures} />
      </div>

      <div class="op-card">
        <p>
          <button type="button" class="sf-btn sf-btn-primary" disabled={busy} data-testid="study-export" onClick={() => void doExport()}>
            {t('study.export')}
          </button>
        </p>
        {exportNote && (
          <p class="sf-small" role="status" data-testid="study-export-note">
            {exportNote}
          </p>
        )}
        {host && (
          <div data-testid="study-upload-box">
            <p>
              <button type="button" class="sf-btn" disabled={!status.uploadConsent} data-testid="study-upload" onClick={() => void doUpload()}>
                {t('study.upload')}
              </button>
            </p>
            <p class="sf-muted sf-small">{status.uploadConsent ? t('study.upload.to', { host }) : t('study.upload.noConsent')}</p>
            {uploadNote && (
              <p class="sf-small" role="status" data-testid="study-upload-note">
                {uploadNote}
              </p>
            )}
          </div>
        )}
      </div>

      <div class="op-card">
        <h3>{t('study.records')}</h3>
        <CountsView counts={status.counts} testid="study-counts" />
        <ConfirmButton
          label={t('study.withdraw')}
          question={t('study.withdraw.question')}
          confirmLabel={t('study.withdraw.confirm')}
          cancelLabel={t('common.cancel')}
          danger
          testid="study-withdraw"
          onConfirm={doWithdraw}
        />
      </div>
    </div>
  );
}
