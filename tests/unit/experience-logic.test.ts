import { describe, expect, it } from 'vitest';
import { breakUntil, endBreak, loadBreaks, nextBreakEnd, startBreak } from '@/utils/schedule/feed-break';
import { claimStop, loadStopRecord, postsUntilStop } from '@/utils/schedule/stopping-point';
import { fewerPauses, nextPostStep } from '@/utils/schedule/fewer-pauses';
import { INTENSITY_CADENCE, intensityOf } from '@/utils/schedule/presets';
import { windowProblem } from '@/utils/schedule/windows';
import { inWindow } from '@/utils/schedule/quiet-hours';
import { fixedOffsetCalendar } from '@/utils/schedule/calendar';
import { nextWakeAt } from '@/utils/schedule/wake';
import { SNOOZE_INDEFINITELY, snooze } from '@/utils/schedule/snooze';
import { initialState } from '@/utils/schedule/scheduler-state';
import { cadencePreviewText } from '@/utils/pages/cadence-preview';
import { loadOnboarding, onboardingAction } from '@/utils/background/onboarding';
import {
  DEFAULT_SETTINGS,
  SETTINGS_VERSION,
  mergeSettings,
  parseSettings,
  validateSettingsImport,
  wordLanguagesFor,
  type Settings,
} from '@/utils/storage/settings';
import { choicesFrom, choicesPatch, choicesProblem } from '@/components/welcome/welcome-choices';
import { fieldName, issueSentence } from '@/components/options/settings-errors';
import { minutesToMidnight } from '@/utils/content/stop-panel';
import { setLocale, t } from '@/utils/i18n';

const S = (patch: Parameters<typeof mergeSettings>[1] = {}): Settings => mergeSettings(structuredClone(DEFAULT_SETTINGS), patch);
const MIN = 60_000;

describe('a break from a feed', () => {
  it('starts, re-times, ends, and knows when the first one is over', () => {
    const now = 1_000_000;
    let b = startBreak({}, 'x', now, 15);
    expect(breakUntil(b, 'x', now)).toBe(now + 15 * MIN);
    expect(breakUntil(b, 'reddit', now)).toBeNull();
    b = startBreak(b, 'reddit', now + MIN, 60);
    expect(nextBreakEnd(b, now)).toBe(now + 15 * MIN);
    // A new length counts from now and keeps when the break began.
    const retimed = startBreak(b, 'x', now + 5 * MIN, 30);
    expect(retimed.x).toEqual({ until: now + 35 * MIN, startedAt: now });
    expect(breakUntil(endBreak(b, 'x'), 'x', now)).toBeNull();
    // Over at its end, whatever is stored.
    expect(breakUntil(b, 'x', now + 15 * MIN)).toBeNull();
  });

  it('keeps lengths within a day and survives a broken record', () => {
    expect(startBreak({}, 'x', 0, 99_999).x.until).toBe(24 * 60 * MIN);
    expect(startBreak({}, 'x', 0, 0).x.until).toBe(MIN);
    expect(loadBreaks({ x: { until: 'soon' }, y: { until: 5, startedAt: 1 }, z: { until: 500, startedAt: 1 } }, 10)).toEqual({
      z: { until: 500, startedAt: 1 },
    });
    expect(loadBreaks('garbage', 0)).toEqual({});
  });
});

describe('the stopping point', () => {
  const on = S({ stoppingPoint: { enabled: true, posts: 100 } });

  it('is off by default and comes once a day after the set number of posts', () => {
    expect(postsUntilStop(DEFAULT_SETTINGS, 5000, { shownDay: null }, '2025-03-10')).toBeNull();
    expect(postsUntilStop(on, 40, { shownDay: null }, '2025-03-10')).toBe(60);
    expect(postsUntilStop(on, 140, { shownDay: null }, '2025-03-10')).toBe(0);
    expect(postsUntilStop(on, 140, { shownDay: '2025-03-10' }, '2025-03-10')).toBeNull();
    expect(postsUntilStop(on, 140, { shownDay: '2025-03-09' }, '2025-03-10')).toBe(0);
  });

  it('grants a claim only when the posts are really there (counting what the tab has not sent yet), and only once', () => {
    expect(claimStop(on, 80, 5, { shownDay: null }, 'd')).toEqual({ show: false, left: 15 });
    const granted = claimStop(on, 95, 7, { shownDay: null }, 'd');
    expect(granted).toEqual({ show: true, posts: 102, record: { shownDay: 'd' } });
    expect(claimStop(on, 200, 0, granted.show ? granted.record : { shownDay: null }, 'd')).toEqual({ show: false, left: null });
    expect(loadStopRecord({ shownDay: 3 })).toEqual({ shownDay: null });
  });

  it('puts the feed away until midnight', () => {
    const evening = new Date(2025, 2, 10, 22, 30).getTime();
    expect(minutesToMidnight(evening)).toBe(90);
    expect(minutesToMidnight(new Date(2025, 2, 10, 0, 0, 30).getTime())).toBe(1440);
  });
});

