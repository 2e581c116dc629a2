import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, scrollPosts, scrollUntilFrames, sendFromPage } from './fixtures';

type Ext = { context: import('@playwright/test').BrowserContext | null; url(path: string): string; openExtensionPage(path: string): Promise<Page> };

async function patchSettings(ext: Ext, patch: unknown): Promise<void> {
  const page = await ext.openExtensionPage('/popup.html');
  await sendFromPage(page, { type: 'settings/patch', patch });
  await page.close();
}

async function getSettings(page: Page): Promise<any> {
  return ((await sendFromPage(page, { type: 'settings/get' })) as any).settings;
}

/**
 * The popup, opened as a page that speaks about `feed`'s tab (?tabId=): a real toolbar popup
 * cannot be clicked open in a test, and as a tab its own "active tab" would be itself.
 */
async function openPopupFor(ext: Ext, feed: Page): Promise<Page> {
  const popup = await ext.context!.newPage();
  await popup.setViewportSize({ width: 320, height: 640 });
  await popup.goto(ext.url('/popup.html'));
  const tabId = await popup.evaluate(async (url) => {
    const tabs = await (globalThis as any).chrome.tabs.query({});
    return tabs.find((t: any) => t.url === url)?.id as number | undefined;
  }, feed.url());
  expect(tabId, 'the feed tab is visible to the extension').toBeDefined();
  await popup.goto(ext.url(`/popup.html?tabId=${tabId}`));
  await expect(popup.getByTestId('popup')).toBeVisible();
  return popup;
}

const frameCount = (page: Page) => page.locator('stillframe-pause').count();

/** Scrolls a good stretch of the feed and returns how many frames it then holds. */
async function scrollStretch(page: Page, steps = 30): Promise<number> {
  await page.bringToFront();
  await scrollPosts(page, { steps, stepPx: 500, pauseMs: 70 });
  await page.waitForTimeout(300);
  return frameCount(page);
}

test('popup: this site off and on again reaches the open feed without a reload', async ({ ext, openFeed, pageErrors }) => {
  await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
  const feed = await openFeed();
  await scrollUntilFrames(feed, 1);
  const popup = await openPopupFor(ext, feed);

  await expect(popup.getByTestId('site-name')).toHaveText('127.0.0.1');
  const toggle = popup.getByTestId('site-toggle');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(popup.getByTestId('site-status')).toHaveText('Pauses are off on this site');
  // Off here: the popup offers no snooze of pauses that cannot come anyway.
  await expect(popup.getByTestId('snooze-card')).toHaveCount(0);
  expect((await getSettings(popup)).sites.demo).toEqual({ enabled: false });

  const before = await frameCount(feed);
  const after = await scrollStretch(feed);
  expect(after, 'no new frame while the site is off').toBeLessThanOrEqual(before);

  await popup.bringToFront();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await feed.bringToFront();
  await scrollUntilFrames(feed, after + 1);
  expect(pageErrors).toEqual([]);
});

