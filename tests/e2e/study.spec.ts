import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { test, expect, framesIn, scrollUntilFrames, scrollPosts, sendFromPage } from './fixtures';
import { parseCsv, csvHeader } from '../../utils/study/export';
import { DATA_DICTIONARY } from '../../utils/study/dictionary';

/**
 * Study mode end to end, in a real Chromium with the built extension: options → Study → load a
 * protocol → consent page → scroll the demo feed → export the zip and read its CSVs; decline →
 * nothing logged; withdraw → every study store empty; a bad protocol → its field error shown.
 */

const EXAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/protocol.example.json', import.meta.url)), 'utf8'));
const ARM_EVERY: Record<string, number> = { 'every-8': 8, 'every-12': 12 };

/** The example protocol with two frame arms (so any assignment shows frames) and short windows. */
function testProtocol(): string {
  return JSON.stringify(
    {
      ...EXAMPLE,
      studyId: 'e2e-study',
      arms: [
        { id: 'every-8', weight: 1, cadence: { everyPosts: 8, jitterPct: 0, minGapMinutes: 0, dailyCap: 0, gracePosts: 0 } },
        { id: 'every-12', weight: 1, cadence: { everyPosts: 12, jitterPct: 0, minGapMinutes: 0, dailyCap: 0, gracePosts: 0 } },
      ],
      experienceSampling: { ...EXAMPLE.experienceSampling, probability: 1 },
      velocityWindowSeconds: 2,
    },
    null,
    2,
  );
}

/** Options → Research study keeps the study folded until one is set up: open it as a participant would. */
async function unfold(page: Page): Promise<void> {
  if ((await page.getByTestId('study-fold').getAttribute('open')) === null) await page.getByTestId('study-fold-open').click();
}

async function openStudy(ext: any): Promise<Page> {
  const page = await ext.openExtensionPage('/options.html#study');
  await expect(page.getByTestId('study-section')).toHaveAttribute('data-state', /none|pending|active|ended/);
  await unfold(page);
  return page;
}

/** Options → Study → paste → check: returns the consent page that opens. */
async function loadProtocol(ext: any, options: Page, text: string): Promise<Page> {
  await expect(options.getByTestId('study-section')).toHaveAttribute('data-state', 'none');
  await options.getByTestId('study-paste').fill(text);
  const opened = ext.context.waitForEvent('page');
  await options.getByTestId('study-check').click();
  const consent: Page = await opened;
  await consent.waitForLoadState();
  expect(consent.url()).toContain('/consent.html');
  await expect(consent.getByTestId('consent-ask')).toBeVisible();
  return consent;
}

async function studyStatus(page: Page): Promise<any> {
  return sendFromPage(page, { type: 'study/status' });
}

/** Rows in the extension's own IndexedDB stores, read from an extension page. */
async function storeCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const req = indexedDB.open('stillframe');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const names = ['study', 'studyLog'].filter((n) => db.objectStoreNames.contains(n));
          const tx = db.transaction(names, 'readonly');
          const out: Record<string, number> = {};
          for (const n of names) {
            const r = tx.objectStore(n).count();
            r.onsuccess = () => (out[n] = r.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
        };
      }),
  );
}

