import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { render } from 'preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { installFakeBackground } from './fake-background';
import { route } from '@/utils/background/router';
import { readUserSettings, writeUserSettings } from '@/utils/background/settings-db';
import { DEFAULT_SETTINGS, mergeSettings } from '@/utils/storage/settings';
import { getDB } from '@/utils/storage/db';
import { setLocale } from '@/utils/i18n';
import { OptionsApp } from '@/components/options/OptionsApp';
import { bannerRepairs, DISMISSED_KEY, RECENT_REPAIR_MS } from '@/components/options/health';
import { showableUserCollections } from '@/components/options/CuratedCollections';
import { createCollection } from '@/utils/frames/user-frames';
import { logEvent } from '@/utils/storage/events';
import { noteDropped, resetStorageHealth } from '@/utils/storage/quota';
import { fullDisk, restoreDisk } from './full-disk';

/**
 * The options page's health notices, the per-site collection choice and the curated
 * collections' guard, against the real background (router + handlers, fake IndexedDB).
 */
function installBackground() {
  installFakeBackground((msg) => route(msg, { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html' as never) } as never));
}

let root: HTMLElement;

async function goto(hash: string) {
  location.hash = hash;
  await new Promise((r) => setTimeout(r, 20));
}

beforeEach(async () => {
  root = document.createElement('div');
  document.body.append(root);
  setLocale('en');
  localStorage.clear();
  await goto('');
});

afterEach(async () => {
  render(null, root);
  root.remove();
  await goto('');
});

async function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, what = 'condition', timeout = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const $ = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const need = (id: string) => until(() => $(id), id);

/** A user collection with one frame record (its image is only made into an object URL for the thumbnail). */
async function collectionWithFrame(name: string) {
  const c = await createCollection(name);
  const db = await getDB();
  await db.put('frames', {
    id: `user:${name}`,
    collectionId: c.id,
    caption: '',
    mime: 'image/webp',
    width: 1,
    height: 1,
    blob: new Uint8Array([1]) as never,
    createdAt: 1,
  });
  return c;
}

describe('health notices', () => {
  it('picks recent, undismissed repairs and names each field once', () => {
    const now = 10 * RECENT_REPAIR_MS;
    const repairs = [
      { ts: now - RECENT_REPAIR_MS - 1, fields: ['old'] },
      { ts: now - 5000, fields: ['cadence.everyPosts', 'locale'] },
      { ts: now - 1000, fields: ['cadence.everyPosts', 'sites.x'] },
    ];
    expect(bannerRepairs(repairs, 0, now)).toEqual({ fields: ['cadence.everyPosts', 'locale', 'sites.x'], latest: now - 1000 });
    expect(bannerRepairs(repairs, now - 5000, now)).toEqual({ fields: ['cadence.everyPosts', 'sites.x'], latest: now - 1000 });
    expect(bannerRepairs(repairs, now - 1000, now)).toBeNull();
    expect(bannerRepairs([], 0, now)).toBeNull();
  });

  it('shows a banner naming the repaired field, keeps the rest, and stays dismissed', async () => {
    const db = await getDB();
    await db.put(
      'settings',
      { ...structuredClone(DEFAULT_SETTINGS), cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: 'lots' }, gentleHold: true },
      'current',
    );
    installBackground();
    render(<OptionsApp />, root);
    const banner = await need('health-banner');
    // The field in the page's own words, not its path in the settings object.
    expect(banner.textContent).toContain('Some settings were damaged and went back to their defaults: A pause every');
    expect(banner.textContent).not.toContain('cadence.everyPosts');
    const s = (await readUserSettings()).settings;
    expect(s.cadence.everyPosts).toBe(25);
    expect(s.gentleHold).toBe(true);

    $('health-dismiss')!.click();
    await until(() => !$('health-banner'), 'banner gone');
    expect(Number(localStorage.getItem(DISMISSED_KEY))).toBeGreaterThan(0);
    render(null, root);
    render(<OptionsApp />, root);
    await need('global-toggle');
    await new Promise((r) => setTimeout(r, 100));
    expect($('health-banner')).toBeNull();
  });

  it('shows no banner when nothing was repaired', async () => {
    installBackground();
    render(<OptionsApp />, root);
    await need('global-toggle');
    await new Promise((r) => setTimeout(r, 100));
    expect($('health-banner')).toBeNull();
  });

  it('counts pruned log entries and refused messages in the Data section, in both languages', async () => {
    const db = await getDB();
    await db.put('state', 3, 'pruned-events');
    await db.add('events', { ts: Date.now(), type: 'message-dropped', detail: 'x' });
    await db.add('events', { ts: Date.now(), type: 'message-dropped', detail: 'y' });
    await goto('#data');
    installBackground();
    render(<OptionsApp />, root);
    await until(() => $('health-pruned')?.textContent === '3 old entries of your numbers were removed because the disk was full.', 'pruned');
    expect($('health-dropped')!.textContent).toBe('2 requests that did not come from Stillframe itself were refused.');

    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { locale: 'zh_CN' }));
    render(null, root);
    render(<OptionsApp />, root);
    await until(() => $('health-dropped')?.textContent === '拒绝了 2 个不是来自 Stillframe 本身的请求。', 'zh');
    expect($('health-pruned')!.textContent).toBe('因为磁盘满了，删除了 3 条较早的数字记录。');
  });
});

