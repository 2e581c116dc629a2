import { test, expect, sendFromPage } from './fixtures';
import type { Page } from '@playwright/test';
import { SITE_CASES, type SiteCase } from '../fixtures/site-cases';

/**
 * The generic detector as a real safety net: EVERY site fixture — each named site, the RES and
 * wrapped-layer pages, Mastodon, the demo — with the site adapters switched off (the test-only
 * switch of development/test builds, utils/content/test-switch.ts), as if every adapter had
 * gone blind at once. The generic detector alone must find the feed and put frames between
 * posts: after one post's content, before the next one's, across the whole feed column.
 */
const EVERY = 5;
/**
 * Ads are items of the same shape as posts (old Reddit's promoted link, a sponsored card): no
 * detector without site knowledge can tell them apart, so one may count among the posts between
 * two frames. Headers, "show more" rows and other light items must not (generic.ts LIGHT_SHARE).
 */
const ADS_BETWEEN_FRAMES = 1;
/** Fixtures render 20 posts (RES: a page of 25) before loading more. */
const BEYOND_FIRST_PAGE = 30;

/** The custom-site origin a fixture is served at, if it needs adding first (Mastodon, custom rows). */
function customOrigin(c: SiteCase): string | null {
  return c.site === 'mastodon' || c.site === 'custom' ? new URL(c.url).origin : null;
}

function siteKeyOf(c: SiteCase): string {
  if (c.site === 'mastodon') return `mastodon:${new URL(c.url).hostname}`;
  if (c.site === 'custom') return `custom:${new URL(c.url).hostname}`;
  return c.site;
}

/**
 * The post each frame follows: the last "Post N" label before it in the page (an ad or an
 * emptied wrapper may stand between them), or what the fixture says an emptied item held.
 */
async function postsBeforeFrames(page: Page): Promise<Array<number | null>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('stillframe-pause')).map((host) => {
      const prev = host.previousElementSibling;
      const emptied = prev ? (window as any).fixturePostNumber?.(prev) : null;
      if (typeof emptied === 'number') return emptied;
      let last: number | null = null;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (host.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) break;
        const m = t.parentElement?.closest('stillframe-pause') ? null : t.nodeValue?.match(/Post (\d+)/);
        if (m) last = Number(m[1]);
      }
      return last;
    }),
  );
}

/**
 * Every frame in the page against every post label ("Post N") in the feed column: posts up to
 * the one the frame follows end above it, later posts begin below it. A frame inside a post,
 * overlapping one, or a single grid cell with posts beside it fails.
 */
async function placementProblems(page: Page): Promise<string[]> {
  return page.evaluate(
    (afterPosts) => {
      const hosts = Array.from(document.querySelectorAll('stillframe-pause'));
      const labels: Array<{ n: number; r: DOMRect }> = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const m = t.nodeValue?.match(/Post (\d+)/);
        const el = t.parentElement;
        if (!m || !el || el.closest('stillframe-pause')) continue;
        const r = el.getBoundingClientRect();
        if (r.height > 0 && r.width > 0) labels.push({ n: Number(m[1]), r });
      }
      const problems: string[] = [];
      hosts.forEach((host, i) => {
        const after = afterPosts[i];
        if (after === null) {
          problems.push('a frame with no post before it');
          return;
        }
        const f = host.getBoundingClientRect();
        if (f.height < 100) problems.push(`frame after ${after} is ${Math.round(f.height)} px tall`);
        // The feed column: what the frame's parent spans (a grid, a list, a virtual cell). The frame
        // takes all of it: a frame in one cell of a grid would have posts beside it.
        const col = host.parentElement!.getBoundingClientRect();
        const style = getComputedStyle(host.parentElement!);
        const inner = col.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (f.width < inner * 0.9) problems.push(`frame after ${after} is ${Math.round(f.width)} px wide in a ${Math.round(inner)} px column`);
        for (const { n, r } of labels) {
          if (r.right <= col.left || r.left >= col.right) continue; // a sidebar, not this feed
          if (n <= after && r.bottom > f.top + 1) problems.push(`post ${n} is not above the frame after post ${after}`);
          if (n > after && r.top < f.bottom - 1) problems.push(`post ${n} is not below the frame after post ${after}`);
        }
      });
      return problems;
    },
    await postsBeforeFrames(page),
  );
}

for (const c of SITE_CASES) {
  test(`generic detector only — ${c.key}: finds the feed and puts frames between posts`, async ({ ext, openFeed, pageErrors }) => {
    const control = await ext.openExtensionPage('/popup.html');
    const origin = customOrigin(c);
    await sendFromPage(control, {
      type: 'settings/patch',
      patch: { cadence: { everyPosts: EVERY, jitterPct: 0 }, ...(origin ? { customSites: [origin] } : {}) },
    });
    // Before the page's own scripts run (the root element exists once parsing starts).
    await ext.context!.addInitScript(() => {
      const off = () => document.documentElement?.setAttribute('data-stillframe-test-adapters', 'off');
      off();
      document.addEventListener('readystatechange', off);
    });
    const page = c.site === 'demo' ? await openFeed() : await openFeed({ url: c.url, fixture: c.fixture });
    await page.waitForTimeout(300);
    // Past the first page (20–25 posts) into what the site loaded later — nested pages, wrapped
    // items, recycled cells — where a detector that learnt only the first page goes blind.
    // A virtualised list (X) unmounts far-off cells with their frames: every frame seen counts.
    const seen = new Set<number | null>();
    const look = async () => (await postsBeforeFrames(page)).forEach((n) => seen.add(n));
    const reached = () => Math.max(-1, ...([...seen].filter((n) => n !== null) as number[]));
    for (let i = 0; i < 300 && (reached() <= BEYOND_FIRST_PAGE || seen.size < 3); i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(60);
      await look();
    }
    const after = [...seen];
    expect(after.length, 'frames placed by the generic detector').toBeGreaterThanOrEqual(3);
    expect(reached(), 'a frame after the first page').toBeGreaterThan(BEYOND_FIRST_PAGE);
    expect(
      after.every((n) => n !== null),
      `every frame follows a post (${after.join(', ')})`,
    ).toBe(true);
    const sorted = (after as number[]).slice().sort((a, b) => a - b);
    expect(await page.locator('stillframe-pause').count(), 'never two frames after one post').toBe(new Set(await postsBeforeFrames(page)).size);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i] - sorted[i - 1], `gap between frames after ${sorted.join(', ')}`).toBeGreaterThanOrEqual(EVERY - ADS_BETWEEN_FRAMES);
    await page.waitForTimeout(400); // a virtualised list re-measures its cells
    expect(await placementProblems(page)).toEqual([]);
    // It really was the generic detector: a named site reports the fallback, never "working".
    const status: any = await sendFromPage(control, { type: 'status/get', siteKey: siteKeyOf(c) });
    if (c.site === 'custom') expect(['working', 'widened']).toContain(status.adapterStatus);
    else expect(status.adapterStatus).toBe('fallback');
    expect(pageErrors).toEqual([]);
  });
}
