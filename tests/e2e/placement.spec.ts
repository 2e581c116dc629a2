import { test, expect, sendFromPage } from './fixtures';
import type { Page } from '@playwright/test';
import { WATCH_POST_SHIFTS } from './layout-shift';

/**
 * Where a frame goes: far enough below the fold that even a fast wheel — the largest steps a
 * wheel makes (about a screen: a "page" step), one after another — cannot bring the moment of
 * insertion into view. Measured with the browser's own Layout Instability API: posts after a
 * new frame must never shift while in the viewport.
 */
const VIEWPORT = 720; // Playwright's default 1280 × 720
const STEP = VIEWPORT - 20;
async function fling(page: Page, steps: number, stepPx: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, stepPx);
    await page.waitForTimeout(30);
  }
}

const FEEDS = [
  { name: 'demo feed', open: (openFeed: any) => openFeed() },
  { name: 'old Reddit with RES', open: (openFeed: any) => openFeed({ url: 'https://old.reddit.com/', fixture: 'old-reddit-res.html' }) },
  { name: 'LinkedIn', open: (openFeed: any) => openFeed({ url: 'https://www.linkedin.com/feed/', fixture: 'linkedin.html' }) },
];

for (const feed of FEEDS) {
  test(`placement: a fast wheel on the ${feed.name} never sees a post shift after a new frame`, async ({ ext, openFeed, pageErrors }) => {
    const control = await ext.openExtensionPage('/popup.html');
    await sendFromPage(control, { type: 'settings/patch', patch: { cadence: { everyPosts: 3, jitterPct: 0 } } });
    await ext.context!.addInitScript(WATCH_POST_SHIFTS);
    const page: Page = await feed.open(openFeed);
    await page.waitForTimeout(300);
    // Large steps, back to back: the reader flicks through the feed.
    await fling(page, 60, STEP);
    await page.waitForTimeout(600);
    const { ours, inserts } = await page.evaluate(() => ({ ours: (window as any).__postShifts, inserts: (window as any).__inserts }));
    expect(inserts, 'frames inserted during the fling').toBeGreaterThanOrEqual(3);
    expect(ours, 'layout shifts of posts after a new frame').toEqual([]);
    expect(pageErrors).toEqual([]);
  });
}
