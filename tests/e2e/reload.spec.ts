import { test, expect, framesIn, scrollUntilFrames, sendFromPage } from './fixtures';

/**
 * What an extension update does to an open feed tab: the background injects the new content
 * script (utils/background/injection.ts) beside the old one. The old one must notice it has
 * been superseded, remove its listeners and frames, and the new one take over with no
 * duplicate frames. (Chromium cannot reload a --load-extension extension in place headless,
 * so the test performs the injection the update handler performs.)
 */
test('a new content script takes over from an orphaned one without duplicate frames', async ({ ext, openFeed, pageErrors }) => {
  const settings = await ext.openExtensionPage('/popup.html');
  await sendFromPage(settings, { type: 'settings/patch', patch: { cadence: { everyPosts: 6, jitterPct: 0 } } });
  const page = await openFeed();
  await scrollUntilFrames(page, 2);
  const old = (await framesIn(page)).map((f) => f.id);
  const sw = await ext.serviceWorker();
  const injected = await sw.evaluate(async () => {
    const c = (globalThis as any).chrome;
    const tabs = await c.tabs.query({ url: 'http://127.0.0.1/*' });
    for (const t of tabs) await c.scripting.executeScript({ target: { tabId: t.id }, files: ['/content-scripts/content.js'] });
    return tabs.length;
  });
  expect(injected).toBe(1);
  // The superseded script removed its frames at once. (The new one may already have placed its
  // own next frame below the fold, without any scrolling: counting frames to zero would race it.)
  await expect.poll(async () => (await framesIn(page)).filter((f) => old.includes(f.id)).length, { timeout: 5000 }).toBe(0);
  await scrollUntilFrames(page, 3);
  await page.waitForTimeout(500);
  const positions = (await framesIn(page)).map((f) => f.afterPost!);
  expect(new Set(positions).size).toBe(positions.length); // never two frames at one place
  for (let i = 1; i < positions.length; i++) expect(positions[i] - positions[i - 1]).toBeGreaterThanOrEqual(6);
  expect(pageErrors).toEqual([]);
});
