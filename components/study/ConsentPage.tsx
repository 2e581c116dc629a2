import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '@/utils/messaging';
import { getLocale, type Locale } from '@/utils/i18n';
import { armPShow, hasControlArm, localised, type Protocol } from '@/utils/study/protocol';
import type { StudyStatus } from '@/utils/study/types';
import { LocaleContext, applyLocale, useT } from '@/components/ui/i18n';
import { CopyId, EthicsFacts, MeasureList, SaveConsentCopy, StudyFacts } from './parts';
import { endpointTarget } from '@/utils/pages/study-page';
import { swallowed } from '@/utils/dev-log';

/**
 * The consent page (consent.html): the protocol's consent text in the UI language (the other
 * language one click away), what is recorded and what never is, the groups, the optional
 * upload. Agreeing needs an explicit tick; declining removes the protocol and records nothing.
 */
export function ConsentApp() {
  const [locale, setLocaleState] = useState<Locale>(getLocale());
  useEffect(() => {
    send({ type: 'settings/get' })
      .then((r) => setLocaleState(applyLocale(r.settings.locale)))
      .catch((err) => {
        // No settings from the background: the browser's language will do for the consent text.
        swallowed('settings/get', err);
        setLocaleState(applyLocale('auto'));
      });
  }, []);
  return (
    <LocaleContext.Provider value={locale}>
      <Consent uiLocale={locale} />
    </LocaleContext.Provider>
  );
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'ask'; protocol: Protocol; previousId: string | null }
  | { kind: 'none' }
  | { kind: 'declined' }
  | { kind: 'enrolled'; status: StudyStatus };

