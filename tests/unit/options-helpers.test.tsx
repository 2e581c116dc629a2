import { describe, expect, it } from 'vitest';
import { CADENCE_FIELDS, newWindow, schemaLimits, toggleDay, windowsErrors } from '@/components/options/cadence-form';
import { dailySeries, hasData, rangeStart, summarize } from '@/utils/pages/insights-data';
import { localDay } from '@/utils/schedule/calendar';
import { exportFileName, exportJson, parseImportText } from '@/utils/pages/data-io';
import { cadencePatch, cadenceTarget, checkNumber, sitePatch, siteSwitch, withoutCustomSite, withoutSiteOverride } from '@/components/ui/settings-helpers';
import { displayHost, formatUntil, snoozeView, tabIdFromSearch } from '@/components/popup/popup-logic';
import { sectionFromHash } from '@/components/options/OptionsApp';
import { CadenceSchema, DEFAULT_SETTINGS, mergeSettings, validateSettingsImport, type Settings } from '@/utils/storage/settings';
import type { SiteStatus } from '@/utils/messaging/messages';
import { formatClock, formatHhmm, timeTag } from '@/utils/i18n/format';
import { SNOOZE_INDEFINITELY } from '@/utils/schedule/snooze';

const S = (patch: Parameters<typeof mergeSettings>[1] = {}): Settings => mergeSettings(structuredClone(DEFAULT_SETTINGS), patch);
/** A patch is only useful if the background will accept it: merge and validate as it does. */
const applies = (s: Settings, patch: Parameters<typeof mergeSettings>[1]) => validateSettingsImport(mergeSettings(s, patch));