test('load a protocol, consent, scroll, export: the zip holds what happened', async ({ ext, openFeed, pageErrors }) => {
  const options = await openStudy(ext);
  const consent = await loadProtocol(ext, options, testProtocol());

  // The consent text is shown in the UI language, the other one is a click away.
  await expect(consent.getByTestId('consent-text')).toContainText('Thank you for considering');
  await consent.getByRole('button', { name: '中文' }).click();
  await expect(consent.getByTestId('consent-text')).toContainText('感谢你考虑参与本研究');
  await consent.getByRole('button', { name: 'English' }).click();

  // Agreeing needs an active tick.
  await expect(consent.getByTestId('consent-agree')).toBeDisabled();
  await consent.getByTestId('consent-read').check();
  await expect(consent.getByTestId('consent-agree')).toBeEnabled();
  await consent.getByTestId('consent-agree').click();
  await expect(consent.getByTestId('consent-enrolled')).toBeVisible();
  const participantId = (await consent.getByTestId('participant-id').textContent())!.trim();
  const arm = (await consent.getByTestId('study-arm').textContent())!.trim();
  expect(participantId).toMatch(/^SF-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(Object.keys(ARM_EVERY)).toContain(arm);

  // Options and popup show the study.
  await options.reload();
  await expect(options.getByTestId('study-day')).toContainText('day 1 of 14');
  await expect(options.getByTestId('participant-id')).toHaveText(participantId);
  await expect(options.getByTestId('study-arm')).toHaveText(arm);
  const popup = await ext.openExtensionPage('/popup.html');
  await expect(popup.getByTestId('study-badge')).toHaveText('Study active · day 1 of 14');
  // The popup does not offer (or reveal) a cadence the arm overrides.
  await expect(popup.getByTestId('cadence-study')).toBeVisible();
  await expect(popup.getByTestId('cadence-input')).toHaveCount(0);
  await popup.close();

  // Scroll the demo feed: the arm's cadence (not the default 25) governs the frames.
  const feed = await openFeed();
  await scrollUntilFrames(feed, 3);
  // Let the velocity windows (2 s) close, then look at what is on the page.
  await feed.waitForTimeout(3000);
  const frames = await framesIn(feed);
  expect(frames.length).toBeGreaterThanOrEqual(3);
  const every = ARM_EVERY[arm];
  expect(frames[0].afterPost!).toBeGreaterThanOrEqual(every);
  expect(frames[0].afterPost!).toBeLessThan(every + 8);
  for (let i = 1; i < frames.length; i++) expect(frames[i].afterPost! - frames[i - 1].afterPost!).toBeGreaterThanOrEqual(every);

  // Export from options → Study, then unzip and parse inside the test.
  await options.bringToFront();
  const download = options.waitForEvent('download');
  await options.getByTestId('study-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`stillframe-study-e2e-study-${participantId}-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.zip`);
  const zip = unzipSync(new Uint8Array(readFileSync((await file.path())!)));
  const text = (p: string) => strFromU8(zip[p]);
  expect(Object.keys(zip)).toEqual(expect.arrayContaining(['protocol.json', 'data-dictionary.csv', 'data-dictionary.json', 'README.txt', 'csv/participant.csv', 'jsonl/participant.jsonl', 'csv/impressions.csv', 'jsonl/impressions.jsonl']));
  expect(JSON.parse(text('protocol.json')).studyId).toBe('e2e-study');

  const participant = parseCsv(text('csv/participant.csv'));
  expect(participant).toEqual([expect.objectContaining({ participant_id: participantId, arm, study_id: 'e2e-study', duration_days: '14' })]);

  const impressions = parseCsv(text('csv/impressions.csv'));
  expect(impressions).toHaveLength(frames.length);
  expect(impressions.map((r) => r.frame_id).sort()).toEqual(frames.map((f) => f.id).sort());
  for (const r of impressions) {
    expect(r).toMatchObject({ participant_id: participantId, arm, site_key: 'demo', survey_offered: 'true' });
  }
  // Frames that were scrolled past were seen, timed, and have their pause-effect row.
  const seen = impressions.filter((r) => r.first_visible_at !== '');
  expect(seen.length).toBeGreaterThanOrEqual(1);
  const velocity = parseCsv(text('csv/scroll_velocity.csv'));
  expect(velocity.length).toBeGreaterThanOrEqual(1);
  for (const v of velocity) {
    expect(impressions.map((r) => r.impression_id)).toContain(v.impression_id);
    expect(Number(v.window_s)).toBe(2);
    expect(Number(v.before_px_per_s)).toBeGreaterThan(0);
  }
  expect(parseCsv(text('csv/sessions.csv')).map((r) => r.site_key)).toEqual(['demo']);
  expect(parseCsv(text('csv/posts_per_minute.csv')).reduce((s, r) => s + Number(r.posts), 0)).toBeGreaterThanOrEqual(frames[frames.length - 1].afterPost! - 10);
  expect(parseCsv(text('csv/versions.csv')).map((r) => r.event)).toEqual(['enrolled']);

  // Every CSV has exactly the dictionary's columns; nothing in the data names a URL.
  for (const t of ['participant', 'sessions', 'posts_per_minute', 'impressions', 'scroll_velocity', 'survey', 'settings_changes', 'versions'] as const) {
    expect(csvHeader(text(`csv/${t}.csv`)), t).toEqual(DATA_DICTIONARY[t].columns.map((c) => c.name));
    expect(text(`csv/${t}.csv`)).not.toMatch(/https?:\/\/|127\.0\.0\.1/);
  }
  expect(pageErrors).toEqual([]);
});

test('declining consent: nothing is logged, and the feed follows the participant\u2019s own settings', async ({ ext, openFeed }) => {
  const options = await openStudy(ext);
  await sendFromPage(options, { type: 'settings/patch', patch: { cadence: { everyPosts: 10, jitterPct: 0 } } });
  const consent = await loadProtocol(ext, options, testProtocol());
  await consent.getByTestId('consent-decline').click();
  await expect(consent.getByTestId('consent-declined')).toBeVisible();

  const feed = await openFeed();
  await scrollUntilFrames(feed, 2);
  await feed.waitForTimeout(2500);
  const frames = await framesIn(feed);
  expect(frames[0].afterPost!).toBeGreaterThanOrEqual(10);

  const status = await studyStatus(options);
  expect(status.state).toBe('none');
  expect(status.counts.total).toBe(0);
  expect(await storeCounts(options)).toEqual({ study: 0, studyLog: 0 });
  await options.reload();
  await expect(options.getByTestId('study-section')).toHaveAttribute('data-state', 'none');
  await unfold(options);
  await expect(options.getByTestId('study-load')).toBeVisible();
});

test('withdraw: every study record and the participant id are deleted, and the counts show zero', async ({ ext, openFeed }) => {
  const options = await openStudy(ext);
  const consent = await loadProtocol(ext, options, testProtocol());
  await consent.getByTestId('consent-read').check();
  await consent.getByTestId('consent-agree').click();
  await expect(consent.getByTestId('consent-enrolled')).toBeVisible();

  const feed = await openFeed();
  await scrollUntilFrames(feed, 1);
  await scrollPosts(feed, { steps: 6 });
  await feed.waitForTimeout(1000);
  const before = await storeCounts(options);
  expect(before.study).toBeGreaterThanOrEqual(1);
  expect(before.studyLog).toBeGreaterThanOrEqual(2);

  await options.reload();
  await expect(options.getByTestId('study-counts-total')).not.toHaveText(/^0 /);
  await options.getByTestId('study-withdraw').click();
  await options.getByTestId('study-withdraw-confirm').click();
  await expect(options.getByTestId('study-withdrawn')).toBeVisible();
  await expect(options.getByTestId('study-counts-after')).toHaveAttribute('data-total', '0');
  await expect(options.getByTestId('study-counts-after-impressions')).toHaveText('0');
  await expect(options.getByTestId('study-section')).toHaveAttribute('data-state', 'none');

  expect(await storeCounts(options)).toEqual({ study: 0, studyLog: 0 });
  const status = await studyStatus(options);
  expect(status).toMatchObject({ state: 'none', participantId: null, arm: null });
  expect(status.counts.total).toBe(0);
  // Scrolling on logs nothing any more.
  await feed.bringToFront();
  await scrollPosts(feed, { steps: 20 });
  await feed.waitForTimeout(1000);
  expect(await storeCounts(options)).toEqual({ study: 0, studyLog: 0 });
  const popup = await ext.openExtensionPage('/popup.html');
  await expect(popup.getByTestId('popup')).toBeVisible();
  await expect(popup.getByTestId('study-badge')).toHaveCount(0);
});

test('a bad protocol shows its field errors and changes nothing', async ({ ext }) => {
  const options = await openStudy(ext);
  const bad = JSON.parse(testProtocol());
  bad.arms[1].weight = 0;
  bad.durationDays = 'two weeks';
  await options.getByTestId('study-paste').fill(JSON.stringify(bad));
  await options.getByTestId('study-check').click();
  await expect(options.getByTestId('study-errors')).toBeVisible();
  await expect(options.locator('[data-testid="study-error"][data-path="arms.1.weight"]')).toContainText('must be greater than 0');
  await expect(options.locator('[data-testid="study-error"][data-path="durationDays"]')).toContainText('whole number');

  // The same through the file picker: not JSON at all.
  await options.getByTestId('study-file').setInputFiles({ name: 'protocol.json', mimeType: 'application/json', buffer: Buffer.from('{ "format": 1, ') });
  await expect(options.locator('[data-testid="study-error"][data-path="(file)"]')).toContainText('not valid JSON');

  expect((await studyStatus(options)).counts.total).toBe(0);
  expect(ext.context!.pages().some((p: Page) => p.url().includes('/consent.html'))).toBe(false);
});

test('worker death while two tabs scroll during a study: every shown frame is one impression, none lost or doubled', async ({ ext, openFeed, pageErrors }) => {
  const options = await openStudy(ext);
  const consent = await loadProtocol(ext, options, testProtocol());
  await consent.getByTestId('consent-read').check();
  await consent.getByTestId('consent-agree').click();
  await expect(consent.getByTestId('consent-enrolled')).toBeVisible();
  await consent.close();

  const a = await openFeed();
  const b = await openFeed();
  for (let round = 0; round < 6; round++) {
    await ext.stopServiceWorker();
    await a.bringToFront();
    await scrollPosts(a, { steps: 6, stepPx: 500, pauseMs: 70 });
    await ext.stopServiceWorker();
    await b.bringToFront();
    await scrollPosts(b, { steps: 6, stepPx: 500, pauseMs: 70 });
  }
  await a.waitForTimeout(500);
  const shown = [...(await framesIn(a)), ...(await framesIn(b))].map((f) => f.id).sort();
  expect(shown.length).toBeGreaterThanOrEqual(2);

  await options.bringToFront();
  await options.reload();
  const download = options.waitForEvent('download');
  await options.getByTestId('study-export').click();
  const zip = unzipSync(new Uint8Array(readFileSync((await (await download).path())!)));
  const impressions = parseCsv(strFromU8(zip['csv/impressions.csv']));
  expect(impressions.map((r) => r.frame_id).sort()).toEqual(shown);
  expect(new Set(impressions.map((r) => r.impression_id)).size).toBe(impressions.length);
  expect(pageErrors).toEqual([]);
});
