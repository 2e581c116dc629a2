import { test, expect, framesIn, sendFromPage } from './fixtures';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * "Report a site problem", as a person uses it: the popup shows the feed's shape in full — no
 * text, no links, nothing of what they read — and they copy it or save it; nothing is sent.
 * Then the maintainer's half: the saved file becomes a fixture skeleton (npm run site:fixture)
 * on which the site's adapter places frames like on the real page.
 */
async function popupFor(ext: any, feed: Page): Promise<Page> {
  const popup: Page = await ext.context!.newPage();
  await popup.setViewportSize({ width: 320, height: 640 });
  await popup.goto(ext.url('/popup.html'));
  const tabId = await popup.evaluate(async (url) => {
    const tabs = await (globalThis as any).chrome.tabs.query({});
    return tabs.find((t: any) => t.url === url)?.id as number | undefined;
  }, feed.url());
  await popup.goto(ext.url(`/popup.html?tabId=${tabId}`));
  await expect(popup.getByTestId('popup')).toBeVisible();
  return popup;
}

test('report a site problem: shown in full, nothing of the person in it, copied and saved; the saved file becomes a fixture', async ({
  ext,
  openFeed,
  pageErrors,
}) => {
  const control = await ext.openExtensionPage('/popup.html');
  await sendFromPage(control, { type: 'settings/patch', patch: { cadence: { everyPosts: 5, jitterPct: 0 } } });
  const feed = await openFeed({ url: 'https://old.reddit.com/', fixture: 'old-reddit-res.html' });
  for (let i = 0; i < 40 && (await feed.locator('.NERPageMarker').count()) < 1; i++) {
    await feed.mouse.wheel(0, 500);
    await feed.waitForTimeout(60);
  }
  expect((await framesIn(feed)).length).toBeGreaterThan(0);
  const popup = await popupFor(ext, feed);

  await popup.getByTestId('report-open').click();
  const shown = popup.getByTestId('report-text');
  await expect(shown).toBeVisible();
  await expect(popup.getByTestId('report')).toContainText('It holds no text, no links, no names and nothing you have read or typed. Nothing has been sent');
  const text = await shown.inputValue();
  const report = JSON.parse(text);
  expect(report).toMatchObject({ format: 'stillframe-shape-report', site: 'reddit', feedRoute: true, adapter: { key: 'reddit', status: 'working' } });
  expect(report.counts.containerFound).toBe(true);
  expect(report.counts.counted).toBeGreaterThanOrEqual(50);
  // What the person read is not in it: titles, user names, links, the host.
  expect(text).not.toMatch(/Post \d|something worth a click|user\d|reddit\.com|\/r\/|https?:|Sponsored/);
  expect(text).toContain('"frame"'); // our own frames are marked, not described
  await expect(popup.getByTestId('report-summary')).toHaveText(
    `It describes ${report.counts.described} elements around the feed; ${report.counts.counted} of them are marked as posts.`,
  );

  // Copy: what lands on the clipboard is exactly what is shown (read back from a web page allowed to).
  await popup.getByTestId('report-copy').click();
  await expect(popup.getByTestId('report-copy')).toHaveText('Copied');
  await ext.context!.grantPermissions(['clipboard-read'], { origin: 'https://old.reddit.com' });
  await feed.bringToFront();
  expect(await feed.evaluate(() => navigator.clipboard.readText())).toBe(text);
  await popup.bringToFront();

  // Save: a file, the same text.
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByTestId('report-save').click()]);
  expect(download.suggestedFilename()).toBe('stillframe-site-report-reddit.json');
  const dir = mkdtempSync(join(tmpdir(), 'site-report-'));
  const saved = join(dir, 'report.json');
  await download.saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toBe(text);

  // The maintainer's half: the file becomes a skeleton the reddit adapter reads like the page.
  const skeleton = join(dir, 'skeleton.html');
  execFileSync('node', ['scripts/site-fixture.mjs', saved, '--out', skeleton], { encoding: 'utf8' });
  const html = readFileSync(skeleton, 'utf8');
  await ext.context!.route('https://old.reddit.com/**', (r) =>
    r.request().resourceType() === 'document' ? r.fulfill({ contentType: 'text/html; charset=utf-8', body: html }) : r.fulfill({ status: 404, body: '' }),
  );
  const copy = await ext.context!.newPage();
  await copy.goto('https://old.reddit.com/');
  for (let i = 0; i < 60 && (await copy.locator('stillframe-pause').count()) < 2; i++) {
    await copy.mouse.wheel(0, 450);
    await copy.waitForTimeout(70);
  }
  expect((await framesIn(copy)).map((f) => f.afterPost).every((n) => n !== null)).toBe(true);
  expect(await copy.locator('stillframe-pause').count()).toBeGreaterThanOrEqual(2);

  await popup.getByTestId('report-close').click();
  await expect(popup.getByTestId('report')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('report a site problem: in Chinese too, and an honest word when the page cannot answer', async ({ ext, openFeed }) => {
  const control = await ext.openExtensionPage('/popup.html');
  await sendFromPage(control, { type: 'settings/patch', patch: { locale: 'zh_CN' } });
  const feed = await openFeed({ url: 'https://www.linkedin.com/feed/', fixture: 'linkedin.html' });
  await feed.waitForTimeout(300);
  const popup = await popupFor(ext, feed);
  await expect(popup.getByTestId('report-open')).toHaveText('报告网站问题');
  await popup.getByTestId('report-open').click();
  await expect(popup.getByTestId('report-text')).toBeVisible();
  await expect(popup.getByTestId('report')).toContainText('其中不含任何文字、链接、名字');
  const report = JSON.parse(await popup.getByTestId('report-text').inputValue());
  expect(report.site).toBe('linkedin');
  expect(report.counts.counted).toBe(20);
  await popup.getByTestId('report-close').click();

  // The page went away (navigated somewhere Stillframe does not run): nothing to describe, said plainly.
  await feed.goto('about:blank');
  await popup.getByTestId('report-open').click();
  await expect(popup.getByTestId('report-problem')).toHaveText('Stillframe 没有在此页面运行，因此没有可描述的内容。请打开出问题的信息流后再试一次。');
});