describe('cadence form', () => {
  it('reads each field’s limits from the settings schema', () => {
    expect(schemaLimits(CadenceSchema.entries.everyPosts)).toEqual({ min: 0, max: 1000, integer: true });
    expect(schemaLimits(CadenceSchema.entries.escalateFactor)).toEqual({ min: 0.1, max: 1, integer: false });
    // every knob of the schema is on the page, and nothing else
    expect(CADENCE_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(CadenceSchema.entries).sort());
    expect(CADENCE_FIELDS.find((f) => f.key === 'everyPosts')!.testid).toBe('every-posts');
  });

  it('names each hours row that cannot be saved, by path; the same start and end is a whole day, not an error', () => {
    expect(windowsErrors(DEFAULT_SETTINGS.schedule.windows)).toEqual({});
    const e = windowsErrors([
      { days: [], start: '25:00', end: '07:00' },
      { days: [1], start: '09:00', end: '09:00' },
      { days: [2], start: '', end: '' },
    ]);
    expect(e['schedule.windows.0.days'].key).toBe('options.error.noDays');
    expect(e['schedule.windows.0.start'].key).toBe('options.error.time');
    expect(e['schedule.windows.1.end']).toBeUndefined();
    expect(e['schedule.windows.2.start'].key).toBe('options.error.time');
    expect(Object.keys(windowsErrors(Array.from({ length: 21 }, () => newWindow('except'))))).toEqual(['schedule.windows']);
  });

  it('agrees with the schema: hours without errors are a patch the background accepts', () => {
    const windows = [newWindow('except'), toggleDay(newWindow('only'), 6), { days: [0], start: '00:00', end: '00:00' }];
    expect(windowsErrors(windows)).toEqual({});
    const res = applies(DEFAULT_SETTINGS, { schedule: { mode: 'except', windows } });
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.settings.schedule.windows[1].days).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('toggles days keeping them sorted', () => {
    const w = { days: [1, 5], start: '09:00', end: '17:00' };
    expect(toggleDay(w, 3).days).toEqual([1, 3, 5]);
    expect(toggleDay(w, 5).days).toEqual([1]);
  });
});

describe('settings helpers', () => {
  it('patches a site that has no entry yet with a valid entry', () => {
    const s = S();
    const p = sitePatch(s, 'reddit', { everyPosts: 30 });
    expect(p).toEqual({ sites: { reddit: { enabled: true, everyPosts: 30 } } });
    expect(applies(s, p).ok).toBe(true);
    expect(applies(s, sitePatch(s, 'x', { enabled: false })).ok).toBe(true);
  });

  it('keeps a site’s override when switching it and removes it through a full replace', () => {
    const s = S({ sites: { x: { enabled: true, everyPosts: 12 } } });
    const off = mergeSettings(s, sitePatch(s, 'x', { enabled: false }));
    expect(off.sites.x).toEqual({ enabled: false, everyPosts: 12 });
    expect(siteSwitch(off, 'x')).toBe(false);
    expect(siteSwitch(off, 'youtube')).toBe(true);
    const removed = withoutSiteOverride(off, 'x');
    expect(removed.sites.x).toEqual({ enabled: false });
    expect(off.sites.x.everyPosts).toBe(12); // the original is untouched
    expect(validateSettingsImport(removed).ok).toBe(true);
  });

  it('edits every-N where it governs the site', () => {
    const s = S({ sites: { x: { enabled: true, everyPosts: 12 } } });
    expect(cadenceTarget(s, 'x')).toEqual({ value: 12, scope: 'site' });
    expect(cadenceTarget(s, 'reddit')).toEqual({ value: 25, scope: 'global' });
    expect(cadenceTarget(s, null)).toEqual({ value: 25, scope: 'global' });
    expect(cadencePatch(s, 'x', 50)).toEqual({ sites: { x: { enabled: true, everyPosts: 50 } } });
    expect(cadencePatch(s, 'reddit', 50)).toEqual({ cadence: { everyPosts: 50 } });
  });

  it('removes a custom site and its entry', () => {
    const s = S({ customSites: ['https://a.example', 'https://b.example'], sites: { 'custom:a.example': { enabled: false } } });
    const next = withoutCustomSite(s, 'https://a.example', 'custom:a.example');
    expect(next.customSites).toEqual(['https://b.example']);
    expect(next.sites['custom:a.example']).toBeUndefined();
  });

  it('never clamps or rounds a typed number: out of range, fractions and text are refused with a reason', () => {
    const whole = { min: 0, max: 10, integer: true };
    expect(checkNumber(' 7 ', whole)).toEqual({ ok: true, value: 7 });
    expect(checkNumber('12', whole)).toEqual({ ok: false, key: 'common.number.range', params: { value: '12', min: 0, max: 10 } });
    expect(checkNumber('-3', whole)).toEqual({ ok: false, key: 'common.number.range', params: { value: '-3', min: 0, max: 10 } });
    expect(checkNumber('7.6', whole)).toEqual({ ok: false, key: 'common.number.whole', params: { value: '7.6' } });
    expect(checkNumber('abc', whole)).toMatchObject({ ok: false, key: 'common.number.notNumber' });
    expect(checkNumber('', whole)).toMatchObject({ ok: false, key: 'common.number.empty' });
    expect(checkNumber('', { ...whole, allowEmpty: true })).toEqual({ ok: true, value: null });
    expect(checkNumber('0,5', { min: 0.1, max: 1, integer: false })).toEqual({ ok: true, value: 0.5 });
  });
});

describe('insights data', () => {
  const day = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime();

  it('sums posts and counts pauses per local day, zero-filling quiet days', () => {
    const now = day(2025, 3, 10, 9);
    const events = [
      { ts: day(2025, 3, 10, 0) + 1, type: 'posts' as const, value: 10 },
      { ts: day(2025, 3, 10, 8), type: 'posts' as const, value: 5 },
      { ts: day(2025, 3, 10, 8), type: 'frame-shown' as const, value: 4000 },
      { ts: day(2025, 3, 8, 23), type: 'posts' as const, value: 7 },
      { ts: day(2025, 3, 8, 23), type: 'frame-shown' as const },
      { ts: day(2025, 3, 8, 23), type: 'frame-shown' as const },
      { ts: day(2025, 3, 8), type: 'frame-action' as const, value: 999 },
      { ts: day(2025, 2, 1), type: 'posts' as const, value: 1000 }, // outside the range
      { ts: day(2025, 3, 9), type: 'posts' as const, value: -3 }, // nonsense is ignored
    ];
    const s = dailySeries(events, now, 3);
    expect(s.days).toEqual(['2025-03-08', '2025-03-09', '2025-03-10']);
    expect(s.posts).toEqual([7, 0, 15]);
    expect(s.pauses).toEqual([2, 0, 1]);
    expect(s.x[0]).toBe(new Date(2025, 2, 8).getTime() / 1000);
    expect(hasData(s)).toBe(true);
    expect(summarize(s)).toEqual({ totalPosts: 22, totalPauses: 3, activeDays: 2, avgPostsPerActiveDay: 11, postsPerPause: 7 });
  });

  it('has no data when nothing was logged', () => {
    const s = dailySeries([], Date.now(), 14);
    expect(s.days).toHaveLength(14);
    expect(hasData(s)).toBe(false);
    expect(summarize(s).postsPerPause).toBeNull();
    expect(rangeStart(day(2025, 3, 10), 1)).toBe(new Date(2025, 2, 10).getTime());
    expect(localDay(day(2025, 1, 2))).toBe('2025-01-02');
  });
});

describe('data import and export', () => {
  it('round-trips settings through the exported JSON', () => {
    const s = S({ cadence: { everyPosts: 33 } });
    const parsed = parseImportText(exportJson(s));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(validateSettingsImport(parsed.value)).toEqual({ ok: true, settings: s });
    expect(exportFileName(new Date(2025, 0, 5).getTime())).toBe('stillframe-settings-2025-01-05.json');
  });

  it('says why a file cannot be read', () => {
    const bad = parseImportText('{ not json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.key).toBe('options.data.import.notJson');
    const arr = parseImportText('[1,2]');
    expect(!arr.ok && arr.error.key).toBe('options.data.import.notObject');
    expect(parseImportText('\uFEFF{"a":1}').ok).toBe(true);
  });
});

describe('popup logic', () => {
  const status = (p: Partial<SiteStatus>): SiteStatus => ({ siteKey: 'x', enabled: true, snoozedUntil: null, adapterStatus: null, reason: null, ...p });
  const now = 1_000_000;

  it('tells a site snooze from a global one', () => {
    expect(snoozeView(status({}), status({ siteKey: null }), now)).toBeNull();
    expect(snoozeView(status({ snoozedUntil: now + 60_000 }), status({ siteKey: null }), now)).toEqual({ until: now + 60_000, scope: 'site' });
    expect(snoozeView(status({ snoozedUntil: now + 60_000 }), status({ siteKey: null, snoozedUntil: now + 60_000 }), now)).toEqual({
      until: now + 60_000,
      scope: 'all',
    });
    // a longer site snooze wins over a shorter global one
    expect(snoozeView(status({ snoozedUntil: now + 90_000 }), status({ siteKey: null, snoozedUntil: now + 60_000 }), now)!.scope).toBe('site');
    // on a page that is not a feed there is only the global snooze
    expect(snoozeView(null, status({ siteKey: null, snoozedUntil: now + 5 }), now)).toEqual({ until: now + 5, scope: 'all' });
    expect(snoozeView(status({ snoozedUntil: now - 1 }), null, now)).toBeNull();
  });

  it('writes times in the locale’s own clock: 24 h in Chinese, the browser’s English region in English', () => {
    const at = new Date(2025, 2, 10, 15, 30).getTime();
    const before = new Date(2025, 2, 10, 14, 0).getTime();
    expect(formatUntil(at, before, 'zh_CN')).toBe('15:30');
    expect(formatClock(at, before, 'en', timeTag('en', ['en-GB']))).toBe('15:30');
    expect(formatClock(at, before, 'en', timeTag('en', ['en-US']))).toBe('3:30 PM');
    // another day: with the weekday
    expect(formatClock(new Date(2025, 2, 11, 0, 0).getTime(), at, 'en', 'en-GB')).toMatch(/^Tue,? 00:00$/);
    expect(formatHhmm('07:05', 'zh_CN')).toBe('07:05');
    expect(formatHhmm('19:05', 'en', 'en-US')).toBe('7:05 PM');
    expect(formatHhmm('not a time', 'en')).toBe('not a time');
  });

  it('turns "snoozed until I turn it back on" into no end time at all', () => {
    const now = 1_000_000;
    expect(snoozeView(status({ snoozedUntil: SNOOZE_INDEFINITELY }), null, now)).toEqual({ until: null, scope: 'site' });
  });

  it('reads the tab id and shortens hosts', () => {
    expect(tabIdFromSearch('?tabId=42')).toBe(42);
    expect(tabIdFromSearch('?tabId=abc')).toBeUndefined();
    expect(tabIdFromSearch('')).toBeUndefined();
    expect(displayHost('www.reddit.com')).toBe('reddit.com');
    expect(displayHost('bsky.app')).toBe('bsky.app');
    expect(displayHost(null)).toBeNull();
  });

  it('routes unknown hashes to the first section', () => {
    expect(sectionFromHash('#data')).toBe('data');
    expect(sectionFromHash('#nope')).toBe('sites');
    expect(sectionFromHash('')).toBe('sites');
  });
});