describe('fewer pauses', () => {
  it('moves one step less often, where the value that governs the site lives, and says from what to what', () => {
    expect(nextPostStep(25)).toBe(40);
    expect(nextPostStep(1000)).toBe(1000);
    expect(fewerPauses(S(), 'x')).toMatchObject({ changed: true, scope: 'global', unit: 'posts', from: 25, to: 40, patch: { cadence: { everyPosts: 40 } } });
    const own = S({ sites: { x: { enabled: true, everyPosts: 10, collections: ['still'] } } });
    expect(fewerPauses(own, 'x')).toMatchObject({
      scope: 'site',
      from: 10,
      to: 15,
      patch: { sites: { x: { enabled: true, everyPosts: 15, collections: ['still'] } } },
    });
    expect(fewerPauses(S({ cadence: { everyPosts: 0, everyMinutes: 10 } }), 'x')).toMatchObject({ unit: 'minutes', from: 10, to: 15 });
    expect(fewerPauses(S({ cadence: { everyPosts: 1000 } }), 'x')).toEqual({ changed: false, reason: 'at-most' });
    expect(fewerPauses(S({ cadence: { everyPosts: 0, everyMinutes: 0 } }), 'x')).toEqual({ changed: false, reason: 'off' });
    // Every step is a patch the background accepts.
    for (const n of [1, 5, 25, 150, 900]) {
      const r = fewerPauses(S({ cadence: { everyPosts: n } }), 'x');
      if (r.changed) expect(validateSettingsImport(mergeSettings(S(), r.patch as never)).ok).toBe(true);
    }
  });
});

describe('intensity presets', () => {
  it('knows which preset a cadence is, and that the defaults are "balanced"', () => {
    expect(intensityOf(DEFAULT_SETTINGS.cadence)).toBe('balanced');
    for (const i of ['gentle', 'firm'] as const) expect(intensityOf({ ...DEFAULT_SETTINGS.cadence, ...INTENSITY_CADENCE[i] })).toBe(i);
    expect(intensityOf({ ...DEFAULT_SETTINGS.cadence, everyPosts: 33 })).toBeNull();
  });
});

describe('quiet hours: one rule', () => {
  const cal = fixedOffsetCalendar(0);
  const at = (d: number, h: number, m = 0) => Date.UTC(2025, 2, d, h, m); // 2025-03-10 is a Monday
  it('start = end is 24 hours (00:00–00:00 the whole day), for the scheduler, the form and the preview alike', () => {
    const sunday = { days: [0], start: '00:00', end: '00:00' };
    expect(windowProblem(sunday)).toEqual([]);
    expect(inWindow(sunday, at(9, 0, 0), cal)).toBe(true);
    expect(inWindow(sunday, at(9, 23, 59), cal)).toBe(true);
    expect(inWindow(sunday, at(10, 0, 1), cal)).toBe(false);
    const nine = { days: [1], start: '09:00', end: '09:00' };
    expect(inWindow(nine, at(11, 8, 59), cal)).toBe(true);
    expect(inWindow(nine, at(11, 9, 0), cal)).toBe(false);
    setLocale('en');
    const preview = (w: typeof sunday) => cadencePreviewText(S({ schedule: { mode: 'except', windows: [w] } }), t);
    expect(preview(sunday)).toContain('not all day on Sun');
    expect(preview(nine)).toContain('not for 24 hours from 09:00 on Mon');
    expect(windowProblem({ days: [], start: '9:00', end: '24:00' })).toEqual(['days', 'start', 'end']);
  });

  it('a snooze "until I turn it back on" wakes nobody', () => {
    const state = snooze(initialState(0), { siteKey: 'x' }, SNOOZE_INDEFINITELY);
    expect(nextWakeAt(DEFAULT_SETTINGS, state, 1000)).toBeNull();
  });
});

