import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from '@playwright/test';
import { test, expect, sendFromPage } from './fixtures';

/**
 * Options → Insights with known data, and the options page's health notices, in Chromium with
 * the built extension. Data goes straight into the extension's IndexedDB from an extension
 * page (the background owns it; the options page only reads it).
 */

type Seed = { ts: number; type: string; siteKey?: string; value?: number; frameId?: string; detail?: string };

/**
 * Writes records into one store of the extension's database, from an extension page (which
 * loaded first, so the database exists at its current version). `key` for out-of-line keys.
 */
async function putRecords(page: Page, store: string, records: unknown[], key?: string): Promise<void> {
  await page.evaluate(
    async ({ store, records, key }) => {
      const db: IDBDatabase = await new Promise((res, rej) => {
        const r = indexedDB.open('stillframe');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      try {
        await new Promise<void>((res, rej) => {
          const tx = db.transaction(store, 'readwrite');
          for (const r of records) {
            if (key === undefined) tx.objectStore(store).add(r);
            else tx.objectStore(store).put(r, key);
          }
          tx.oncomplete = () => res();
          tx.onerror = () => rej(tx.error);
        });
      } finally {
        db.close();
      }
    },
    { store, records, key },
  );
}

const putEvents = (page: Page, events: Seed[]) => putRecords(page, 'events', events);

/** Pixels of a chart's canvas within `tolerance` of each colour (#rrggbb). */
async function colourPixels(chart: Locator, colours: string[], tolerance = 12): Promise<number[]> {
  return chart.locator('canvas').evaluate(
    (canvas: HTMLCanvasElement, { colours, tolerance }) => {
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const rgb = colours.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      const counts = colours.map(() => 0);
      for (let p = 0; p < data.length; p += 4) {
        if (data[p + 3] < 250) continue;
        rgb.forEach(([r, g, b], k) => {
          if (Math.abs(data[p] - r) <= tolerance && Math.abs(data[p + 1] - g) <= tolerance && Math.abs(data[p + 2] - b) <= tolerance) counts[k]++;
        });
      }
      return counts;
    },
    { colours, tolerance },
  );
}

const MIN = 60_000;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious or critical axe-core violations in the page (evaluated through DevTools, so the page's CSP does not apply). */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const res = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return res.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id}: ${v.nodes.slice(0, 3).map((n: any) => JSON.stringify(n.target)).join(' ')}`);
  });
}

/**
 * Three pauses on the demo feed, each with 30 posts in the 3 minutes before it and 15 in the
 * 3 minutes after (10 → 5 posts a minute: 50 % slower); posts far from any pause; and two days
 * ago a pause that came without scrolling before it (counted as a pause, not in the slow-down).
 * Totals: 3 × 45 + 40 + 25 = 200 posts, 4 pauses.
 */
function seed(now: number): Seed[] {
  const out: Seed[] = [];
  const base = now - 2 * 60 * MIN;
  for (let k = 0; k < 3; k++) {
    const p = base + k * 15 * MIN;
    for (const s of [150, 100, 50]) out.push({ ts: p - s * 1000, type: 'posts', siteKey: 'demo', value: 10 });
    out.push({ ts: p, type: 'frame-shown', siteKey: 'demo', frameId: `still:${k}` });
    out.push({ ts: p + 60_000, type: 'posts', siteKey: 'demo', value: 10 });
    out.push({ ts: p + 90_000, type: 'frame-action', siteKey: 'demo', frameId: `still:${k}`, value: 4000, detail: 'continue' });
    out.push({ ts: p + 120_000, type: 'posts', siteKey: 'demo', value: 5 });
  }
  out.push({ ts: base - 60 * MIN, type: 'posts', siteKey: 'demo', value: 40 });
  const twoDaysAgo = now - 2 * 86_400_000;
  out.push({ ts: twoDaysAgo - 60 * MIN, type: 'posts', siteKey: 'x', value: 25 });
  out.push({ ts: twoDaysAgo, type: 'frame-shown', siteKey: 'x', frameId: 'words:1' });
  return out;
}