describe('a full disk, in the options page', () => {
  afterEach(() => {
    restoreDisk();
    resetStorageHealth();
  });

  it('says the storage is full, what still works and what was lost, in both languages', async () => {
    installBackground();
    // A write that found no room (the tally of a study-less reader): the worker noted it.
    fullDisk({ prunedFreesRoom: false });
    await logEvent({ ts: Date.now(), type: 'posts', value: 3 });
    restoreDisk();
    noteDropped('study', 2);
    render(<OptionsApp />, root);
    const notice = await need('storage-full-notice');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.textContent).toContain('Your device’s storage is full.');
    expect(notice.textContent).toContain('Free up some space on this device; everything saved before is safe.');
    expect($('storage-full-study')!.textContent).toBe('2 study records could not be saved while storage was full.');

    await goto('#data');
    await until(() => $('health-study-dropped')?.dataset.count === '2', 'study count in Data');
    expect($('health-events-dropped')!.textContent).toBe('1 activity entry could not be saved while storage was full.');
    expect($('health-storage')!.dataset.full).toBe('true');

    // A write that succeeds means there is room again: the notice goes (the counts stay in Data).
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { locale: 'zh_CN' }));
    render(null, root);
    render(<OptionsApp />, root);
    await until(() => $('health-storage')?.dataset.full === 'false', 'room again');
    expect($('storage-full-notice')!.dataset.state).toBe('was-full');
    expect($('storage-full-notice')!.textContent).toContain('几分钟前，设备的存储空间已满。');
    expect($('health-storage')!.textContent).toMatch(/^存储空间上一次已满是在 .+；现在已有空间。$/);
    // Full again, in Chinese.
    fullDisk({ prunedFreesRoom: false });
    await logEvent({ ts: Date.now(), type: 'posts', value: 1 });
    restoreDisk();
    render(null, root);
    render(<OptionsApp />, root);
    await until(() => $('storage-full-notice')?.textContent?.includes('设备的存储空间已满。'), 'zh notice');
    expect($('storage-full-study')!.textContent).toBe('存储空间已满期间，有 2 条研究记录没能保存。');
  });
});

describe('per-site collections in Sites', () => {
  it('lists the bundled and the user’s collections and saves a site’s choice', async () => {
    const mine = await collectionWithFrame('Mine');
    installBackground();
    render(<OptionsApp />, root);
    const words = (await need('site-collection-x-words')) as HTMLInputElement;
    await need(`site-collection-x-${mine.id}`);
    expect($('site-collections-x')!.dataset.all).toBe('true');
    expect(words.checked).toBe(true);
    words.click();
    await until(async () => (await readUserSettings()).settings.sites.x?.collections?.length === 4, 'saved');
    expect((await readUserSettings()).settings.sites.x).toEqual({ enabled: true, collections: ['still', 'breath', 'questions', mine.id] });
    await until(() => $('site-collections-x')?.dataset.all === 'false', 're-rendered');
    expect($('site-collections-x')!.querySelector('summary')!.textContent).toBe('Collections shown on X: 4 of 5');
    // Other sites keep every collection.
    expect(($('site-collection-reddit-words') as HTMLInputElement).checked).toBe(true);
  });

  it('keeps the last ticked collection of a site', async () => {
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { sites: { x: { enabled: true, collections: ['breath'] } } }));
    installBackground();
    render(<OptionsApp />, root);
    const breath = (await need('site-collection-x-breath')) as HTMLInputElement;
    expect(breath.checked).toBe(true);
    expect(breath.disabled).toBe(true);
    expect(($('site-collection-x-still') as HTMLInputElement).checked).toBe(false);
  });
});

describe('curated collections guard', () => {
  const offAllBut = (last: string) =>
    mergeSettings(DEFAULT_SETTINGS, {
      collections: Object.fromEntries(['still', 'words', 'breath', 'questions'].filter((id) => id !== last).map((id) => [id, { enabled: false, weight: 1 }])),
    });

  it('keeps the last bundled collection on when none of the user’s can show a frame', async () => {
    await createCollection('Empty'); // no frames: cannot stand in
    await writeUserSettings(offAllBut('questions'));
    await goto('#library');
    installBackground();
    render(<OptionsApp />, root);
    const last = (await need('collection-toggle-questions')) as HTMLButtonElement;
    await new Promise((r) => setTimeout(r, 100));
    expect(last.disabled).toBe(true);
  });

  it('lets every bundled collection go off while a user collection with frames is on', async () => {
    await collectionWithFrame('Mine');
    // The Library draws a thumbnail of the frame: happy-dom cannot make an object URL of a fake image.
    const restore = [URL.createObjectURL, URL.revokeObjectURL] as const;
    URL.createObjectURL = () => 'blob:fake';
    URL.revokeObjectURL = () => {};
    onTestFinished(() => void ([URL.createObjectURL, URL.revokeObjectURL] = restore));
    await writeUserSettings(offAllBut('questions'));
    await goto('#library');
    installBackground();
    render(<OptionsApp />, root);
    const last = (await need('collection-toggle-questions')) as HTMLButtonElement;
    await until(() => !last.disabled, 'enabled');
    last.click();
    await need('curated-only-yours');
    expect((await readUserSettings()).settings.collections.questions).toEqual({ enabled: false, weight: 0.5 });
  });

  it('counts only user collections that are on and hold frames', () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { collections: { b: { enabled: false, weight: 1 } } });
    expect(
      showableUserCollections(s, [
        { id: 'a', frameCount: 2 },
        { id: 'b', frameCount: 3 },
        { id: 'c', frameCount: 0 },
      ]),
    ).toBe(1);
  });
});