function Consent({ uiLocale }: { uiLocale: Locale }) {
  const t = useT();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [textLocale, setTextLocale] = useState<Locale | null>(null);
  const [read, setRead] = useState(false);
  const [upload, setUpload] = useState(false);
  const [eligible, setEligible] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lang = textLocale ?? uiLocale;

  useEffect(() => {
    document.title = t('study.consent.title');
    send({ type: 'study/status' })
      .then((s) => {
        if (s.state === 'pending' && s.protocol) {
          const studyId = s.protocol.studyId;
          setPhase({ kind: 'ask', protocol: s.protocol, previousId: s.withdrawals.find((w) => w.studyId === studyId)?.participantId ?? null });
        } else if (s.state === 'active' || s.state === 'finished') setPhase({ kind: 'enrolled', status: s });
        else setPhase({ kind: 'none' });
      })
      .catch((e) => setError(t('study.error', { error: String(e?.message ?? e) })));
  }, []);

  const answer = async (agree: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const res = await send({
        type: 'study/consent',
        agree,
        uploadConsent: agree && upload,
        locale: lang,
        enrolmentCode: agree && code.trim() ? code.trim() : null,
        eligibilityConfirmed: agree && eligible,
      });
      if (!res.ok) {
        setError(t(`study.error.${res.reason}`));
        return;
      }
      setPhase(agree ? { kind: 'enrolled', status: res.status } : { kind: 'declined' });
      window.scrollTo(0, 0);
    } catch (e) {
      setError(t('study.error', { error: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const optionsLink = (
    <p>
      <a href={browser.runtime.getURL('/options.html')} data-testid="consent-options">
        {t('study.consent.openOptions')}
      </a>
    </p>
  );

  return (
    <main class="cs-main" data-testid="consent-page">
      <h1>{t('study.consent.title')}</h1>
      {error && (
        <p class="sf-error" role="alert" data-testid="consent-error">
          {error}
        </p>
      )}
      {phase.kind === 'none' && (
        <>
          <p data-testid="consent-none">{t('study.consent.none')}</p>
          {optionsLink}
        </>
      )}
      {phase.kind === 'declined' && (
        <>
          <p data-testid="consent-declined">{t('study.consent.declined')}</p>
          {optionsLink}
        </>
      )}
      {phase.kind === 'enrolled' && (
        <section data-testid="consent-enrolled">
          <p class="cs-lead">{t('study.consent.thanks')}</p>
          <CopyId id={phase.status.participantId ?? ''} />
          <p>
            <strong>{t('study.arm')}: </strong>
            <span data-testid="study-arm">{phase.status.arm ?? t('study.arm.hidden')}</span>
          </p>
          {phase.status.day !== null && <p>{t('study.status.active', { day: phase.status.day, days: phase.status.days ?? 1 })}</p>}
          <p class="sf-muted">{t('study.consent.next')}</p>
          {optionsLink}
        </section>
      )}
      {phase.kind === 'ask' && (
        <article data-testid="consent-ask" lang={lang === 'zh_CN' ? 'zh-CN' : 'en'}>
          <div class="cs-langs" role="group" aria-label={t('study.consent.readIn')}>
            <span class="sf-muted sf-small">{t('study.consent.readIn')}: </span>
            <button type="button" class="sf-btn" aria-pressed={lang === 'en'} onClick={() => setTextLocale('en')} lang="en">
              English
            </button>
            <button type="button" class="sf-btn" aria-pressed={lang === 'zh_CN'} onClick={() => setTextLocale('zh_CN')} lang="zh-CN">
              中文
            </button>
          </div>
          <h2 data-testid="consent-study-title">{localised(phase.protocol.title, lang)}</h2>
          <p class="sf-muted sf-small">
            {phase.protocol.studyId} · {t('study.consent.version', { version: phase.protocol.version })}
          </p>
          <StudyFacts protocol={phase.protocol} />
          <div class="cs-consent" data-testid="consent-text">
            {localised(phase.protocol.consent, lang)
              .split(/\n{2,}/)
              .map((para, i) => (
                <p key={i}>{para}</p>
              ))}
          </div>
          <EthicsFacts protocol={phase.protocol} locale={lang} />
          <h3>{t('study.consent.recorded')}</h3>
          <MeasureList measures={phase.protocol.measures} />
          <p>
            <strong>{t('study.never')}</strong>
          </p>
          <p data-testid="consent-measured">{t('study.consent.measured')}</p>
          <p>{t('study.consent.duration', { days: phase.protocol.durationDays })}</p>
          <p data-testid="consent-arms">
            {phase.protocol.arms.length > 1 ? t('study.consent.arms', { n: phase.protocol.arms.length }) : t('study.consent.arms.one')}
            {/* Only a protocol with an arm that shows no pauses may say so. */}
            {hasControlArm(phase.protocol) && <> {t('study.consent.arms.control')}</>}
            {phase.protocol.arms.some((a) => armPShow(a) > 0 && armPShow(a) < 1) && <> {t('study.consent.arms.skips')}</>}
          </p>
          <p>{t('study.consent.keep')}</p>
          {phase.previousId && <p data-testid="consent-previous">{t('study.consent.previous', { id: phase.previousId })}</p>}
          <p>
            <SaveConsentCopy protocol={phase.protocol} locale={lang} label={t('study.consent.save')} testid="consent-save" />
          </p>
          {phase.protocol.enrolment.codes !== 'none' && (
            <div class="cs-box">
              <label>
                <span>{t(phase.protocol.enrolment.codes === 'required' ? 'study.consent.code.required' : 'study.consent.code.optional')}</span>{' '}
                {phase.protocol.enrolment.codeHint && <span class="sf-muted sf-small">{localised(phase.protocol.enrolment.codeHint, lang)} </span>}
                <input
                  type="text"
                  autocomplete="off"
                  spellcheck={false}
                  maxLength={64}
                  value={code}
                  data-testid="consent-code"
                  onInput={(e) => setCode((e.target as HTMLInputElement).value)}
                />
              </label>
            </div>
          )}
          {phase.protocol.ethics && (
            <div class="cs-box">
              <label class="cs-check">
                <input
                  type="checkbox"
                  checked={eligible}
                  data-testid="consent-eligible"
                  onChange={(e) => setEligible((e.target as HTMLInputElement).checked)}
                />
                <span>{t('study.consent.eligible', { age: phase.protocol.ethics.minimumAge })}</span>
              </label>
            </div>
          )}
          {phase.protocol.endpoint && (
            <div class="cs-box">
              <p>{t('study.consent.endpoint', { host: endpointTarget(phase.protocol.endpoint)?.host ?? phase.protocol.endpoint })}</p>
              <label class="cs-check">
                <input type="checkbox" checked={upload} data-testid="consent-upload" onChange={(e) => setUpload((e.target as HTMLInputElement).checked)} />
                <span>{t('study.consent.endpointAgree', { host: endpointTarget(phase.protocol.endpoint)?.host ?? phase.protocol.endpoint })}</span>
              </label>
            </div>
          )}
          <div class="cs-box">
            <label class="cs-check">
              <input type="checkbox" checked={read} data-testid="consent-read" onChange={(e) => setRead((e.target as HTMLInputElement).checked)} />
              <span>{t('study.consent.read')}</span>
            </label>
          </div>
          <div class="cs-actions">
            <button
              type="button"
              class="sf-btn sf-btn-primary"
              disabled={!read || busy || (!!phase.protocol.ethics && !eligible) || (phase.protocol.enrolment.codes === 'required' && code.trim() === '')}
              data-testid="consent-agree"
              onClick={() => void answer(true)}
            >
              {t('study.consent.agree')}
            </button>
            <button type="button" class="sf-btn" disabled={busy} data-testid="consent-decline" onClick={() => void answer(false)}>
              {t('study.consent.decline')}
            </button>
          </div>
        </article>
      )}
    </main>
  );
}