test('insights: seeded posts and pauses give the totals, three drawn charts and the slow-down sentence', async ({ ext }, testInfo) => {
  const page = await ext.openExtensionPage('/options.html#about');
  await expect(page.getByTestId('version')).toBeVisible();
  await putEvents(page, seed(Date.now()));

  await page.goto(ext.url('/options.html#insights'));
  await expect(page.getByTestId('insights-total-posts')).toHaveText('200');
  await expect(page.getByTestId('insights-total-pauses')).toHaveText('4');

  const sentence = page.getByTestId('slowdown-sentence');
  await expect(sentence).toHaveText('After a pause you scrolled 50 % slower on average.');
  await expect(sentence).toHaveAttribute('data-slowdown-pct', '50');
  const detail = page.getByTestId('slowdown-detail');
  await expect(detail).toHaveAttribute('data-pauses', '3');
  await expect(detail).toContainText('10 posts a minute in the 3 minutes before a pause, 5 in the 3 minutes after; 3 pauses counted.');

  // Every chart is drawn: bars in the theme's accent (and the warm second tone beside them).
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--sf-accent').trim());
  expect(accent).toMatch(/^#[0-9a-f]{6}$/i);
  const second = '#b7834f'; // Chart.tsx SECOND_TONE_FALLBACK (the page defines no --sf-chart-second)
  for (const id of ['chart-posts', 'chart-pauses', 'chart-slowdown']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('canvas')).toHaveCount(1);
    await expect.poll(async () => (await colourPixels(chart, [accent]))[0], { message: `${id} has bars` }).toBeGreaterThan(80);
  }
  const [afterBars, beforeBars] = await colourPixels(page.getByTestId('chart-slowdown'), [accent, second]);
  expect(beforeBars, 'bars before a pause').toBeGreaterThan(80);
  // 10 vs 5 posts a minute: the bar before a pause stands about twice as tall as the one after.
  expect(beforeBars / afterBars).toBeGreaterThan(1.6);
  expect(beforeBars / afterBars).toBeLessThan(2.4);

  // The legends say the numbers before any hover: the range's totals, and the pauses' rates.
  await expect(page.getByTestId('chart-posts-legend')).toHaveText('Last 14 daysPosts: 200');
  await expect(page.getByTestId('chart-pauses-legend')).toHaveText('Last 14 daysPauses: 4');
  await expect(page.getByTestId('chart-slowdown-legend')).toHaveText('All 3 pauses countedPosts a minute before a pause: 10Posts a minute after a pause: 5');

  // The same numbers in the table, newest day first, each day written as on the charts' axis.
  await page.getByText('Show as a table').click();
  await expect(page.getByTestId('insights-table')).toContainText('10');
  const days = await page.getByTestId('insights-table').locator('tbody th').allTextContents();
  const axisDay = (ago: number) => page.evaluate((n) => new Intl.DateTimeFormat('en', { month: 'numeric', day: 'numeric' }).format(new Date(Date.now() - n * 86_400_000)), ago);
  expect(days[0]).toBe(await axisDay(0));
  expect(days[1]).toBe(await axisDay(1));
  expect(days).toHaveLength(14);
  await page.screenshot({ path: testInfo.outputPath('insights.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('locale-select').selectOption('zh_CN');
  await expect(sentence).toHaveText('暂停之后，你平均刷得慢了 50 %。');
});

test('insights: too few pauses to compare shows the slow-down’s empty state', async ({ ext }) => {
  const page = await ext.openExtensionPage('/options.html#about');
  await expect(page.getByTestId('version')).toBeVisible();
  const now = Date.now();
  const p = now - 30 * MIN;
  await putEvents(page, [
    { ts: p - 60_000, type: 'posts', siteKey: 'demo', value: 12 },
    { ts: p, type: 'frame-shown', siteKey: 'demo', frameId: 'still:1' },
    { ts: p + 60_000, type: 'posts', siteKey: 'demo', value: 3 },
  ]);
  await page.goto(ext.url('/options.html#insights'));
  await expect(page.getByTestId('insights-total-posts')).toHaveText('15');
  await expect(page.getByTestId('slowdown-empty')).toContainText('at least 3 pauses');
  await expect(page.getByTestId('chart-slowdown')).toHaveCount(0);
  await expect(page.getByTestId('chart-posts').locator('canvas')).toHaveCount(1);
});

test('health: a damaged settings field is repaired after a worker restart, named in a banner, the rest kept', async ({ ext }, testInfo) => {
  const page = await ext.openExtensionPage('/popup.html');
  await sendFromPage(page, { type: 'settings/patch', patch: { gentleHold: true, cadence: { jitterPct: 7 } } });
  const { settings } = await sendFromPage<{ settings: any }>(page, { type: 'settings/get' });
  await putRecords(page, 'settings', [{ ...settings, cadence: { ...settings.cadence, everyPosts: 'lots' } }], 'current');
  await page.close();
  await ext.stopServiceWorker();

  const options = await ext.openExtensionPage('/options.html#cadence');
  const banner = options.getByTestId('health-banner');
  // The field in the page's own words, not its path in the settings object.
  await expect(banner).toContainText('Some settings were damaged and went back to their defaults: A pause every');
  await options.screenshot({ path: testInfo.outputPath('health-banner.png') });
  expect(await seriousViolations(options)).toEqual([]);
  await expect(options.getByTestId('every-posts')).toHaveValue('25');
  await expect(options.getByTestId('cadence-jitterPct')).toHaveValue('7');
  await expect(options.getByTestId('gentle-hold')).toHaveAttribute('aria-checked', 'true');
  const repaired = (await sendFromPage<{ settings: any }>(options, { type: 'settings/get' })).settings;
  expect(repaired.gentleHold).toBe(true);
  expect(repaired.cadence.everyPosts).toBe(25);

  // The Data section keeps the counters and the last repair; the banner goes once dismissed.
  await options.getByTestId('nav-data').click();
  await expect(options.getByTestId('health-pruned')).toHaveAttribute('data-count', '0');
  await expect(options.getByTestId('health-dropped')).toHaveAttribute('data-count', '0');
  await expect(options.getByTestId('health-repairs')).toContainText('A pause every');
  await options.screenshot({ path: testInfo.outputPath('health-data.png'), fullPage: true });
  await options.getByTestId('health-dismiss').click();
  await expect(banner).toHaveCount(0);
  await options.reload();
  await expect(options.getByTestId('health-pruned')).toBeVisible();
  await expect(banner).toHaveCount(0);
});

test('health: refused messages are counted in the Data section', async ({ ext }) => {
  const page = await ext.openExtensionPage('/popup.html');
  // A malformed message and a content-script message from an extension page: both refused.
  for (const msg of [{ type: 'settings/patch', patch: 'nope' }, { type: 'posts/progress', siteKey: 'x', posts: 1, activeMs: 1 }]) {
    await expect(sendFromPage(page, msg)).rejects.toThrow();
  }
  await page.goto(ext.url('/options.html#data'));
  await expect(page.getByTestId('health-dropped')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('health-dropped')).toHaveText('2 requests that did not come from Stillframe itself were refused.');
});
