import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExtensionBrowser } from '../../scripts/lib/extension-browser.mjs';
import { startFixtureServer } from '../../scripts/serve-fixtures.mjs';
import { frameViews } from './frame-helpers';
import { POSTS_BEFORE_FRAMES } from './frame-anchor';

export const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'feeds');
export const fixtureHtml = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

type Fixtures = {
  /**
   * Outside a study Stillframe skips 1 in 10 due pauses at random by default (the comparison
   * Insights needs, utils/schedule/decision.ts). Tests that check where frames land turn that
   * off; a test about the comparison itself sets `test.use({ comparisonSkips: true })`.
   */
  comparisonSkips: boolean;
  /** A Chromium with the built extension, on a fresh profile, closed after the test. */
  ext: ExtensionBrowser;
  /** Page errors and console errors seen in feed pages opened through `openFeed`. */
  pageErrors: string[];
  /** Opens the demo feed (served on 127.0.0.1) or a fixture at a real origin. */
  openFeed: (opts?: { url?: string; fixture?: string; query?: string }) => Promise<Page>;
};

type WorkerFixtures = { server: { url: string; close: () => Promise<void> } };

export const test = base.extend<Fixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const s = await startFixtureServer(0);
      await use(s);
      await s.close();
    },
    { scope: 'worker' },
  ],
  comparisonSkips: [false, { option: true }],
  ext: async ({ comparisonSkips }, use) => {
    const ext = new ExtensionBrowser();
    await ext.launch();
    if (!comparisonSkips) {
      const page = await ext.openExtensionPage('/popup.html');
      await sendFromPage(page, { type: 'settings/patch', patch: { compareWithSkips: false } });
      await page.close();
    }
    await use(ext);
    await ext.close();
  },
  pageErrors: async ({}, use) => {
    await use([]);
  },
  openFeed: async ({ ext, server, pageErrors }, use) => {
    await use(async (opts = {}) => {
      const ctx = ext.context!;
      let url: string;
      if (opts.url && opts.fixture) {
        // Serve a site-shaped fixture at the site's real origin: the manifest's matches apply.
        const origin = new URL(opts.url).origin;
        await ctx.route(`${origin}/**`, (route) => {
          const req = new URL(route.request().url());
          if (route.request().resourceType() === 'document' || req.pathname.endsWith('.html') || !req.pathname.includes('.')) {
            return route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixtureHtml(opts.fixture!) });
          }
          return route.fulfill({ status: 404, body: '' });
        });
        url = opts.url;
      } else {
        url = `${server.url}/demo.html${opts.query ? `?${opts.query}` : ''}`;
      }
      const page = await ctx.newPage();
      page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
      });
      await page.goto(url);
      return page;
    });
  },
});

export { expect };

/**
 * Frames currently in the page, with the post number they follow (frame-anchor.ts: the item
 * right before it, or the last post on the grid row it follows) and the frame's id. The id is
 * read through the DevTools protocol from inside the closed shadow root: the host the page sees
 * carries no identifier.
 */
export async function framesIn(page: Page): Promise<Array<{ afterPost: number | null; id: string | null }>> {
  const after = await page.$$eval('stillframe-pause', POSTS_BEFORE_FRAMES);
  const ids = (await frameViews(page)).map((v) => v.frameId);
  return after.map((afterPost, i) => ({ afterPost, id: ids[i] ?? null }));
}

/** Scrolls down in steps like a reader, until `posts` have gone by or `maxSteps` is reached. */
export async function scrollPosts(page: Page, opts: { steps: number; stepPx?: number; pauseMs?: number }): Promise<void> {
  for (let i = 0; i < opts.steps; i++) {
    await page.mouse.wheel(0, opts.stepPx ?? 600);
    await page.waitForTimeout(opts.pauseMs ?? 60);
  }
}

/** Scrolls until the page shows at least `count` frames, or fails with what it saw. */
export async function scrollUntilFrames(page: Page, count: number, maxSteps = 300, stepPx = 500): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    const n = await page.locator('stillframe-pause').count();
    if (n >= count) return;
    await page.mouse.wheel(0, stepPx);
    await page.waitForTimeout(80);
  }
  const n = await page.locator('stillframe-pause').count();
  throw new Error(`expected ${count} frames after ${maxSteps} scroll steps, saw ${n}`);
}

/** Sends a message to the background as an extension page would (e.g. to patch settings). */
export async function sendFromPage<T = unknown>(page: Page, msg: unknown): Promise<T> {
  return page.evaluate(async (m) => {
    const res = await (globalThis as any).chrome.runtime.sendMessage(m);
    if (!res?.ok) throw new Error(res?.error ?? 'no answer');
    return res.data;
  }, msg) as Promise<T>;
}
