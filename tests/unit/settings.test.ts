import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, validateSettingsImport, mergeSettings } from '@/utils/storage/settings';
import { siteEnabled } from '@/utils/storage/site-state';
import { readUserSettings, writeUserSettings } from '@/utils/background/settings-db';
import { getDB } from '@/utils/storage/db';

describe('settings schema', () => {
  it('gives defaults when nothing is stored', () => {
    const { settings, repaired } = parseSettings(undefined);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(repaired).toEqual([]);
  });

  it('repairs a corrupt field and keeps the rest of the user choices', () => {
    const stored = structuredClone(DEFAULT_SETTINGS) as any;
    stored.cadence.everyPosts = 'lots';
    stored.cadence.dailyCap = 7;
    stored.gentleHold = true;
    stored.locale = 'klingon';
    stored.sites = { x: { enabled: false }, reddit: { enabled: 'maybe' } };
    const { settings, repaired } = parseSettings(stored);
    expect(settings.cadence.everyPosts).toBe(25);
    expect(settings.cadence.dailyCap).toBe(7);
    expect(settings.gentleHold).toBe(true);
    expect(settings.locale).toBe('auto');
    expect(settings.sites).toEqual({ x: { enabled: false } });
    expect(repaired.sort()).toEqual(['cadence.everyPosts', 'locale', 'sites.reddit']);
  });

  it('treats a non-object as fully corrupt', () => {
    expect(parseSettings('garbage').repaired).toEqual(['settings']);
    expect(parseSettings(42).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('fills fields added in later versions from defaults without calling them corrupt', () => {
    const old = structuredClone(DEFAULT_SETTINGS) as any;
    delete old.gentleHold;
    delete old.cadence.escalateFactor;
    const { settings, repaired } = parseSettings(old);
    expect(settings.gentleHold).toBe(false);
    expect(settings.cadence.escalateFactor).toBe(0.6);
    expect(repaired).toEqual([]);
  });

  it('import validation names the bad field', () => {
    const bad = structuredClone(DEFAULT_SETTINGS) as any;
    bad.cadence.jitterPct = 80;
    const res = validateSettingsImport(bad);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors.join('\n')).toMatch(/cadence\.jitterPct/);
    expect(validateSettingsImport(DEFAULT_SETTINGS).ok).toBe(true);
  });

  it('merges patches deeply and honours site switches', () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { cadence: { everyPosts: 10 }, sites: { x: { enabled: false } } });
    expect(s.cadence.everyPosts).toBe(10);
    expect(s.cadence.jitterPct).toBe(20);
    expect(siteEnabled(s, 'x')).toBe(false);
    expect(siteEnabled(s, 'reddit')).toBe(true);
    expect(siteEnabled({ ...s, enabled: false }, 'reddit')).toBe(false);
  });
});

describe('settings store', () => {
  it('repairs a corrupt stored record, saves the repair and leaves a notice', async () => {
    const db = await getDB();
    await db.put('settings', { ...DEFAULT_SETTINGS, cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: -3 } }, 'current');
    const { settings, repaired } = await readUserSettings();
    expect(settings.cadence.everyPosts).toBe(25);
    expect(repaired).toEqual(['cadence.everyPosts']);
    expect((await db.get('settings', 'current')) as any).toEqual(settings);
    const notices = await db.getAllFromIndex('events', 'byType', 'notice');
    expect(notices[0].detail).toMatch(/settings-repaired:cadence.everyPosts/);
  });

  it('round-trips saved settings', async () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { cadence: { everyPosts: 40 } });
    await writeUserSettings(s);
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(40);
  });
});

describe('custom sites', () => {
  it('are off until the user added them, then follow their switch', () => {
    expect(siteEnabled(DEFAULT_SETTINGS, 'custom:example.org')).toBe(false);
    expect(siteEnabled(DEFAULT_SETTINGS, 'mastodon:mastodon.social')).toBe(false);
    const added = mergeSettings(DEFAULT_SETTINGS, { customSites: ['https://example.org', 'https://mastodon.social'] });
    expect(siteEnabled(added, 'custom:example.org')).toBe(true);
    expect(siteEnabled(added, 'mastodon:mastodon.social')).toBe(true);
    expect(siteEnabled(mergeSettings(added, { sites: { 'custom:example.org': { enabled: false } } }), 'custom:example.org')).toBe(false);
  });
});
