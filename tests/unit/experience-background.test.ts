import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { route } from '@/utils/background/router';
import { readUserSettings, writeUserSettings } from '@/utils/background/settings-db';
import { maybeWelcome } from '@/utils/background/onboarding';
import { notePendingSite, takePendingSites } from '@/utils/background/pending-sites';
import { DEFAULT_SETTINGS, mergeSettings } from '@/utils/storage/settings';
import { readState } from '@/utils/background/state-store';

const content = (tabId = 7) => ({ id: fakeBrowser.runtime.id, url: 'http://127.0.0.1/demo.html', tab: { id: tabId } as any });
const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') });
const ask = async (msg: unknown, sender: any = content()): Promise<any> => {
  const res = await route(msg, sender);
  if (!res.ok) throw new Error(res.error);
  return res.data;
};

describe('a break from the feed, in the background', () => {
  it('is stored, reaches every tab of the site through its config, and ends early on "back to the feed"', async () => {
    const t0 = Date.now();
    const { until } = await ask({ type: 'break/start', siteKey: 'demo', minutes: 20 });
    expect(until).toBeGreaterThanOrEqual(t0 + 20 * 60_000);
    // Another tab of the same site (or this one after a reload) is covered too, and watches nothing.
    const other = await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content(8));
    expect(other.feedBreak).toEqual({ until });
    expect(other.active).toBe(false);
    expect(other.ticket).toBeNull();
    // Another site is not on a break.
    expect((await ask({ type: 'content/hello', siteKey: 'x', feedRoute: true })).feedBreak).toBeNull();
    const alarm = await fakeBrowser.alarms.get('stillframe-break');
    expect(alarm?.scheduledTime).toBe(until);

    await ask({ type: 'break/end', siteKey: 'demo' });
    const back = await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content(8));
    expect(back.feedBreak).toBeNull();
    expect(back.active).toBe(true);
    expect(await fakeBrowser.alarms.get('stillframe-break')).toBeUndefined();
  });

  it('closes the tab that asked, and only from a tab', async () => {
    const remove = vi.spyOn(fakeBrowser.tabs, 'remove').mockResolvedValue();
    await ask({ type: 'tab/close' }, content(12));
    expect(remove).toHaveBeenCalledWith(12);
    expect((await route({ type: 'tab/close' }, page())).ok).toBe(false);
  });
});

describe('the frame’s footer, in the background', () => {
  it('"Why am I seeing this?" opens the settings at this site', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    await ask({ type: 'frame/why', siteKey: 'custom:social.example' });
    expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/options.html?site=custom%3Asocial.example#sites' as never) });
  });

  it('"Fewer pauses" changes the setting that governs the site, saves it, and says from what to what', async () => {
    expect(await ask({ type: 'frame/fewer-pauses', siteKey: 'demo' })).toEqual({ changed: true, scope: 'global', unit: 'posts', from: 25, to: 40 });
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(40);
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { sites: { demo: { enabled: true, everyPosts: 60 } } }));
    expect(await ask({ type: 'frame/fewer-pauses', siteKey: 'demo' })).toMatchObject({ scope: 'site', from: 60, to: 100 });
    expect((await readUserSettings()).settings.sites.demo).toEqual({ enabled: true, everyPosts: 100 });
    expect((await readUserSettings()).settings.cadence.everyPosts).toBe(25);
  });
});

describe('the stopping point, in the background', () => {
  it('tells tabs how far it is, grants it once a day across tabs, and not before the posts are there', async () => {
    expect((await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true })).stopLeft).toBeNull();
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { stoppingPoint: { enabled: true, posts: 30 } }));
    expect((await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true })).stopLeft).toBe(30);
    expect(await ask({ type: 'posts/progress', siteKey: 'demo', posts: 20, activeMs: 1000 })).toEqual({ ok: true, stopLeft: 10 });
    expect(await ask({ type: 'stop/claim', siteKey: 'demo', unsent: 4 })).toEqual({ show: false, left: 6 });
    expect(await ask({ type: 'stop/claim', siteKey: 'demo', unsent: 10 }, content(9))).toEqual({ show: true, posts: 30 });
    expect(await ask({ type: 'stop/claim', siteKey: 'demo', unsent: 50 })).toEqual({ show: false, left: null });
    expect((await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true })).stopLeft).toBeNull();
  });
});

