import { test, expect, framesIn, sendFromPage } from './fixtures';
import type { Page } from '@playwright/test';

/**
 * Coverage-aware health, in a real browser: a site the person added (the generic detector
 * reads it) that nests each new page of its feed one level deeper, and one that wraps later
 * items in new layers. The detector learns the feed from the first page; when the page keeps
 * gaining items of the same kind it does not count, it widens, frames keep coming between posts
 * past the first page, and the popup and the options page say so in plain words.
 */
const EVERY = 5;

async function scrollPast(page: Page, post: number, maxSteps = 200): Promise<number[]> {
  const seen = new Set<number>();
  for (let i = 0; i < maxSteps; i++) {
    for (const f of await framesIn(page)) if (f.afterPost !== null) seen.add(f.afterPost);
    if (Math.max(-1, ...seen) > post) break;
    await page.mouse.wheel(0, 450);
    await page.waitForTimeout(70);
  }
  return [...seen].sort((a, b) => a - b);
}

/** The popup opened for the feed's tab. */
async function popupFor(ext: any, feed: Page): Promise<Page> {
  const popup = await ext.context!.newPage();
  await popup.goto(ext.url('/popup.html'));
  const tabId = await popup.evaluate(async (url: string) => {
    const tabs = await (globalThis as any).chrome.tabs.query({});
    return tabs.find((t: any) => t.url === url)?.id as number | undefined;
  }, feed.url());
  expect(tabId, 'the feed tab').toBeDefined();
  await popup.goto(ext.url(`/popup.html?tabId=${tabId}`));
  return popup;
}

const cases = [
  {
    name: 'a site that nests each new page one level deeper (never-ending pages)',
    origin: 'http://localhost:4813',
    fixture: 'old-reddit-res.html',
    // Page 3 of 25 links: two nested pages in.
    beyond: 55,
    nested: '#siteTable > .sitetable stillframe-pause',
  },
  {
    name: 'a site that wraps later items in new layers',
    origin: 'http://localhost:4812',
    fixture: 'layers.html',
    beyond: 30,
    nested: 'section.stream > .lazy-slot + stillframe-pause',
  },
];

for (const c of cases) {
  test(`coverage: ${c.name} — widened, frames continue between posts, the status says so`, async ({ ext, openFeed, pageErrors }) => {
    const control = await ext.openExtensionPage('/popup.html');
    await sendFromPage(control, { type: 'settings/patch', patch: { cadence: { everyPosts: EVERY, jitterPct: 0 }, customSites: [c.origin] } });
    const page = await openFeed({ url: `${c.origin}/`, fixture: c.fixture });
    await page.waitForTimeout(300);
    const after = await scrollPast(page, c.beyond);
    expect(Math.max(...after), `frames past the first page (${after.join(', ')})`).toBeGreaterThan(c.beyond);
    for (let i = 1; i < after.length; i++) expect(after[i] - after[i - 1], `spacing ${after.join(', ')}`).toBeGreaterThanOrEqual(EVERY - 1);
    // Later frames sit with the later posts: inside the nested page / after the wrapper layers, never inside a post.
    expect(await page.locator(c.nested).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.querySelectorAll('article stillframe-pause, .thing stillframe-pause').length)).toBe(0);

    const status: any = await sendFromPage(control, { type: 'status/get', siteKey: 'custom:localhost' });
    expect(status.adapterStatus).toBe('widened');
    // The popup draws its line once the site's status has come back from the background: wait for
    // it in the popup, do not read its first paint ("Pauses are on here", before the status is in —
    // on a slow machine every fresh popup read at once showed only that: CI, 2 attempts of 2).
    const popup = await popupFor(ext, page);
    await expect(popup.getByTestId('site-status')).toHaveText('Watching this feed, looking a little deeper for posts (the site nests some of them)', {
      timeout: 15_000,
    });
    await popup.close();
    const options = await ext.openExtensionPage('/options.html#sites');
    await expect(options.getByTestId('site-status-custom:localhost')).toHaveText('Working, looking a little deeper for posts (the site nests some of them)');
    expect(pageErrors).toEqual([]);
  });
}