describe('settings version 2', () => {
  it('gives a fresh profile poem languages that follow its language', () => {
    expect(DEFAULT_SETTINGS.wordLanguages).toBe('auto');
    expect(wordLanguagesFor(DEFAULT_SETTINGS, 'en')).toEqual(['en']);
    expect(wordLanguagesFor(DEFAULT_SETTINGS, 'zh_CN')).toEqual(['zh', 'en']);
    expect(wordLanguagesFor(S({ wordLanguages: ['zh'] }), 'en')).toEqual(['zh']);
  });

  it('imports a version-1 file: the new fields get their defaults, the person’s own choices stay', () => {
    const v1 = { ...structuredClone(DEFAULT_SETTINGS), version: 1, wordLanguages: ['en', 'zh'] } as Record<string, unknown>;
    delete v1.breakMinutes;
    delete v1.stoppingPoint;
    const res = validateSettingsImport(v1);
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.settings.version).toBe(SETTINGS_VERSION);
      expect(res.settings.breakMinutes).toBe(15);
      expect(res.settings.compareWithSkips).toBe(true);
      expect(res.settings.stoppingPoint).toEqual({ enabled: false, posts: 300 });
      expect(res.settings.wordLanguages).toEqual(['en', 'zh']);
    }
    expect(parseSettings(v1).repaired).toEqual([]);
  });

  it('imports a version-2 file: the comparison\u2019s skips (version 3) are on, as for everyone, and said so in Insights', () => {
    const v2 = { ...structuredClone(DEFAULT_SETTINGS), version: 2 } as Record<string, unknown>;
    delete v2.compareWithSkips;
    const res = validateSettingsImport(v2);
    expect(res.ok && res.settings.compareWithSkips).toBe(true);
    expect(parseSettings(v2).repaired).toEqual([]);
    // A choice already made is kept.
    const off = validateSettingsImport({ ...v2, compareWithSkips: false });
    expect(off.ok && off.settings.compareWithSkips).toBe(false);
  });

  it('names a refused field in words, in the UI language, never as a schema message', () => {
    setLocale('en');
    const bad = { ...structuredClone(DEFAULT_SETTINGS), cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: -3 }, locale: 'klingon' };
    delete (bad as Record<string, unknown>).gentleHold;
    const res = validateSettingsImport(bad);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const sentences = res.issues.map((i) => issueSentence(i, t));
    expect(sentences).toContain('A pause every: the file has -3; it must be a whole number from 0 to 1000.');
    expect(sentences).toContain('Language: the file has "klingon", which cannot be used here.');
    expect(sentences).toContain('Gently blur the posts below a pause for a few seconds: missing from the file.');
    expect(sentences.join(' ')).not.toMatch(/Invalid|Expected|cadence\./);
    setLocale('zh_CN');
    expect(issueSentence({ path: 'cadence.everyPosts', received: '-3' }, t)).toBe('每隔多少条帖子暂停：文件里是 -3；应为 0 到 1000 之间的整数。');
    expect(fieldName('sites.reddit.enabled', t)).toBe('Reddit 的设置');
    setLocale('en');
  });
});

describe('the welcome page', () => {
  it('opens on a first install only, never on an update or a second time', () => {
    expect(onboardingAction('install', loadOnboarding(undefined))).toBe('welcome');
    expect(onboardingAction('update', loadOnboarding(undefined))).toBeNull();
    expect(onboardingAction('install', loadOnboarding({ welcomeShownAt: 5 }))).toBeNull();
    expect(onboardingAction('chrome_update', loadOnboarding(null))).toBeNull();
  });

  it('turns the choices into settings; untouched poem languages keep following the UI language', () => {
    const c = choicesFrom(DEFAULT_SETTINGS, 'en');
    expect(c).toEqual({ intensity: 'balanced', kinds: { still: true, words: true, breath: true, questions: true }, languages: ['en'] });
    const same = choicesPatch(DEFAULT_SETTINGS, 'en', c);
    expect(same.wordLanguages).toBe('auto');
    const chosen = choicesPatch(DEFAULT_SETTINGS, 'en', { ...c, intensity: 'gentle', kinds: { ...c.kinds, questions: false }, languages: ['en', 'zh'] });
    const res = validateSettingsImport(mergeSettings(DEFAULT_SETTINGS, chosen as never));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.settings.cadence.everyPosts).toBe(50);
    expect(res.settings.collections.questions).toEqual({ enabled: false, weight: 0.5 });
    expect(res.settings.collections.still).toEqual({ enabled: true, weight: 1 });
    expect(res.settings.wordLanguages).toEqual(['en', 'zh']);
    expect(choicesProblem({ ...c, kinds: { still: false, words: false, breath: false, questions: false } })).toBe('welcome.kinds.none');
    expect(choicesProblem({ ...c, languages: [] })).toBe('welcome.languages.none');
  });
});