describe('the first pause of a day', () => {
  it('is marked, so the frame does not count posts since a pause that was not today', async () => {
    // The comparison's random skips off: these claims must show their frames (utils/schedule/decision.ts).
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { cadence: { everyPosts: 3, jitterPct: 0 }, compareWithSkips: false }));
    const first = await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true });
    await ask({ type: 'posts/progress', siteKey: 'demo', posts: 4, activeMs: 100 });
    const c1 = await ask({ type: 'ticket/claim', ticketId: first.ticket.id, siteKey: 'demo' });
    expect(c1).toMatchObject({ ok: true, firstToday: true });
    // The tab put the frame in the page: now it is today's first pause.
    await ask({ type: 'frame/placed', ticketId: first.ticket.id, siteKey: 'demo' });
    await ask({ type: 'posts/progress', siteKey: 'demo', posts: 4, activeMs: 100 });
    const c2 = await ask({ type: 'ticket/claim', ticketId: c1.next.id, siteKey: 'demo' });
    expect(c2).toMatchObject({ ok: true, firstToday: false, postsSince: 4 });
  });
});

describe('a snooze of your own length, and without an end', () => {
  it('ends after the chosen minutes, or not until turned back on', async () => {
    const t0 = Date.now();
    const s = await ask({ type: 'snooze/set', siteKey: 'demo', kind: 'minutes', minutes: 45 }, page());
    expect(s.snoozedUntil).toBeGreaterThanOrEqual(t0 + 45 * 60_000);
    expect(s.snoozedUntil).toBeLessThan(t0 + 46 * 60_000);
    const forever = await ask({ type: 'snooze/set', kind: 'indefinite' }, page());
    expect(forever.snoozedUntil).toBe(Number.MAX_SAFE_INTEGER);
    expect((await route({ type: 'snooze/set', kind: 'minutes' }, page())).ok).toBe(false);
    expect((await route({ type: 'snooze/set', kind: 'minutes', minutes: 0 }, page())).ok).toBe(false);
  });
});

describe('the welcome page and "Add this site"', () => {
  it('opens the welcome page once on install, never on update', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    expect(await maybeWelcome('update')).toBe(false);
    expect(await maybeWelcome('install')).toBe(true);
    expect(await maybeWelcome('install')).toBe(false);
    expect(create).toHaveBeenCalledTimes(1);
    expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/welcome.html' as never) });
  });

  it('finishes "Add this site" only for an origin the popup named', async () => {
    await notePendingSite('https://social.example/home');
    expect(await takePendingSites(['https://other.example/*'])).toEqual([]);
    expect(await takePendingSites(['https://social.example/*'])).toEqual(['https://social.example']);
    expect(await takePendingSites(['https://social.example/*'])).toEqual([]);
    await expect(notePendingSite('chrome://settings')).rejects.toThrow();
  });
});

describe('poem languages that change', () => {
  it('start a new round of the Words collection, so the new language comes at once', async () => {
    const off = { enabled: false, weight: 1 };
    await writeUserSettings(
      mergeSettings(DEFAULT_SETTINGS, {
        cadence: { everyPosts: 1, jitterPct: 0 },
        collections: { still: off, breath: off, questions: off },
        compareWithSkips: false,
      }),
    );
    const claimOne = async (ticketId: string) => {
      await ask({ type: 'posts/progress', siteKey: 'demo', posts: 2, activeMs: 100 });
      return ask({ type: 'ticket/claim', ticketId, siteKey: 'demo' });
    };
    let c = await claimOne((await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true })).ticket.id);
    expect(c.frame.id).toMatch(/^words:en:/);
    const page = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    // Both languages now: the English round that was under way would hold the Chinese poems back.
    await ask({ type: 'settings/patch', patch: { wordLanguages: ['en', 'zh'] } }, page);
    c = await claimOne((await ask({ type: 'content/hello', siteKey: 'demo', feedRoute: true })).ticket.id);
    const bag = (await readState()).bags.words;
    expect(bag.some((id) => id.startsWith('words:zh:'))).toBe(true);
    expect(bag).toHaveLength(76);
  });
});
