import { useT } from '@/components/ui/i18n';
import { CuratedCollections } from './CuratedCollections';
import { UserFrames } from './library/UserFrames';

/**
 * Library: the bundled collections (CuratedCollections) and the user's own frames and
 * collections (library/UserFrames: add images with captions, create, rename, switch on/off,
 * export, import and delete collections).
 */
export function LibrarySection() {
  const t = useT();
  return (
    <section class="op-section" aria-labelledby="op-library-title">
      <h2 id="op-library-title">{t('options.nav.library')}</h2>
      <p class="sf-muted">{t('options.library.intro')}</p>
      <CuratedCollections />
      <UserFrames />
    </section>
  );
}
