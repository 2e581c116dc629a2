import { useT } from '../ui/i18n';
import { CuratedCollections } from './CuratedCollections';

/**
 * Library: the bundled collections (CuratedCollections) and, below the marked slot, the
 * user's own frames. The user-frame upload UI is built by another developer: put it in its
 * own component and render it in the slot; the curated part needs no change for it.
 */
export function LibrarySection() {
  const t = useT();
  return (
    <section class="op-section" aria-labelledby="op-library-title">
      <h2 id="op-library-title">{t('options.nav.library')}</h2>
      <p class="sf-muted">{t('options.library.intro')}</p>
      <CuratedCollections />
      {/* ── slot: user frames (upload, captions, user collections) ───────────────────────── */}
      <div class="op-card op-slot" data-testid="user-frames-slot">
        <h3>{t('options.library.yours')}</h3>
        <p class="sf-muted sf-small">{t('options.library.yours.soon')}</p>
      </div>
      {/* ── end of slot ──────────────────────────────────────────────────────────────────── */}
    </section>
  );
}
