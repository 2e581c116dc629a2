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

const putEvents = (page: Page, events: Array<Seed & { decision?: unknown }>) => putRecords(page, 'events', events);

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
      .map(
        (v: any) =>
          `${v.id}: ${v.nodes
            .slice(0, 3)
            .map((n: any) => JSON.stringify(n.target))
            .join(' ')}`,
      );
  });
}

/**
 * Three pauses on the demo feed, posts around them, and two days ago a pause on X.
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

/**
 * Decision points as the background logs them (utils/storage/decision-log.ts): `perDay` a day
 * over `days` days, 1 in 10 skipped at random. Before each, a fast burst (300–500 px/s); after,
 * 100–200 px/s — times `effect` when the pause was shown.
 */
function decisions(now: number, opts: { days: number; perDay: number; effect: number }): Array<Seed & { decision: unknown }> {
  let x = 12345;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: Array<Seed & { decision: unknown }> = [];
  for (let d = 0; d < opts.days; d++) {
    for (let k = 0; k < opts.perDay; k++) {
      const shown = rnd() < 0.9;
      const before = (300 + rnd() * 200) * 20;
      const after = (100 + rnd() * 100) * 20 * (shown ? opts.effect : 1);
      out.push({
        ts: now - (d + 1) * 86_400_000 + k * MIN,
        type: 'decision',
        siteKey: 'demo',
        value: 0.9,
        detail: shown ? 'shown' : 'withheld',
        decision: {
          id: `d${d}-${k}`,
          pShow: 0.9,
          shown,
          windowMs: 20_000,
          before: { ms: 20_000, posts: 6, pxTravelled: Math.round(before), pxNet: Math.round(before) },
          after: { ms: 20_000, posts: 2, pxTravelled: Math.round(after), pxNet: Math.round(after) },
          censored: null,
          overlapsPrevious: false,
        },
      });
    }
  }
  return out;
}

test('insights: seeded posts and pauses give the totals and drawn charts; with little data the comparison says it cannot tell yet', async ({
  ext,
}, testInfo) => {
  const page = await ext.openExtensionPage('/options.html#about');
  await expect(page.getByTestId('version')).toBeVisible();
  const now = Date.now();
  // Three measured decision points: a big before/after "slow-down", and nothing to compare it with.
  await putEvents(page, [...seed(now), ...decisions(now, { days: 1, perDay: 3, effect: 0.5 })]);

  await page.goto(ext.url('/options.html#insights'));
  await expect(page.getByTestId('insights-total-posts')).toHaveText('200');
  await expect(page.getByTestId('insights-total-pauses')).toHaveText('4');

  const effect = page.getByTestId('insights-effect');
  await expect(effect).toHaveAttribute('data-verdict', 'not-enough');
  await expect(page.getByTestId('effect-sentence')).toHaveText(
    /^Can’t tell yet\. It takes at least 20 moments of each kind, over at least 10 days\. So far: \d+ with a pause, \d+ without one; days with data: 1\.$/,
  );
  await expect(page.getByTestId('effect-with')).toContainText('slower after than before');
  await expect(page.getByTestId('chart-slowdown')).toHaveCount(0);

  // Every chart is drawn: bars in the theme's accent.
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--sf-accent').trim());
  expect(accent).toMatch(/^#[0-9a-f]{6}$/i);
  for (const id of ['chart-posts', 'chart-pauses']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('canvas')).toHaveCount(1);
    await expect.poll(async () => (await colourPixels(chart, [accent]))[0], { message: `${id} has bars` }).toBeGreaterThan(80);
  }

  // The legends say the numbers before any hover: the range's totals, and the pauses' rates.
  await expect(page.getByTestId('chart-posts-legend')).toHaveText('Last 14 daysPosts: 200');
  await expect(page.getByTestId('chart-pauses-legend')).toHaveText('Last 14 daysPauses: 4');

  // The same numbers in the table, newest day first, each day written as on the charts' axis.
  await page.getByText('Show as a table').click();
  await expect(page.getByTestId('insights-table')).toContainText('10');
  const days = await page.getByTestId('insights-table').locator('tbody th').allTextContents();
  const axisDay = (ago: number) =>
    page.evaluate((n) => new Intl.DateTimeFormat('en', { month: 'numeric', day: 'numeric' }).format(new Date(Date.now() - n * 86_400_000)), ago);
  expect(days[0]).toBe(await axisDay(0));
  expect(days[1]).toBe(await axisDay(1));
  expect(days).toHaveLength(14);
  await page.screenshot({ path: testInfo.outputPath('insights.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('locale-select').selectOption('zh_CN');
  await expect(page.getByTestId('effect-sentence')).toContainText('暂时还说不准');
});

test.describe('with the comparison\u2019s skips on (the default)', () => {
  test.use({ comparisonSkips: true });
  test('insights: with enough skipped moments over two weeks, the comparison names the effect and its range; the switch turns skipping off', async ({
    ext,
  }) => {
    const page = await ext.openExtensionPage('/options.html#about');
    await expect(page.getByTestId('version')).toBeVisible();
    await putEvents(page, decisions(Date.now(), { days: 14, perDay: 20, effect: 0.6 }));
    await page.goto(ext.url('/options.html#insights'));
    await expect(page.getByTestId('insights-effect')).toHaveAttribute('data-verdict', 'slower');
    await expect(page.getByTestId('effect-sentence')).toHaveText(
      /^After a pause you scroll about \d+ % slower than at moments without one \(likely between -\d+ % and -\d+ %\)\.$/,
    );
    await expect(page.getByTestId('effect-without')).toContainText('slower after than before'); // the regression to the mean, shown plainly

    const toggle = page.getByTestId('compare-skips');
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    const { settings } = await sendFromPage<{ settings: any }>(page, { type: 'settings/get' });
    expect(settings.compareWithSkips).toBe(false);
  });
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
  for (const msg of [
    { type: 'settings/patch', patch: 'nope' },
    { type: 'posts/progress', siteKey: 'x', posts: 1, activeMs: 1 },
  ]) {
    await expect(sendFromPage(page, msg)).rejects.toThrow();
  }
  await page.goto(ext.url('/options.html#data'));
  await expect(page.getByTestId('health-dropped')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('health-dropped')).toHaveText('2 requests that did not come from Stillframe itself were refused.');
});
