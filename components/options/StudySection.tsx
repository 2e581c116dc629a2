import { useT } from '../ui/i18n';

/**
 * Study mode: a slot. Another developer builds study mode (protocol file, consent, export,
 * withdraw) and replaces the body of this component; OptionsApp only renders <StudySection />.
 */
export function StudySection() {
  const t = useT();
  return (
    <section class="op-section" aria-labelledby="op-study-title" data-testid="study-slot">
      <h2 id="op-study-title">{t('options.nav.study')}</h2>
      <div class="op-card">
        <p>{t('options.study.intro')}</p>
        <p class="sf-muted sf-small">{t('options.study.soon')}</p>
      </div>
    </section>
  );
}
