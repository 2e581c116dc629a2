import { t } from '@/utils/i18n/frame-text';
import type { StopOptions } from '@/utils/content/frame-ui-contract';
import { T } from './Text';

export interface StopPanelProps extends Omit<StopOptions, 'width'> {
  scheme: 'light' | 'dark';
}

/**
 * The stopping point, in the feed like a frame: how many posts today, and three ways on — close
 * the tab, put this feed away until tomorrow, or keep scrolling (the panel goes). No guilt, no
 * second ask: it comes once a day.
 */
export function StopPanel({ posts, scheme, onCloseTab, onPutAway, onDismiss }: StopPanelProps) {
  return (
    // Text as generated content, names as aria-labels (Text.tsx): the page cannot find() today's count.
    <aside class={`sf-frame sf-${scheme}`} role="complementary" aria-label={t('stop.label')}>
      <p class="sf-stop-title">
        <T text={t('stop.title', { n: posts })} />
      </p>
      <div class="sf-actions" role="group" aria-label={t('frame.actions')}>
        <button type="button" class="sf-button sf-primary" aria-label={t('cover.closeTab')} onClick={onCloseTab}>
          <T text={t('cover.closeTab')} />
        </button>
        <button type="button" class="sf-button" aria-label={t('stop.putAway')} onClick={onPutAway}>
          <T text={t('stop.putAway')} />
        </button>
        <button type="button" class="sf-button" aria-label={t('stop.keepScrolling')} onClick={onDismiss}>
          <T text={t('stop.keepScrolling')} />
        </button>
      </div>
      <div class="sf-foot">
        <span class="sf-brand">
          <span class="sf-mark" aria-hidden="true" />
          <T text={t('frame.brand')} />
        </span>
        <T text={t('stop.why')} />
      </div>
    </aside>
  );
}
