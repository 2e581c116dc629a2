/**
 * The Firefox suite: the Firefox store zip (a release build, as addons.mozilla.org gets it),
 * installed in a stock Firefox (Debian's firefox-esr; scripts/find-browser.mjs installs it when
 * run as root) and driven over WebDriver BiDi by puppeteer-core. It covers what the Chromium
 * suite covers that can run over BiDi: every site at its real origin, the popup's site switch,
 * the event page stopped mid-scroll, the study from consent to export — and that a release
 * leaves local pages (127.0.0.1) alone.
 *
 * Firefox missing: in CI (CI=true) every test fails with what to install; elsewhere they skip
 * and say why.
 */
import { test, expect } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { ensureFirefox } from '../../scripts/find-browser.mjs';
import { FirefoxExtension, poll } from '../../scripts/lib/firefox-browser.mjs';
import { parseCsv } from '../../utils/study/export';
import { POSTS_BEFORE_FRAMES } from './frame-anchor';

const ROOT = process.cwd();
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'feeds');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const EVERY = 5;

const SITES = [
  { key: 'x', url: 'https://x.com/home', fixture: 'x.html' },
  { key: 'reddit', url: 'https://www.reddit.com/', fixture: 'reddit.html' },
  { key: 'reddit', url: 'https://old.reddit.com/', fixture: 'old-reddit.html' },
  { key: 'youtube', url: 'https://www.youtube.com/', fixture: 'youtube.html' },
  { key: 'instagram', url: 'https://www.instagram.com/', fixture: 'instagram.html' },
  { key: 'facebook', url: 'https://www.facebook.com/', fixture: 'facebook.html' },
  { key: 'linkedin', url: 'https://www.linkedin.com/feed/', fixture: 'linkedin.html' },
  { key: 'bluesky', url: 'https://bsky.app/', fixture: 'bluesky.html' },
  { key: 'threads', url: 'https://www.threads.com/', fixture: 'threads.html' },
  { key: 'tumblr', url: 'https://www.tumblr.com/dashboard', fixture: 'tumblr.html' },
];

let firefox: string | null = null;
let missing = '';
let work: string;
let extensionDir: string;
let ff: FirefoxExtension | null = null;

