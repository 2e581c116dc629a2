import { useState } from 'preact/hooks';
import { MEASURES, localised, type Measure, type Protocol } from '@/utils/study/protocol';
import type { StudyCounts } from '@/utils/study/types';
import { consentCopyText } from '@/utils/study/consent-copy';
import { downloadFile } from '@/utils/pages/download';
import { useT } from '@/components/ui/i18n';
import './study.css';

/** The participant id with a copy button. */
export function CopyId({ id }: { id: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div class="st-id">
      <p>
        <strong>{t('study.participant')}</strong>
      </p>
      <p class="st-id-row">
        <code data-testid="participant-id" class="st-code">
          {id}
        </code>{' '}
        <button
          type="button"
          class="sf-btn"
          data-testid="participant-copy"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(id);
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            } catch {
              // No clipboard permission: select the text so the participant can copy it by hand.
              const sel = window.getSelection();
              const el = document.querySelector('[data-testid="participant-id"]');
              if (sel && el) sel.selectAllChildren(el);
            }
          }}
        >
          {copied ? t('study.copied') : t('study.copy')}
        </button>
      </p>
      <p class="sf-muted sf-small">{t('study.participant.hint')}</p>
    </div>
  );
}

export function MeasureList({ measures }: { measures: readonly Measure[] }) {
  const t = useT();
  return (
    <ul data-testid="measure-list">
      {MEASURES.filter((m) => measures.includes(m)).map((m) => (
        <li key={m}>{t(`study.measure.${m}`)}</li>
      ))}
    </ul>
  );
}

/** Researchers, contact and ethics approval, as the protocol states them. */
export function StudyFacts({ protocol }: { protocol: Protocol }) {
  const t = useT();
  return (
    <dl class="st-facts">
      <dt>{t('study.researchers')}</dt>
      <dd>
        {protocol.researchers.map((r, i) => (
          <span key={i} class="st-person">
            {r.name}
            {r.affiliation ? `, ${r.affiliation}` : ''}
            {r.email ? ` <${r.email}>` : ''}
            {i < protocol.researchers.length - 1 ? '; ' : ''}
          </span>
        ))}
      </dd>
      <dt>{t('study.contact')}</dt>
      <dd>
        {protocol.contact.name ? `${protocol.contact.name} ` : ''}
        <a href={`mailto:${protocol.contact.email}`}>{protocol.contact.email}</a>
        {protocol.contact.url && (
          <>
            {' · '}
            <a href={protocol.contact.url} target="_blank" rel="noopener noreferrer">
              {protocol.contact.url}
            </a>
          </>
        )}
      </dd>
      {protocol.ethics && (
        <>
          <dt>{t('study.consent.independent')}</dt>
          <dd data-testid="study-independent">
            {protocol.ethics.independentContact.name ? `${protocol.ethics.independentContact.name} ` : ''}
            <a href={`mailto:${protocol.ethics.independentContact.email}`}>{protocol.ethics.independentContact.email}</a>
          </dd>
          <dt>{t('study.ethics')}</dt>
          <dd>
            {protocol.ethics.board} · {protocol.ethics.reference}
          </dd>
        </>
      )}
    </dl>
  );
}

/** What an ethics board asks participants to be told: risks, benefits, retention, deletion (only with an ethics block). */
export function EthicsFacts({ protocol, locale }: { protocol: Protocol; locale: 'en' | 'zh_CN' }) {
  const t = useT();
  const e = protocol.ethics;
  if (!e) return null;
  return (
    <dl class="st-facts" data-testid="study-ethics">
      <dt>{t('study.consent.eligibility')}</dt>
      <dd>{localised(e.eligibility, locale)}</dd>
      <dt>{t('study.consent.risks')}</dt>
      <dd>{localised(e.risks, locale)}</dd>
      <dt>{t('study.consent.benefits')}</dt>
      <dd>{localised(e.benefits, locale)}</dd>
      <dt>{t('study.consent.retention')}</dt>
      <dd>{localised(e.retention, locale)}</dd>
      <dt>{t('study.consent.deletion')}</dt>
      <dd data-testid="study-deletion">{localised(e.deletion, locale)}</dd>
    </dl>
  );
}

/** Saves the participant's own copy of the consent information as a text file. */
export function SaveConsentCopy({
  protocol,
  locale,
  participantId,
  consentedAt,
  label,
  testid,
}: {
  protocol: Protocol;
  locale: 'en' | 'zh_CN';
  participantId?: string | null;
  consentedAt?: number | null;
  label: string;
  testid: string;
}) {
  const t = useT();
  return (
    <button
      type="button"
      class="sf-btn"
      data-testid={testid}
      onClick={() => {
        const text = consentCopyText(protocol, {
          locale,
          participantId,
          consentedAt,
          labels: {
            title: t('study.consentCopy.file'),
            researchers: t('study.researchers'),
            contact: t('study.contact'),
            independent: t('study.consent.independent'),
            ethics: t('study.ethics'),
            eligibility: t('study.consent.eligibility'),
            retention: t('study.consent.retention'),
            risks: t('study.consent.risks'),
            benefits: t('study.consent.benefits'),
            deletion: t('study.consent.deletion'),
            participant: t('study.participant'),
            agreed: t('study.consentCopy.agreedLabel'),
            duration: t('study.consent.durationLabel'),
          },
        });
        downloadFile(`stillframe-consent-${protocol.studyId}-${protocol.version.replace(/[^\w.-]+/g, '_')}.txt`, text, 'text/plain;charset=utf-8');
      }}
    >
      {label}
    </button>
  );
}

/** Study records on the device, per table (the proof after a withdrawal that nothing is left). */
export function CountsView({ counts, testid }: { counts: StudyCounts; testid: string }) {
  const t = useT();
  return (
    <div data-testid={testid} data-total={counts.total}>
      <table class="st-counts">
        <tbody>
          <tr>
            <th scope="row">{t('study.table.participant')}</th>
            <td data-testid={`${testid}-meta`}>{counts.meta}</td>
          </tr>
          {MEASURES.map((m) => (
            <tr key={m}>
              <th scope="row">{m}</th>
              <td data-testid={`${testid}-${m}`}>{counts.tables[m]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="sf-small" data-testid={`${testid}-total`}>
        {t('study.records.total', { n: counts.total })}
      </p>
    </div>
  );
}
