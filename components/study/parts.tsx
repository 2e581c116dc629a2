import { useState } from 'preact/hooks';
import { MEASURES, type Measure, type Protocol } from '@/utils/study/protocol';
import type { StudyCounts } from '@/utils/study/types';
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
          <dt>{t('study.ethics')}</dt>
          <dd>
            {protocol.ethics.board} · {protocol.ethics.reference}
          </dd>
        </>
      )}
    </dl>
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
