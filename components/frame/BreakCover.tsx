import { useEffect, useRef, useState } from 'preact/hooks';
import { getLocale, t } from '@/utils/i18n/frame-text';
import { formatClock } from '@/utils/i18n/format';
import type { CoverOptions } from '@/utils/content/frame-ui-contract';
import { T } from './Text';

/** Other lengths the person can choose on the panel, counted from now. */
export const BREAK_CHOICES = [15, 30, 60, 120] as const;

export interface BreakCoverProps extends Omit<CoverOptions, 'until'> {
  until: number;
  scheme: 'light' | 'dark';
}

/** "15 min", "1 hour", "2 hours". */
export function lengthLabel(minutes: number): string {
  if (minutes % 60 !== 0) return t('frame.length.minutes', { n: minutes });
  return minutes === 60 ? t('frame.length.hour') : t('frame.length.hours', { n: minutes / 60 });
}

/**
 * The calm panel over a feed that is on a break: until when, a way to close the tab, another
 * length, and an early way back. It covers the window; nothing under it is changed.
 */
export function BreakCover({ until, scheme, onChange, onBack, onCloseTab, focus }: BreakCoverProps) {
  const title = useRef<HTMLHeadingElement>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  // Only when the person just asked for the break: then the panel is where they are.
  useEffect(() => {
    if (focus) title.current?.focus({ preventScroll: true });
  }, [focus]);
  const time = formatClock(until, Date.now(), getLocale());
  return (
    // Text as generated content, names as aria-labels (Text.tsx): the page's window.find() reads none of it.
    <div class={`sf-frame sf-cover sf-${scheme}`} role="dialog" aria-label={t('cover.title', { time })} data-sf-cover="on">
      <div class="sf-cover-card">
        <p class="sf-foot sf-cover-brand">
          <span class="sf-brand">
            <span class="sf-mark" aria-hidden="true" />
            <T text={t('frame.brand')} />
          </span>
        </p>
        <h2 class="sf-cover-title" id="sf-cover-title" tabIndex={-1} ref={title} aria-label={t('cover.title', { time })}>
          <T text={t('cover.title', { time })} />
        </h2>
        <p class="sf-cover-body">
          <T text={t('cover.body')} />
        </p>
        <div class="sf-actions">
          <button type="button" class="sf-button sf-primary" aria-label={t('cover.closeTab')} onClick={onCloseTab}>
            <T text={t('cover.closeTab')} />
          </button>
        </div>
        <div class="sf-cover-change" role="group" aria-label={t('cover.change')}>
          <T text={t('cover.change')} />
          {BREAK_CHOICES.map((m) => (
            <button
              type="button"
              class="sf-button sf-chip"
              aria-pressed={chosen === m ? 'true' : 'false'}
              aria-label={lengthLabel(m)}
              onClick={() => {
                setChosen(m);
                onChange(m);
              }}
            >
              <T text={lengthLabel(m)} />
            </button>
          ))}
        </div>
        <button type="button" class="sf-link sf-back" aria-label={t('cover.back')} onClick={onBack}>
          <T text={t('cover.back')} />
        </button>
      </div>
    </div>
  );
}