test.beforeAll(() => {
  // On a fresh Debian machine as root (CI), this first installs firefox-esr with apt-get.
  test.setTimeout(300_000);
  try {
    firefox = ensureFirefox();
  } catch (e) {
    missing = (e as Error).message;
    return;
  }
  // The Firefox zip exactly as `npm run zip` makes it: a release build, no demo hosts.
  work = mkdtempSync(join(tmpdir(), 'stillframe-firefox-'));
  const env: NodeJS.ProcessEnv = { ...process.env, STILLFRAME_OUT_DIR: join(work, 'output') };
  delete env.STILLFRAME_DEV_HOSTS;
  execFileSync(join(ROOT, 'node_modules', '.bin', 'wxt'), ['zip', '-b', 'firefox'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  extensionDir = join(work, 'firefox');
  const zip = unzipSync(new Uint8Array(readFileSync(join(work, 'output', `stillframe-${VERSION}-firefox.zip`))));
  for (const [name, data] of Object.entries(zip)) {
    if (name.endsWith('/')) continue;
    const file = resolve(extensionDir, name);
    if (!file.startsWith(extensionDir)) throw new Error(`zip entry escapes its folder: ${name}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
});

test.beforeEach(async () => {
  if (!firefox) {
    if (process.env.CI) throw new Error(`The Firefox suite must run in CI, but no Firefox is available.\n${missing}`);
    test.skip(true, `no Firefox: ${missing.split('\n')[0]} (apt-get install firefox-esr, or set FIREFOX_PATH)`);
  }
  ff = await new FirefoxExtension({ executablePath: firefox!, extensionDir }).launch();
});

test.afterEach(async () => {
  await ff?.close();
  ff = null;
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Page errors of every feed page opened through `feed`. */
let pageErrors: string[] = [];
test.beforeEach(() => {
  pageErrors = [];
});

async function feed(site: { url: string; fixture: string }): Promise<Page> {
  ff!.serve(new URL(site.url).origin, readFileSync(join(FIXTURES, site.fixture), 'utf8'));
  const page = await ff!.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(site.url);
  return page;
}

const frameCount = (page: Page) => page.evaluate(() => document.querySelectorAll('stillframe-pause').length);

/** Scrolls until the page shows `count` frames; fails with what it saw. */
/**
 * The frames on the page and today's numbers, read once they agree: a frame granted during the
 * last wheel step may still be going in (it is counted when the tab says it is placed), so one
 * read of each could fall either side of it. Gives up after 5 s and returns the last reads.
 */
async function settled(page: Page, control: Page): Promise<{ frames: Awaited<ReturnType<typeof framesIn>>; today: { posts: number; pauses: number } }> {
  let frames = await framesIn(page);
  let today = (await ff!.send(control, { type: 'stats/today' })) as { posts: number; pauses: number };
  for (let i = 0; i < 25 && today.pauses !== frames.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    frames = await framesIn(page);
    today = (await ff!.send(control, { type: 'stats/today' })) as { posts: number; pauses: number };
  }
  return { frames, today };
}

async function scrollUntilFrames(page: Page, count: number, maxSteps = 200): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if ((await frameCount(page)) >= count) return;
    await page.mouse.wheel({ deltaY: 450 });
    await new Promise((r) => setTimeout(r, 60));
  }
  throw new Error(`expected ${count} frames after ${maxSteps} scroll steps, saw ${await frameCount(page)}`);
}

async function scrollSteps(page: Page, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel({ deltaY: 500 });
    await new Promise((r) => setTimeout(r, 60));
  }
}

/**
 * The post number each frame follows (frame-anchor.ts, shared with the Chromium suite). The frame's id is
 * not in the page (the host carries no identifier, and Firefox's driver cannot enter a closed
 * shadow root): shownFrames() reads which frames were shown from the extension's own log.
 */
async function framesIn(page: Page): Promise<Array<{ afterPost: number | null; height: number }>> {
  // Two looks (the shared reading is sent to the page as it is): read again if a frame went in between.
  for (let i = 0; ; i++) {
    const after = await page.$$eval('stillframe-pause', POSTS_BEFORE_FRAMES);
    const heights = await page.$$eval('stillframe-pause', (hosts) => hosts.map((h) => h.getBoundingClientRect().height));
    if (after.length === heights.length || i >= 5) return after.map((afterPost, k) => ({ afterPost, height: heights[k] ?? 0 }));
  }
}

/** The frames the extension logged as shown (placed in a page) on `siteKey` since `since`, read from one of its pages. */
async function shownFrames(siteKey: string, since: number): Promise<string[]> {
  const page = await ff!.openExtensionPage('/popup.html');
  try {
    return await page.evaluate(
      (site, t0) =>
        new Promise<string[]>((resolve, reject) => {
          const r = indexedDB.open('stillframe');
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            const q = r.result.transaction('events').objectStore('events').getAll();
            q.onsuccess = () => resolve(q.result.filter((e: any) => e.type === 'frame-shown' && e.siteKey === site && e.ts >= t0).map((e: any) => e.frameId));
            q.onerror = () => reject(q.error);
          };
        }),
      siteKey,
      since,
    );
  } finally {
    await page.close();
  }
}

function expectSpacing(frames: Array<{ afterPost: number | null }>, every: number, label: string): void {
  const posts = frames.map((f) => f.afterPost);
  expect(
    posts.every((p) => p !== null),
    `${label}: every frame follows a post`,
  ).toBe(true);
  const sorted = (posts as number[]).slice().sort((a, b) => a - b);
  expect(new Set(sorted).size, `${label}: two frames at one place`).toBe(sorted.length);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1], `${label}: gap`).toBeGreaterThanOrEqual(every);
}

async function setCadence(everyPosts: number): Promise<void> {
  const page = await ff!.openExtensionPage('/popup.html');
  // The random 1-in-10 skips that let Insights compare are off here, as in the Chromium suite's
  // fixture: these tests count frames at a set spacing.
  await ff!.send(page, { type: 'settings/patch', patch: { cadence: { everyPosts, jitterPct: 0 }, compareWithSkips: false } });
  await page.close();
}

const testId = (id: string) => `[data-testid="${id}"]`;
const text = (page: Page, id: string) => page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? null, testId(id));

/** The extension's id for the tab showing `url` (seen from an extension page). */
function tabIdOf(extPage: Page, url: string): Promise<number | undefined> {
  return extPage.evaluate(async (u) => {
    const tabs = await (globalThis as any).browser.tabs.query({});
    return tabs.find((t: any) => t.url === u)?.id as number | undefined;
  }, url);
}

test('every site at its real origin: frames at the set spacing, the tab known by its site', async () => {
  await setCadence(EVERY);
  const control = await ff!.openExtensionPage('/popup.html');
  for (const site of SITES) {
    const page = await feed(site);
    await scrollUntilFrames(page, 2);
    const frames = await framesIn(page);
    expectSpacing(frames, EVERY, site.url);
    expect(frames[0].height, `${site.url}: the frame is laid out`).toBeGreaterThan(100);
    // The content script said hello with the site's key: what the popup would say about the tab.
    const tabId = await tabIdOf(control, site.url);
    expect(tabId, `${site.url}: the tab is visible to the extension`).toBeDefined();
    expect(await ff!.send(control, { type: 'popup/active-site', tabId })).toMatchObject({ siteKey: site.key, registered: true });
    await page.close();
  }
  expect(pageErrors).toEqual([]);
});

test('a release leaves local pages alone: nothing runs on 127.0.0.1', async () => {
  // A router's admin page, or the demo feed itself: without the development build, not a feed.
  const page = await feed({ url: 'http://127.0.0.1:8377/demo.html', fixture: 'demo.html' });
  await scrollSteps(page, 40);
  const touched = await page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('data-stillframe')),
  );
  expect(touched).toEqual([]);
  expect(await frameCount(page)).toBe(0);
  // And the settings have no "Demo feed" row.
  const options = await ff!.openExtensionPage('/options.html#sites');
  await poll(options, (sel) => !!document.querySelector(sel), testId('site-toggle-x'), 'the sites table');
  expect(await options.evaluate(() => document.body.textContent)).not.toContain('Demo feed');
  expect(await options.$(testId('site-toggle-demo'))).toBeNull();
});

test('popup: this site off and on again reaches the open feed without a reload', async () => {
  await setCadence(EVERY);
  const site = SITES[1];
  const page = await feed(site);
  await scrollUntilFrames(page, 1);

  // The popup as a page that speaks about the feed's tab (?tabId=), as in the Chromium suite.
  const popup = await ff!.openExtensionPage('/popup.html');
  const tabId = await tabIdOf(popup, site.url);
  expect(tabId, 'the feed tab is visible to the extension').toBeDefined();
  await ff!.goto(popup, ff!.url(`/popup.html?tabId=${tabId}`));
  await poll(popup, (sel) => document.querySelector(sel)?.getAttribute('aria-checked') === 'true', testId('site-toggle'), 'the site switch');
  expect(await text(popup, 'site-name')).toBe('reddit.com');

  await popup.click(testId('site-toggle'));
  await poll(popup, (sel) => document.querySelector(sel)?.getAttribute('aria-checked') === 'false', testId('site-toggle'), 'the switch to turn off');
  expect(await text(popup, 'site-status')).toBe('Pauses are off on this site');
  const settings: any = await ff!.send(popup, { type: 'settings/get' });
  expect(settings.settings.sites.reddit).toEqual({ enabled: false });

  await page.bringToFront();
  const before = await frameCount(page);
  await scrollSteps(page, 30);
  expect(await frameCount(page), 'no new frame while the site is off').toBe(before);

  await popup.bringToFront();
  await popup.click(testId('site-toggle'));
  await poll(popup, (sel) => document.querySelector(sel)?.getAttribute('aria-checked') === 'true', testId('site-toggle'), 'the switch to turn on');
  await page.bringToFront();
  await scrollUntilFrames(page, before + 1);
  expect(pageErrors).toEqual([]);
});

test('the event page stopped mid-scroll: frames go on at the same spacing, today\u2019s numbers are kept', async () => {
  await setCadence(EVERY);
  // Reddit keeps every post in the DOM (X's virtualised timeline unmounts what scrolled away).
  const page = await feed(SITES[1]);
  await scrollUntilFrames(page, 2);
  const control = await ff!.openExtensionPage('/popup.html');
  const { frames: before, today: todayBefore } = await settled(page, control);
  expect(todayBefore.pauses).toBe(before.length);

  // What Firefox does to an idle event page, on demand: about:debugging's "Terminate".
  expect(await ff!.backgroundStatus({ terminate: true })).toMatch(/stopped/i);
  await page.bringToFront();
  await scrollUntilFrames(page, before.length + 2);
  const { frames: after, today } = await settled(page, control);
  // The scheduler's state came back from IndexedDB: same spacing across the restart, no frame lost.
  expectSpacing(after, EVERY, 'across the restart');
  expect(after.slice(0, before.length).map((f) => f.afterPost)).toEqual(before.map((f) => f.afterPost));
  expect(await ff!.backgroundStatus()).toMatch(/running/i);

  // Today's numbers go on from where they were: frames and posts from before the restart count.
  expect(today.pauses).toBe(after.length);
  expect(today.posts).toBeGreaterThan(todayBefore.posts);
  expect(pageErrors).toEqual([]);
});

test('study: load a protocol, consent, scroll a real-origin feed, export the zip', async () => {
  const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'protocol.example.json'), 'utf8'));
  const protocol = JSON.stringify({
    ...example,
    studyId: 'ff-study',
    arms: [{ id: 'every-6', weight: 1, cadence: { everyPosts: 6, jitterPct: 0, minGapMinutes: 0, dailyCap: 0, gracePosts: 0 } }],
    velocityWindowSeconds: 2,
  });

  const options = await ff!.openExtensionPage('/options.html#study');
  await poll(options, (sel) => document.querySelector(sel)?.getAttribute('data-state') === 'none', testId('study-section'), 'the study section');
  // The study box is folded away from ordinary users: open it as a researcher would.
  await options.evaluate(
    (fold, open) => {
      if (!(document.querySelector(fold) as HTMLDetailsElement | null)?.open) (document.querySelector(open) as HTMLElement | null)?.click();
    },
    testId('study-fold'),
    testId('study-fold-open'),
  );
  await poll(options, (sel) => !!document.querySelector(sel), testId('study-paste'), 'the protocol box');
  await options.evaluate(
    (sel, value) => {
      const area = document.querySelector(sel) as HTMLTextAreaElement;
      area.value = value;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    },
    testId('study-paste'),
    protocol,
  );
  await options.click(testId('study-check'));
  // "Check" opens the consent page in a new tab. puppeteer does not list tabs an extension page
  // opened, so we see it through the extension's own tabs API and read it in a tab of ours.
  await poll(
    options,
    async (url) => ((await (globalThis as any).browser.tabs.query({})) as Array<{ url?: string }>).some((t) => t.url === url),
    ff!.url('/consent.html'),
    'the consent tab',
  );
  const consent = await ff!.openExtensionPage('/consent.html');
  await poll(consent, (sel) => !!document.querySelector(sel), testId('consent-read'), 'the consent page');
  await consent.click(testId('consent-read'));
  // The example protocol has an ethics block: eligibility is confirmed too.
  if (await consent.$(testId('consent-eligible'))) await consent.click(testId('consent-eligible'));
  await poll(consent, (sel) => !(document.querySelector(sel) as HTMLButtonElement)?.disabled, testId('consent-agree'), 'agree to be enabled');
  await consent.click(testId('consent-agree'));
  await poll(consent, (sel) => !!document.querySelector(sel), testId('consent-enrolled'), 'enrolment');
  const participantId = (await text(consent, 'participant-id'))!;
  expect(participantId).toMatch(/^SF-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(await text(consent, 'study-arm')).toBe('every-6');

  // The arm's cadence governs the frames on a real-origin feed.
  const since = Date.now();
  const page = await feed(SITES[1]);
  await scrollUntilFrames(page, 2);
  await new Promise((r) => setTimeout(r, 2500)); // let the 2 s velocity windows close
  const frames = await framesIn(page);
  expectSpacing(frames, 6, 'study arm');

  // Export from options → Study; Firefox saves it to our download folder without a dialog.
  await options.bringToFront();
  await ff!.goto(options, ff!.url('/options.html#study'));
  await poll(options, (sel) => !!document.querySelector(sel), testId('study-export'), 'the export button');
  await options.click(testId('study-export'));
  const file = await waitForDownload(ff!.downloadDir, /^stillframe-study-ff-study-.*\.zip$/);
  const zip = unzipSync(new Uint8Array(readFileSync(file)));
  const csv = (p: string) => parseCsv(strFromU8(zip[p]));
  expect(JSON.parse(strFromU8(zip['protocol.json'])).studyId).toBe('ff-study');
  expect(csv('csv/participants.csv')).toEqual([expect.objectContaining({ participant_id: participantId, arm: 'every-6', study_id: 'ff-study' })]);
  const impressions = csv('csv/impressions.csv');
  const shown = await shownFrames('reddit', since);
  expect(shown).toHaveLength(frames.length);
  expect(impressions.map((r) => r.frame_id).sort()).toEqual(shown.sort());
  for (const r of impressions) expect(r).toMatchObject({ participant_id: participantId, site_key: 'reddit' });
  expect(strFromU8(zip['csv/impressions.csv'])).not.toMatch(/https?:\/\//);
  expect(pageErrors).toEqual([]);
});

/** The finished download in `dir` whose name matches (Firefox writes a .part file first). */
async function waitForDownload(dir: string, name: RegExp, timeoutMs = 15000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const done = existsSync(dir) ? readdirSync(dir).filter((f) => name.test(f)) : [];
    if (done.length && !readdirSync(dir).some((f) => f.endsWith('.part'))) return join(dir, done[0]);
    if (Date.now() > end) throw new Error(`no download matching ${name} in ${dir} (saw: ${existsSync(dir) ? readdirSync(dir).join(', ') : 'nothing'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
