import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '@/utils/messaging';
import { formatFieldError, localised, MAX_PROTOCOL_BYTES, protocolTooLarge, type ProtocolFieldError } from '@/utils/study/protocol';
import type { StudyCounts, StudyStatus } from '@/utils/study/types';
import { endpointTarget, makeExportZip, releaseEndpoint, requestDeletion, sendToResearcher, type UploadResult } from '@/utils/pages/study-page';
import { downloadFile } from '@/utils/pages/download';
import { useLocale, useT, intlTag } from '@/components/ui/i18n';
import { useSettings } from '@/components/ui/settings-context';
import { CopyId, CountsView, EthicsFacts, MeasureList, SaveConsentCopy, StudyFacts } from '@/components/study/parts';

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
      {status?.state === 'none' && status.withdrawals.length > 0 && <KeptNotes status={status} onChange={setStatus} />}
      {status?.state === 'pending' && status.protocol && (
        <div class="op-card" data-testid="study-pending">
          <p>{t('study.pending', { title: localised(status.protocol.title, locale) })}</p>
          {status.warnings.length > 0 && (
            <div data-testid="study-warnings">
              <p class="sf-muted sf-small">{t('study.pending.warnings')}</p>
              <ul class="sf-small">
                {status.warnings.map((w, i) => (
                  <li key={i} data-path={w.path}>
                    <code>{w.path}</code>: {w.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p class="op-row">
            <a class="sf-btn sf-btn-primary" href={browser.runtime.getURL('/consent.html')} target="_blank" rel="noopener" data-testid="study-open-consent">
              {t('study.pending.open')}
            </a>{' '}
            <button
              type="button"
              class="sf-btn"
              data-testid="study-discard"
              onClick={async () => setStatus((await send({ type: 'study/consent', agree: false, uploadConsent: false, locale })).status)}
            >
              {t('study.pending.discard')}
            </button>
          </p>
        </div>
      )}
      {(status?.state === 'active' || status?.state === 'finished') && <Enrolled status={status} locale={locale} onChange={reload} />}
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
    // Too large to send at all: the validator's own answer, said here.
    if (raw.length > MAX_PROTOCOL_BYTES * 10) {
      setErrors([protocolTooLarge()]);
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

/** What the page knows after a withdrawal: the proof that nothing is left, the id, and what happened with the collector. */
interface Withdrawal {
  before: StudyCounts;
  after: StudyCounts;
  participantId: string | null;
  email: string;
  deletion: UploadResult | null;
  released: string | null;
}

/** Shown once after a withdrawal (survives the section's reload). */
let lastWithdrawal: Withdrawal | null = null;
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
  const w = lastWithdrawal;
  if (!w) return null;
  const d = w.deletion;
  return (
    <div class="op-card" role="status" data-testid="study-withdrawn">
      <p>
        <strong>{t('study.withdraw.done', { n: w.after.total })}</strong>
      </p>
      <p class="sf-muted sf-small">{t('study.withdraw.before', { n: w.before.total })}</p>
      <CountsView counts={w.after} testid="study-counts-after" />
      {w.participantId && <p data-testid="study-withdrawn-id">{t('study.withdraw.idAfter', { id: w.participantId })}</p>}
      {d && (
        <p class={d.ok ? 'sf-small' : 'sf-error sf-small'} data-testid="study-deletion-note">
          {d.ok
            ? t('study.withdraw.deleteSent', { host: d.host })
            : t('study.withdraw.deleteFailed', { host: d.host ?? '', error: d.error ?? d.reason, email: w.email })}
        </p>
      )}
      {w.released && (
        <p class="sf-small" data-testid="study-permission-note">
          {t('study.withdraw.permission', { host: w.released })}
        </p>
      )}
    </div>
  );
}

/** The note kept after a withdrawal (no data: the id and group, against arm shopping), and how to forget it. */
function KeptNotes({ status, onChange }: { status: StudyStatus; onChange(s: StudyStatus): void }) {
  const t = useT();
  return (
    <div class="op-card" data-testid="study-kept">
      {status.withdrawals.map((w) => (
        <p key={w.studyId} class="sf-small">
          {t('study.withdraw.kept', { study: w.studyId, id: w.participantId })}
        </p>
      ))}
      <button type="button" class="sf-btn" data-testid="study-forget" onClick={async () => onChange(await send({ type: 'study/forget', studyId: null }))}>
        {t('study.withdraw.forget')}
      </button>
    </div>
  );
}

/**
 * Withdrawing: first the participant id and how to ask for deletion of data already sent (the
 * id is the only link once everything here is gone), an optional deletion request to the
 * researchers' collector, then the confirmation. Afterwards the collector's permission is given back.
 */
function WithdrawFlow({ status, locale, onDone }: { status: StudyStatus; locale: 'en' | 'zh_CN'; onDone(): Promise<void> }) {
  const t = useT();
  const store = useSettings();
  const [open, setOpen] = useState(false);
  const [askDelete, setAskDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const protocol = status.protocol!;
  const endpoint = protocol.endpoint ?? null;
  const host = endpoint ? (endpointTarget(endpoint)?.host ?? null) : null;
  if (!open) {
    return (
      <p>
        <button type="button" class="sf-btn sf-btn-danger" data-testid="study-withdraw" onClick={() => setOpen(true)}>
          {t('study.withdraw.start')}
        </button>
      </p>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      // The permission prompt needs the click's gesture: the deletion request goes first.
      const deletion = askDelete && endpoint && status.participantId ? await requestDeletion(endpoint, protocol.studyId, status.participantId) : null;
      const res = await send({ type: 'study/withdraw' });
      const released = (await releaseEndpoint(res.endpoint, store.settings?.customSites ?? [])) ? host : null;
      lastWithdrawal = { before: res.before, after: res.after, participantId: res.participantId, email: protocol.contact.email, deletion, released };
      notifyWithdrawn?.();
      await onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="st-withdraw" aria-labelledby="st-withdraw-title" data-testid="study-withdraw-panel">
      <h4 id="st-withdraw-title">{t('study.withdraw.first')}</h4>
      <p>{t('study.withdraw.idNote')}</p>
      <p>
        <code class="st-code" data-testid="withdraw-participant-id">
          {status.participantId}
        </code>
      </p>
      <p>{t('study.withdraw.sentData', { email: protocol.contact.email })}</p>
      {protocol.ethics && <p data-testid="withdraw-deletion">{localised(protocol.ethics.deletion, locale)}</p>}
      {host && status.uploadConsent && (
        <label class="op-inline">
          <input
            type="checkbox"
            checked={askDelete}
            data-testid="study-withdraw-ask-delete"
            onChange={(e) => setAskDelete((e.target as HTMLInputElement).checked)}
          />{' '}
          {t('study.withdraw.askDelete', { host })}
        </label>
      )}
      <p>
        <strong>{t('study.withdraw.question')}</strong>
      </p>
      <p class="op-row">
        <button type="button" class="sf-btn sf-btn-danger" disabled={busy} data-testid="study-withdraw-confirm" onClick={() => void confirm()}>
          {t('study.withdraw.confirm')}
        </button>{' '}
        <button type="button" class="sf-btn" disabled={busy} data-testid="study-withdraw-cancel" onClick={() => setOpen(false)}>
          {t('study.withdraw.cancel')}
        </button>
      </p>
    </section>
  );
}

function Enrolled({ status, locale, onChange }: { status: StudyStatus; locale: 'en' | 'zh_CN'; onChange(): Promise<void> }) {
  const t = useT();
  const protocol = status.protocol!;
  const [exportNote, setExportNote] = useState<string | null>(null);
  const [uploadNote, setUploadNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const date = (ms: number | null) => (ms === null ? '' : new Date(ms).toLocaleDateString(intlTag(locale), { year: 'numeric', month: 'long', day: 'numeric' }));
  const host = protocol.endpoint ? (endpointTarget(protocol.endpoint)?.host ?? protocol.endpoint) : null;

  const doExport = async () => {
    setBusy(true);
    try {
      const { bytes, fileName } = await makeExportZip();
      downloadFile(fileName, bytes, 'application/zip');
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

  return (
    <div data-testid="study-enrolled">
      <div class="op-card">
        <p class={status.state === 'finished' ? 'sf-error' : undefined} data-testid="study-day">
          <strong>{status.state === 'active' ? t('study.status.active', { day: status.day ?? 1, days: status.days ?? 1 }) : t('study.status.finished')}</strong>
        </p>
        {status.state === 'finished' ? (
          <p data-testid="study-finished">{t('study.status.finishedLong', { date: date(status.endsAt) })}</p>
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
        {status.enrolmentCode && (
          <p>
            <strong>{t('study.code')}: </strong>
            <code data-testid="study-code">{status.enrolmentCode}</code>
          </p>
        )}
        <h3>{t('study.consent.recorded')}</h3>
        <MeasureList measures={protocol.measures} />
        <details class="st-consent-copy" data-testid="study-consent-copy">
          <summary>{t('study.consentCopy')}</summary>
          {status.consentedAt !== null && <p class="sf-muted sf-small">{t('study.consentCopy.agreed', { date: date(status.consentedAt) })}</p>}
          <EthicsFacts protocol={protocol} locale={locale} />
          <div class="cs-consent" data-testid="study-consent-text">
            {localised(protocol.consent, locale)
              .split(/\n{2,}/)
              .map((para, i) => (
                <p key={i}>{para}</p>
              ))}
          </div>
          <p>
            <SaveConsentCopy
              protocol={protocol}
              locale={locale}
              participantId={status.participantId}
              consentedAt={status.consentedAt}
              label={t('study.consentCopy.save')}
              testid="study-consent-save"
            />
          </p>
        </details>
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
        <WithdrawFlow status={status} locale={locale} onDone={onChange} />
      </div>
    </div>
  );
}
