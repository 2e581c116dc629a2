import { describe, expect, it } from 'vitest';
import { cadencePreviewText, describeCadence } from '@/utils/pages/cadence-preview';
import * as catalog from '@/utils/i18n/catalog/schedule';
import { MESSAGES } from '@/utils/i18n';
import { plain } from './schedule-helpers';

type Table = Record<string, string>;
const tr = (table: Table) => (key: string, params?: Record<string, string | number>) => {
  const s = table[key];
  if (s === undefined) throw new Error(`missing key ${key}`);
  return params ? s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m)) : s;
};
const en = tr(catalog.en);
const zh = tr(catalog.zh_CN);

describe('describeCadence', () => {
  it('returns the main clause with numeric params', () => {
    expect(describeCadence(plain({ cadence: { jitterPct: 20 } }))).toMatchObject({ key: 'schedule.preview.posts', params: { posts: 40 } });
    expect(describeCadence(plain({ sites: { x: { enabled: true, everyPosts: 15 } } }), 'x')).toMatchObject({
      key: 'schedule.preview.postsExact',
      params: { posts: 15 },
    });
    expect(describeCadence(plain({ cadence: { everyPosts: 0, everyMinutes: 10 } }))).toMatchObject({
      key: 'schedule.preview.minutes',
      params: { minutes: 10 },
    });
    expect(describeCadence(plain({ cadence: { everyPosts: 0 } })).key).toBe('schedule.preview.off');
    expect(describeCadence(plain({ enabled: false })).key).toBe('schedule.preview.disabled');
    expect(describeCadence(plain({ sites: { x: { enabled: false } } }), 'x').key).toBe('schedule.preview.siteOff');
  });
});

describe('cadencePreviewText', () => {
  const full = plain({
    cadence: { everyPosts: 40, jitterPct: 20, dailyCap: 12 },
    schedule: { mode: 'except', windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] },
  });

  it('reads as one plain sentence', () => {
    expect(cadencePreviewText(full, en)).toBe('About one pause every 40 posts, at most 12 a day, not between 09:00 and 17:00 on weekdays.');
    expect(cadencePreviewText(full, zh)).toBe('大约每 40 条帖子暂停一次，每天最多 12 次，工作日 09:00 至 17:00 不暂停。');
  });

  it('covers every part', () => {
    const all = plain({
      cadence: {
        everyPosts: 30,
        jitterPct: 10,
        everyMinutes: 15,
        minGapMinutes: 20,
        dailyCap: 5,
        gracePosts: 10,
        escalateAfterMinutes: 30,
        escalateFactor: 0.5,
      },
      schedule: {
        mode: 'only',
        windows: [
          { days: [0, 6], start: '10:00', end: '12:00' },
          { days: [0, 3], start: '20:00', end: '23:00' },
        ],
      },
    });
    expect(cadencePreviewText(all, en)).toBe(
      'About one pause every 30 posts or 15 minutes of scrolling, whichever comes first, at most 5 a day, at least 20 minutes apart, ' +
        'none in the first 10 posts, more often after 30 minutes of scrolling, only between 10:00 and 12:00 at weekends or between 20:00 and 23:00 on Wed, Sun.',
    );
    expect(cadencePreviewText(all, zh)).toContain('周三、周日 20:00 至 23:00');
    expect(cadencePreviewText(plain({ enabled: false }), en)).toBe('Stillframe is off.');
    expect(cadencePreviewText(plain({ schedule: { mode: 'except', windows: [{ days: [], start: '22:00', end: '07:00' }] } }), en)).toBe(
      'One pause every 40 posts, not between 22:00 and 07:00 every day.',
    );
  });

  it('both locales have the same keys and placeholders, and the catalog is registered', () => {
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(catalog.zh_CN).sort()).toEqual(Object.keys(catalog.en).sort());
    for (const k of Object.keys(catalog.en) as Array<keyof typeof catalog.en>) expect(ph(catalog.zh_CN[k])).toEqual(ph(catalog.en[k]));
    expect(MESSAGES.en['schedule.preview.posts']).toBe(catalog.en['schedule.preview.posts']);
  });
});
