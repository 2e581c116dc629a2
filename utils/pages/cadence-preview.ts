import { effectiveEveryPosts } from '@/utils/schedule/gates';
import type { Settings } from '@/utils/storage/settings';
import { siteState } from '@/utils/storage/site-state';

/**
 * The cadence in plain language for the popup, the options page and the welcome page: UI text
 * (keys in utils/i18n/catalog/schedule.ts), composed from the settings the scheduler reads.
 */

export interface CadencePart {
  key: string;
  params: Record<string, string | number>;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

function daysPart(days: number[]): CadencePart {
  const set = [...new Set(days)].sort((a, b) => a - b);
  if (set.length === 0 || set.length === 7) return { key: 'schedule.days.every', params: {} };
  if (set.length === 5 && set.every((d, i) => d === WEEKDAYS[i])) return { key: 'schedule.days.weekdays', params: {} };
  if (set.length === 2 && set[0] === 0 && set[1] === 6) return { key: 'schedule.days.weekends', params: {} };
  // Monday-first order reads naturally in both locales
  const ordered = [...set.filter((d) => d !== 0), ...set.filter((d) => d === 0)];
  return { key: 'schedule.days.list', params: { list: ordered.join(',') } };
}

/**
 * The cadence in parts: the main clause first (its key and numeric params are also returned
 * as `key`/`params`), then the limits that apply. `cadencePreviewText` turns it into a sentence.
 */
export function describeCadence(settings: Settings, siteKey?: string): { key: string; params: Record<string, number>; parts: CadencePart[] } {
  const c = settings.cadence;
  const posts = siteKey !== undefined ? effectiveEveryPosts(settings, siteKey) : c.everyPosts;
  const main = (key: string, params: Record<string, number>) => ({ key, params, parts: [{ key, params } as CadencePart] });

  if (!settings.enabled) return main('schedule.preview.disabled', {});
  if (siteKey !== undefined && !siteState(settings, siteKey).switchOn) return main('schedule.preview.siteOff', {});
  if (posts === 0 && c.everyMinutes === 0) return main('schedule.preview.off', {});

  let key: string;
  const params: Record<string, number> = {};
  if (posts > 0) params.posts = posts;
  if (c.everyMinutes > 0) params.minutes = c.everyMinutes;
  if (posts > 0 && c.everyMinutes > 0) key = c.jitterPct > 0 ? 'schedule.preview.postsOrMinutes' : 'schedule.preview.postsOrMinutesExact';
  else if (posts > 0) key = c.jitterPct > 0 ? 'schedule.preview.posts' : 'schedule.preview.postsExact';
  else key = 'schedule.preview.minutes';

  const parts: CadencePart[] = [{ key, params }];
  if (c.dailyCap > 0) parts.push({ key: 'schedule.preview.cap', params: { cap: c.dailyCap } });
  if (c.minGapMinutes > 0) parts.push({ key: 'schedule.preview.gap', params: { gap: c.minGapMinutes } });
  if (c.gracePosts > 0) parts.push({ key: 'schedule.preview.grace', params: { grace: c.gracePosts } });
  if (c.escalateAfterMinutes > 0 && posts > 0 && c.escalateFactor < 1) {
    parts.push({ key: 'schedule.preview.escalate', params: { minutes: c.escalateAfterMinutes } });
  }
  const { mode, windows } = settings.schedule;
  if (mode !== 'always' && windows.length > 0) {
    parts.push({ key: mode === 'only' ? 'schedule.preview.only' : 'schedule.preview.except', params: { count: windows.length } });
  }
  return { key, params, parts };
}

/** Composes the preview sentence, e.g. "About one pause every 40 posts, at most 12 a day, not between 09:00 and 17:00 on weekdays." */
export function cadencePreviewText(
  settings: Settings,
  t: (key: string, params?: Record<string, string | number>) => string,
  siteKey?: string,
  /** Writes a stored "HH:MM" in the reader's clock (utils/i18n/format.ts); as stored by default. */
  time: (hhmm: string) => string = (hhmm) => hhmm,
): string {
  const { parts } = describeCadence(settings, siteKey);
  const sep = t('schedule.preview.sep');
  const texts = parts.map((p) => {
    if (p.key === 'schedule.preview.only' || p.key === 'schedule.preview.except') {
      const windows = settings.schedule.windows.map((w) => {
        const d = daysPart(w.days);
        const days =
          d.key === 'schedule.days.list'
            ? t('schedule.days.list', {
                list: String(d.params.list)
                  .split(',')
                  .map((n) => t(`schedule.day.${n}`))
                  .join(t('schedule.list.sep')),
              })
            : t(d.key);
        // Start = end is a whole day from that time (inWindow): said so, not "from 09:00 to 09:00".
        if (w.start === w.end) return t(w.start === '00:00' ? 'schedule.preview.windowAllDay' : 'schedule.preview.window24h', { start: time(w.start), days });
        return t('schedule.preview.window', { start: time(w.start), end: time(w.end), days });
      });
      return t(p.key, { windows: windows.join(t('schedule.preview.or')) });
    }
    return t(p.key, p.params);
  });
  const sentence = texts.join(sep);
  const end = t('schedule.preview.end');
  return sentence.endsWith(end) ? sentence : sentence + end;
}
