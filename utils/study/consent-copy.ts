import { localised, type Protocol } from './protocol';

/**
 * The participant's own copy of what they were asked to agree to, as plain text they can save
 * and keep (consent page before agreeing, options → Study any time after): the study, who runs
 * it and who else to contact, the consent text in both languages, and — once enrolled — their
 * participant id and the date they agreed. Pure.
 */
export function consentCopyText(
  p: Protocol,
  opts: {
    locale: 'en' | 'zh_CN';
    participantId?: string | null;
    consentedAt?: number | null;
    labels: Record<
      | 'title'
      | 'researchers'
      | 'contact'
      | 'independent'
      | 'ethics'
      | 'eligibility'
      | 'retention'
      | 'risks'
      | 'benefits'
      | 'deletion'
      | 'participant'
      | 'agreed'
      | 'duration',
      string
    >;
  },
): string {
  const L = opts.labels;
  const lines: string[] = [];
  const heading = (s: string) => lines.push('', s, '-'.repeat(Math.min(60, s.length)));
  lines.push(localised(p.title, opts.locale), `${p.studyId} · ${p.version}`);
  if (opts.participantId) lines.push('', `${L.participant}: ${opts.participantId}`);
  if (opts.consentedAt) lines.push(`${L.agreed}: ${new Date(opts.consentedAt).toISOString()}`);
  heading(L.researchers);
  for (const r of p.researchers) lines.push(`${r.name}${r.affiliation ? `, ${r.affiliation}` : ''}${r.email ? ` <${r.email}>` : ''}`);
  heading(L.contact);
  lines.push(`${p.contact.name ? `${p.contact.name} ` : ''}<${p.contact.email}>${p.contact.url ? ` ${p.contact.url}` : ''}`);
  if (p.ethics) {
    const e = p.ethics;
    heading(L.independent);
    lines.push(
      `${e.independentContact.name ? `${e.independentContact.name} ` : ''}<${e.independentContact.email}>${e.independentContact.url ? ` ${e.independentContact.url}` : ''}`,
    );
    heading(L.ethics);
    lines.push(`${e.board} · ${e.reference}`);
    heading(L.eligibility);
    lines.push(localised(e.eligibility, opts.locale), `(${e.minimumAge}+)`);
    heading(L.risks);
    lines.push(localised(e.risks, opts.locale));
    heading(L.benefits);
    lines.push(localised(e.benefits, opts.locale));
    heading(L.retention);
    lines.push(localised(e.retention, opts.locale));
    heading(L.deletion);
    lines.push(localised(e.deletion, opts.locale));
  }
  heading(L.duration);
  lines.push(String(p.durationDays));
  for (const locale of [opts.locale, opts.locale === 'en' ? 'zh_CN' : 'en'] as const) {
    heading(`${L.title} (${locale})`);
    lines.push(localised(p.consent, locale));
  }
  return lines.join('\n').trimStart() + '\n';
}