test('popup: snooze this site for an hour, resume, today’s numbers, cadence presets', async ({ ext, openFeed }) => {
  await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
  const feed = await openFeed();
  await scrollUntilFrames(feed, 2);
  const popup = await openPopupFor(ext, feed);

  await expect(popup.getByTestId('pauses-today')).not.toHaveText('–');
  expect(Number(await popup.getByTestId('pauses-today').textContent())).toBeGreaterThanOrEqual(2);
  // The feed reports posts in small batches, so the popup may be a few posts behind; never at zero here.
  expect(Number((await popup.getByTestId('posts-today').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(0);

  const t0 = Date.now();
  await popup.getByTestId('snooze-1h').click();
  const state = popup.getByTestId('snooze-state');
  await expect(state).toHaveAttribute('data-scope', 'site');
  // An hour from 23:00 is tomorrow: the time then comes with its weekday ("Wed 12:07 AM").
  await expect(state).toContainText(/Pauses snoozed on this site until (?:[A-Z][a-z]{2} )?\d{1,2}:\d\d/);
  const status: any = await sendFromPage(popup, { type: 'status/get', siteKey: 'demo' });
  expect(status.snoozedUntil).toBeGreaterThanOrEqual(t0 + 59 * 60_000);
  expect(status.snoozedUntil).toBeLessThanOrEqual(Date.now() + 61 * 60_000);

  const before = await frameCount(feed);
  expect(await scrollStretch(feed), 'no new frame while snoozed').toBeLessThanOrEqual(before);

  await popup.bringToFront();
  await popup.getByTestId('snooze-resume').click();
  await expect(popup.getByTestId('snooze-1h')).toBeVisible();
  expect(((await sendFromPage(popup, { type: 'status/get', siteKey: 'demo' })) as any).snoozedUntil).toBeNull();
  const now = await frameCount(feed);
  await feed.bringToFront();
  await scrollUntilFrames(feed, now + 1);

  await popup.bringToFront();
  await popup.getByTestId('cadence-preset-50').click();
  await expect(popup.getByTestId('cadence-input')).toHaveValue('50');
  await expect(popup.getByTestId('cadence-preset-50')).toHaveAttribute('aria-pressed', 'true');
  expect((await getSettings(popup)).cadence.everyPosts).toBe(50);
  await expect(popup.getByTestId('cadence-preview')).toContainText('50 posts');

  // "Snooze everywhere" sets the global snooze
  await popup.getByTestId('snooze-everywhere').check();
  await popup.getByTestId('snooze-today').click();
  await expect(popup.getByTestId('snooze-state')).toHaveAttribute('data-scope', 'all');
  expect(((await sendFromPage(popup, { type: 'status/get' })) as any).snoozedUntil).toBeGreaterThan(Date.now());
});

test('popup: says so on a page that is not a feed', async ({ ext }) => {
  const ctx = ext.context!;
  await ctx.route('https://example.org/**', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Not a feed</title><p>Hello</p>' }));
  const page = await ctx.newPage();
  await page.goto('https://example.org/');
  // Opened without ?tabId the popup asks the background for the active tab, as the toolbar popup does.
  const popup = await ext.openExtensionPage('/popup.html');
  await expect(popup.getByTestId('not-active')).toContainText('Stillframe is not on for this page');
  await expect(popup.getByTestId('site-toggle')).toHaveCount(0);
  await expect(popup.getByTestId('pauses-today')).toHaveText('0');
  // a snooze from here is a snooze everywhere
  await popup.getByTestId('snooze-15m').click();
  await expect(popup.getByTestId('snooze-state')).toHaveAttribute('data-scope', 'all');
});

test('options: cadence saved in the options page reaches the open feed without a reload; a site switch too', async ({ ext, openFeed, pageErrors }) => {
  await patchSettings(ext, { cadence: { everyPosts: 200, jitterPct: 0 } });
  const feed = await openFeed();
  expect(await scrollStretch(feed, 12)).toBe(0);

  const options = await ext.openExtensionPage('/options.html#cadence');
  const every = options.getByTestId('every-posts');
  await expect(every).toHaveValue('200');
  await every.fill('6');
  await every.press('Tab');
  // Saved as it is made, like every other control, with "Saved" beside the field.
  await expect(options.getByTestId('saved-everyPosts')).toHaveText('Saved');
  await expect(options.getByTestId('cadence-preview')).toContainText('One pause every 6 posts');
  expect((await getSettings(options)).cadence.everyPosts).toBe(6);

  await feed.bringToFront();
  await scrollUntilFrames(feed, 2);

  // Sites: demo off in the options page → the open tab stops
  await options.bringToFront();
  await options.getByTestId('nav-sites').click();
  const demo = options.getByTestId('site-toggle-demo');
  await expect(demo).toHaveAttribute('aria-checked', 'true');
  await demo.click();
  await expect(demo).toHaveAttribute('aria-checked', 'false');
  await expect(options.getByTestId('site-saved-demo')).toHaveText('Saved');
  const before = await frameCount(feed);
  expect(await scrollStretch(feed)).toBeLessThanOrEqual(before);

  // a per-site override is saved in the site's entry
  await options.bringToFront();
  await options.getByTestId('site-every-x').fill('33');
  await options.getByTestId('site-every-x').press('Enter');
  await expect.poll(async () => (await getSettings(options)).sites.x).toEqual({ enabled: true, everyPosts: 33 });
  expect(pageErrors).toEqual([]);
});

test('options: invalid cadence values are named and not saved', async ({ ext }) => {
  const options = await ext.openExtensionPage('/options.html#cadence');
  await options.getByTestId('every-posts').fill('5000');
  await options.getByTestId('every-posts').press('Tab');
  await expect(options.getByTestId('error-everyPosts')).toHaveText('5000 is outside 0–1000, so it was not saved.');
  await expect(options.getByTestId('every-posts')).toHaveValue('5000');
  expect((await getSettings(options)).cadence.everyPosts).toBe(25);
  await options.getByTestId('schedule-mode-except').check();
  await options.getByTestId('add-window').click();
  await options.getByTestId('every-posts').fill('30');
  await options.getByTestId('every-posts').press('Tab');
  await expect(options.getByTestId('saved-everyPosts')).toHaveText('Saved');
  await options.getByTestId('window-0-day-0').uncheck();
  await options.getByTestId('window-0-day-6').uncheck();
  await options.getByTestId('window-0-start').fill('21:00');
  // In the browser's own clock (21:00, or 9:00 PM in US English), as its time fields show it.
  await expect(options.getByTestId('cadence-preview')).toContainText(/21:00|9:00\sPM/);
  await expect(options.getByTestId('schedule-saved')).toHaveText('Saved');
  await expect.poll(async () => (await getSettings(options)).schedule.windows[0]?.start).toBe('21:00');
  const s = await getSettings(options);
  expect(s.cadence.everyPosts).toBe(30);
  expect(s.schedule).toEqual({ mode: 'except', windows: [{ days: [1, 2, 3, 4, 5], start: '21:00', end: '07:00' }] });
});

test('options and popup: the language switch re-renders at once, reaches the other open page, and is kept', async ({ ext }) => {
  const options = await ext.openExtensionPage('/options.html#cadence');
  const popup = await ext.openExtensionPage('/popup.html');
  await expect(popup.getByTestId('open-options')).toHaveText('All settings');
  await options.bringToFront();
  await expect(options.getByTestId('nav-cadence')).toHaveText('How often');
  await options.getByTestId('locale-select').selectOption('zh_CN');
  await expect(options.getByTestId('nav-cadence')).toHaveText('频率');
  await expect(options.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect((await getSettings(options)).locale).toBe('zh_CN');
  // the popup that was already open follows without a reload
  await expect(popup.getByTestId('open-options')).toHaveText('全部设置');
  // and a cadence chosen in the popup shows in the open options page
  await popup.getByTestId('cadence-preset-10').click();
  await expect(options.getByTestId('every-posts')).toHaveValue('10');
  await options.reload();
  await expect(options.getByTestId('nav-sites')).toHaveText('网站');
  await options.getByTestId('locale-select').selectOption('en');
  await expect(options.getByTestId('nav-sites')).toHaveText('Sites');
});

test('options: export, import with field errors (nothing changes), import, reset and delete everything', async ({ ext, openFeed }, testInfo) => {
  await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
  const feed = await openFeed();
  await scrollUntilFrames(feed, 1);

  const options = await ext.openExtensionPage('/options.html#data');
  const download = options.waitForEvent('download');
  await options.getByTestId('export-settings').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^stillframe-settings-\d{4}-\d\d-\d\d\.json$/);
  const exported = JSON.parse(readFileSync(await file.path(), 'utf8'));
  expect(exported).toEqual(await getSettings(options));

  const bad = { ...exported, locale: 'tlh', cadence: { ...exported.cadence, jitterPct: 80 } };
  await options.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const errors = options.getByTestId('import-errors');
  // In words, where the person is looking (the settings card), not as schema paths.
  await expect(errors).toContainText('A little earlier or later, by up to: the file has 80; it must be a whole number from 0 to 50.');
  await expect(errors).toContainText('Language: the file has "tlh", which cannot be used here.');
  await expect(errors).not.toContainText('cadence.');
  expect(await getSettings(options)).toEqual(exported);

  await options.getByTestId('import-file').setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
  await expect(options.getByTestId('import-error')).toHaveText('This is not a settings file Stillframe can read. Nothing was changed.');

  const good = { ...exported, cadence: { ...exported.cadence, everyPosts: 42 } };
  await options.getByTestId('import-file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await expect(options.getByTestId('import-ok')).toBeVisible();
  expect((await getSettings(options)).cadence.everyPosts).toBe(42);

  await options.getByTestId('reset-settings').click();
  await options.getByTestId('reset-settings-confirm').click();
  await expect(options.getByTestId('reset-done')).toBeVisible();
  expect((await getSettings(options)).cadence.everyPosts).toBe(25);

  // Insights shows the numbers before everything is deleted…
  await options.getByTestId('nav-insights').click();
  await expect(options.getByTestId('chart-posts').locator('canvas')).toHaveCount(1);
  await expect(options.getByTestId('chart-pauses').locator('canvas')).toHaveCount(1);
  expect(Number(await options.getByTestId('insights-total-pauses').textContent())).toBeGreaterThanOrEqual(1);
  await options.screenshot({ path: testInfo.outputPath('insights.png') });

  // …and an empty state after
  await options.getByTestId('nav-data').click();
  await options.getByTestId('delete-all').click();
  await expect(options.getByTestId('delete-all-confirm')).toBeVisible();
  await options.getByTestId('delete-all-confirm').click();
  await expect(options.getByTestId('delete-done')).toBeVisible();
  await options.getByTestId('nav-insights').click();
  await expect(options.getByTestId('insights-empty')).toBeVisible();
  const popup = await ext.openExtensionPage('/popup.html');
  await expect(popup.getByTestId('pauses-today')).toHaveText('0');
});

test('options: about shows the version; library and study slots are there', async ({ ext }) => {
  const options = await ext.openExtensionPage('/options.html#about');
  await expect(options.getByTestId('version')).toHaveText(/^\d+\.\d+\.\d+$/);
  await options.getByTestId('nav-library').click();
  await expect(options.getByTestId('collection-toggle-still')).toBeVisible();
  await options.getByTestId('collection-toggle-words').click();
  await expect.poll(async () => (await getSettings(options)).collections.words?.enabled).toBe(false);
  await options.getByTestId('nav-study').click();
  await expect(options.getByTestId('section-study')).toBeVisible();
});
