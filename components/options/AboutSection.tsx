import { browser } from 'wxt/browser';
import { useT } from '@/components/ui/i18n';

function manifestVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return '';
  }
}

export function AboutSection() {
  const t = useT();
  return (
    <section class="op-section" aria-labelledby="op-about-title">
      <h2 id="op-about-title">{t('options.nav.about')}</h2>
      <div class="op-card">
        <p>{t('options.about.what')}</p>
        <p class="sf-small">
          {t('options.about.version')} <span data-testid="version">{manifestVersion()}</span>
        </p>
      </div>
      <div class="op-card">
        <h3>{t('options.about.privacy')}</h3>
        <ul class="op-bullets">
          <li>{t('options.about.privacy.local')}</li>
          <li>{t('options.about.privacy.noUrls')}</li>
          <li>{t('options.about.privacy.permissions')}</li>
          <li>{t('options.about.privacy.delete')}</li>
        </ul>
      </div>
    </section>
  );
}
