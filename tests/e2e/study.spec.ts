import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { test, expect, framesIn, scrollUntilFrames, scrollPosts, sendFromPage } from './fixtures';
import { clickFrameButton, frameViews } from './frame-helpers';
import { parseCsv, csvHeader } from '../../utils/study/export';
import { DATA_DICTIONARY, EXPORT_TABLES } from '../../utils/study/dictionary';

/**
 * Study mode end to end, in a real Chromium with the built extension: options → Study → load a
 * protocol → consent page → scroll the demo feed → export the zip and read its CSVs; decline →
 * nothing logged; withdraw → every study store empty; a bad protocol → its field error shown.
 */

const EXAMPLE = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/protocol.example.json', import.meta.url)), 'utf8'));
const ARM_EVERY: Record<string, number> = { 'every-8': 8, 'every-12': 12 };

/** The example protocol with two frame arms (so any assignment shows frames, every one: p_show 1) and short windows. */
function testProtocol(over: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      ...EXAMPLE,
      studyId: 'e2e-study',
      arms: [
        { id: 'every-8', weight: 1, cadence: { everyPosts: 8, jitterPct: 0, minGapMinutes: 0, dailyCap: 0, gracePosts: 0 } },
        { id: 'every-12', weight: 1, cadence: { everyPosts: 12, jitterPct: 0, minGapMinutes: 0, dailyCap: 0, gracePosts: 0 } },
      ],
      experienceSampling: { ...EXAMPLE.experienceSampling, probability: 1, schedule: undefined },
      velocityWindowSeconds: 2,
      ...over,
    },
    null,
    2,
  );
}

/** Options → Research study keeps the study folded until one is set up: open it as a participant would. */
async function unfold(page: Page): Promise<void> {
  if ((await page.getByTestId('study-fold').getAttribute('open')) === null) await page.getByTestId('study-fold-open').click();
}

/** Agrees on the consent page (the example has an ethics block: eligibility is confirmed too). */
async function agree(consent: Page): Promise<void> {
  await consent.getByTestId('consent-read').check();
  await consent.getByTestId('consent-eligible').check();
  await consent.getByTestId('consent-agree').click();
  await expect(consent.getByTestId('consent-enrolled')).toBeVisible();
}

/** Options → Study → Export: the zip's files as text. */
async function exportZip(options: Page): Promise<(p: string) => string> {
  await options.bringToFront();
  await options.reload();
  const download = options.waitForEvent('download');
  await options.getByTestId('study-export').click();
  const zip = unzipSync(new Uint8Array(readFileSync((await (await download).path())!)));
  return (p: string) => strFromU8(zip[p]);
}

async function openStudy(ext: any): Promise<Page> {
  const page = await ext.openExtensionPage('/options.html#study');
  await expect(page.getByTestId('study-section')).toHaveAttribute('data-state', /none|pending|active|finished/);
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

  // The ethics board's facts are on the page, and the "some see none" sentence only with a control arm (none here).
  await expect(consent.getByTestId('study-independent')).toContainText('ethics-office@example.edu');
  await expect(consent.getByTestId('study-deletion')).toContainText('participant id');
  await expect(consent.getByTestId('consent-arms')).not.toContainText('no pauses appear at all');
  await expect(consent.getByTestId('consent-measured')).toContainText('measured even when pauses are snoozed');
  // The participant can keep a copy of what they agree to.
  const copy = consent.waitForEvent('download');
  await consent.getByTestId('consent-save').click();
  const copyText = readFileSync((await (await copy).path())!, 'utf8');
  expect(copyText).toContain('Thank you for considering');
  expect(copyText).toContain('感谢你考虑参与本研究');
  expect(copyText).toContain('REC-2026-042');

  // Agreeing needs an active tick, and the eligibility confirmation.
  await expect(consent.getByTestId('consent-agree')).toBeDisabled();
  await consent.getByTestId('consent-read').check();
  await expect(consent.getByTestId('consent-agree')).toBeDisabled();
  await consent.getByTestId('consent-eligible').check();
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
  // Frames go in well ahead of the reader: read on until the first one is behind (it reports its
  // exposure when scrolled past), looking at it for a moment on the way, as a reader does (a frame
  // flung past in one wheel step is never 70 % in view in a rendered frame, and is not seen).
  let looked = false;
  for (let i = 0; i < 40; i++) {
    const r = await feed.evaluate(() => {
      const b = document.querySelector('stillframe-pause')?.getBoundingClientRect();
      return b ? { top: b.top, bottom: b.bottom, vh: innerHeight } : null;
    });
    if (r && r.bottom < 0) break;
    // At least 70 % of it in view (a 500 px step cannot jump over that with a frame of ~300 px).
    if (r && !looked && Math.min(r.bottom, r.vh) - Math.max(r.top, 0) >= 0.8 * (r.bottom - r.top)) {
      looked = true;
      await feed.waitForTimeout(600);
    }
    await feed.mouse.wheel(0, 500);
    await feed.waitForTimeout(80);
  }
  // Let the velocity windows (2 s) close, then look at what is on the page.
  await feed.waitForTimeout(3000);
  const frames = await framesIn(feed);
  expect(frames.length).toBeGreaterThanOrEqual(3);
  const every = ARM_EVERY[arm];
  expect(frames[0].afterPost!).toBeGreaterThanOrEqual(every);
  expect(frames[0].afterPost!).toBeLessThan(every + 8);
  for (let i = 1; i < frames.length; i++) expect(frames[i].afterPost! - frames[i - 1].afterPost!).toBeGreaterThanOrEqual(every);

  // The last post the reader has reached (its top above the bottom of the viewport).
  const readTo = await feed.evaluate(() => {
    let n = 0;
    for (const a of Array.from(document.querySelectorAll('article'))) {
      if (a.getBoundingClientRect().top >= innerHeight) break;
      const m = a.textContent?.match(/Post (\d+)/);
      if (m) n = Number(m[1]);
    }
    return n;
  });

  // Export from options → Study, then unzip and parse inside the test.
  await options.bringToFront();
  const download = options.waitForEvent('download');
  await options.getByTestId('study-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`stillframe-study-e2e-study-${participantId}-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}.zip`);
  const zip = unzipSync(new Uint8Array(readFileSync((await file.path())!)));
  const text = (p: string) => strFromU8(zip[p]);
  expect(Object.keys(zip)).toEqual(
    expect.arrayContaining([
      'protocol.json',
      'data-dictionary.csv',
      'data-dictionary.json',
      'README.txt',
      'csv/participants.csv',
      'jsonl/participants.jsonl',
      'csv/decisions.csv',
      'csv/impressions.csv',
      'jsonl/impressions.jsonl',
    ]),
  );
  expect(JSON.parse(text('protocol.json')).studyId).toBe('e2e-study');

  const participants = parseCsv(text('csv/participants.csv'));
  expect(participants).toEqual([
    expect.objectContaining({
      participant_id: participantId,
      arm,
      study_id: 'e2e-study',
      duration_days: '14',
      status: 'active',
      allocation_method: 'stable-hash',
      eligibility_confirmed: 'true',
    }),
  ]);
  expect(participants[0].protocol_hash).toMatch(/^[0-9a-f]{64}$/);

  const impressions = parseCsv(text('csv/impressions.csv'));
  // One impression per frame in the page, and at most one more: the next frame, granted ahead of
  // its place (the feed had not appended it yet when the reader stopped).
  const rest: Array<string | null> = impressions.map((r) => r.frame_id);
  for (const f of frames) {
    expect(rest).toContain(f.id);
    rest.splice(rest.indexOf(f.id), 1);
  }
  expect(rest.length).toBeLessThanOrEqual(1);
  for (const r of impressions) {
    expect(r).toMatchObject({ participant_id: participantId, arm, site_key: 'demo', survey_offered: 'true', protocol_hash: participants[0].protocol_hash });
  }
  // Frames scrolled past have reported their one exposure measurement: IntersectionObserver v2 in
  // Chromium; seen = ≥ 70 % visible for a second with the reader's own (wheel) input.
  const reported = impressions.filter((r) => r.exposure_method !== '');
  expect(
    reported.length,
    JSON.stringify({ frames, impressions: impressions.map((r) => [r.frame_id, r.exposure_method, r.first_visible_at, r.in_view_ms]) }),
  ).toBeGreaterThanOrEqual(1);
  for (const r of reported) expect(r.exposure_method).toBe('io-v2');
  const seen = reported.filter((r) => r.first_visible_at !== '');
  expect(seen.length).toBeGreaterThanOrEqual(1);
  expect(Number(seen[0].in_view_ms)).toBeGreaterThan(0);
  expect(Number(seen[0].max_visible_ratio)).toBeGreaterThanOrEqual(0.7);
  // Every frame is one decision point (p_show 1 in these arms), measured around the place it came into view.
  const decisions = parseCsv(text('csv/decisions.csv'));
  expect(decisions.length).toBeGreaterThanOrEqual(frames.length);
  const shown = decisions.filter((d) => d.shown === 'true');
  expect(shown.map((d) => d.impression_id).sort()).toEqual(impressions.map((r) => r.impression_id).sort());
  const measured = shown.filter((d) => d.censored === '');
  expect(measured.length).toBeGreaterThanOrEqual(1);
  for (const d of measured) {
    expect(d).toMatchObject({ p_show: '1', available: 'true', window_s: '2' });
    expect(Number(d.velocity_before_px_s)).toBeGreaterThan(0);
    expect(Number(d.before_px_travelled)).toBeGreaterThanOrEqual(Math.abs(Number(d.before_px_net)));
    expect(d.session_id).toMatch(/^ses-/);
  }
  expect(parseCsv(text('csv/sessions.csv')).map((r) => r.site_key)).toEqual(['demo']);
  // Every post the reader has read past is logged, but for what the tab has not sent yet: it
  // reports posts in batches of 20 (and at each claim), and its count may be up to two behind (one
  // post in three watched). Measured against the reader, not against the last frame, which is
  // claimed and placed ahead of the reader, with the page's appends (10-15 posts ahead once the
  // claim went out ahead of the append that brought its place: CI read 22 and 25 against 30).
  const logged = parseCsv(text('csv/posts_per_minute.csv')).reduce((s, r) => s + Number(r.posts), 0);
  expect(readTo, 'posts the reader has read past').toBeGreaterThan(21);
  expect(logged, `posts logged, the reader at post ${readTo}`).toBeGreaterThanOrEqual(readTo - 21);
  expect(parseCsv(text('csv/versions.csv')).map((r) => r.event)).toEqual(['enrolled']);
  expect(parseCsv(text('csv/settings_snapshots.csv')).map((r) => r.event)).toEqual(['enrolled']);

  // Every CSV has exactly the dictionary's columns; nothing in the data names a URL.
  for (const t of EXPORT_TABLES) {
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

test('withdraw: the participant id and how to ask for deletion come first; then every study record is deleted and the counts show zero', async ({
  ext,
  openFeed,
}) => {
  const options = await openStudy(ext);
  const consent = await loadProtocol(ext, options, testProtocol());
  await agree(consent);
  const participantId = (await consent.getByTestId('participant-id').textContent())!.trim();

  const feed = await openFeed();
  await scrollUntilFrames(feed, 1);
  await scrollPosts(feed, { steps: 6 });
  await feed.waitForTimeout(1000);
  const before = await storeCounts(options);
  expect(before.study).toBeGreaterThanOrEqual(1);
  expect(before.studyLog).toBeGreaterThanOrEqual(2);

  await options.reload();
  await expect(options.getByTestId('study-counts-total')).not.toHaveText(/^0 /);
  // The consent text can be re-read (and saved) at any time.
  await options.getByTestId('study-consent-copy').locator('summary').click();
  await expect(options.getByTestId('study-consent-text')).toContainText('Thank you for considering');
  // Nothing is deleted by the first click: it shows the id and how to reach the researchers.
  await expect(options.getByTestId('study-withdraw-confirm')).toHaveCount(0);
  await options.getByTestId('study-withdraw').click();
  const panel = options.getByTestId('study-withdraw-panel');
  await expect(panel.getByTestId('withdraw-participant-id')).toHaveText(participantId);
  await expect(panel).toContainText('feed-study@example.edu');
  await expect(panel.getByTestId('withdraw-deletion')).toContainText('within 30 days');
  expect((await storeCounts(options)).studyLog).toBeGreaterThanOrEqual(2);
  await options.getByTestId('study-withdraw-confirm').click();
  await expect(options.getByTestId('study-withdrawn')).toBeVisible();
  await expect(options.getByTestId('study-withdrawn-id')).toContainText(participantId);
  await expect(options.getByTestId('study-counts-after')).toHaveAttribute('data-total', '0');
  await expect(options.getByTestId('study-counts-after-impressions')).toHaveText('0');
  await expect(options.getByTestId('study-section')).toHaveAttribute('data-state', 'none');

  // Only the note against arm shopping is kept (no data), shown with a way to forget it.
  expect(await storeCounts(options)).toEqual({ study: 1, studyLog: 0 });
  await expect(options.getByTestId('study-kept')).toContainText(participantId);
  await options.getByTestId('study-forget').click();
  await expect(options.getByTestId('study-kept')).toHaveCount(0);
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
  await agree(consent);
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
  // Every frame in a page has its impression (none lost)…
  const rest: Array<string | null> = impressions.map((r) => r.frame_id);
  for (const id of shown) {
    expect(rest).toContain(id);
    rest.splice(rest.indexOf(id), 1);
  }
  // …and besides them at most the frame each tab was granted ahead of its place, not in the page yet.
  expect(rest.length).toBeLessThanOrEqual(2);
  // None doubled: one impression per decision point, each its own.
  expect(new Set(impressions.map((r) => r.impression_id)).size).toBe(impressions.length);
  expect(new Set(impressions.map((r) => r.decision_id)).size).toBe(impressions.length);
  expect(pageErrors).toEqual([]);
});

test('a control arm logs its decision points (p_show 0, measured like any other) and the survey card\u2019s answer; no frame is ever shown', async ({
  ext,
  openFeed,
  pageErrors,
}) => {
  const options = await openStudy(ext);
  const protocol = testProtocol({
    arms: [{ id: 'control', weight: 1, frames: false }],
    decisionPoints: { everyPosts: 6, jitterPct: 0 },
    experienceSampling: { ...EXAMPLE.experienceSampling, probability: undefined, schedule: { everyPosts: 15, maxPerDay: 1 } },
    measures: ['sessions', 'posts_per_minute', 'decisions', 'survey', 'censoring', 'settings_snapshots', 'versions'],
  });
  const consent = await loadProtocol(ext, options, protocol);
  // With a control arm the consent page says that some see no pauses.
  await expect(consent.getByTestId('consent-arms')).toContainText('no pauses appear at all');
  await agree(consent);
  await expect(consent.getByTestId('study-arm')).toHaveText('control');

  const feed = await openFeed();
  let cards = 0;
  for (let i = 0; i < 200 && cards === 0; i++) {
    await feed.mouse.wheel(0, 500);
    await feed.waitForTimeout(80);
    cards = await feed.locator('stillframe-survey').count();
  }
  expect(cards, 'a survey card in the feed').toBe(1);
  // The card is the study's question in every arm; answer it as a person would.
  const [card] = await frameViews(feed, 'stillframe-survey');
  expect(card.axText).toContain('How do you feel right now?');
  await clickFrameButton(feed, 0, '4', 'stillframe-survey');
  await expect.poll(async () => (await frameViews(feed, 'stillframe-survey'))[0].axText).toContain('Thank you.');
  await scrollPosts(feed, { steps: 30, stepPx: 500, pauseMs: 80 });
  await feed.waitForTimeout(2500); // the last windows (2 s) close
  expect(await feed.locator('stillframe-pause').count()).toBe(0);

  const text = await exportZip(options);
  const decisions = parseCsv(text('csv/decisions.csv'));
  expect(decisions.length).toBeGreaterThanOrEqual(4);
  for (const d of decisions) expect(d).toMatchObject({ arm: 'control', p_show: '0', shown: 'false', available: 'true', impression_id: '' });
  const measured = decisions.filter((d) => d.censored === '');
  expect(measured.length).toBeGreaterThanOrEqual(2);
  for (const d of measured) {
    expect(Number(d.before_ms)).toBeGreaterThan(0);
    expect(Number(d.after_ms)).toBeGreaterThanOrEqual(1900);
    expect(Number(d.velocity_after_px_s)).toBeGreaterThanOrEqual(0);
    expect(d.reached_at).not.toBe('');
  }
  const survey = parseCsv(text('csv/survey.csv'));
  expect(survey).toEqual([expect.objectContaining({ trigger: 'posts', answer: '4', question_id: 'mood', dismissed: 'false' })]);
  expect(survey[0].displayed_at).not.toBe('');
  expect(pageErrors).toEqual([]);
});

test('a break taken from a frame and a snooze during a study: posts are counted whenever the feed can be scrolled; both are censoring intervals, decision points under the snooze are "not available"', async ({
  ext,
  openFeed,
}) => {
  const options = await openStudy(ext);
  const consent = await loadProtocol(ext, options, testProtocol());
  await agree(consent);
  const feed = await openFeed();
  await scrollUntilFrames(feed, 1);
  // The frame's break covers the feed; back to it before the time is up.
  await clickFrameButton(feed, 0, 'Take a 15-minute break');
  await expect(feed.locator('stillframe-cover')).toHaveCount(1);
  await clickFrameButton(feed, 0, 'Back to the feed now', 'stillframe-cover');
  await expect(feed.locator('stillframe-cover')).toHaveCount(0);
  // Then pauses are snoozed for this site, as the popup does.
  const popup = await ext.openExtensionPage('/popup.html');
  await sendFromPage(popup, { type: 'snooze/set', kind: '15m', siteKey: 'demo' });
  await popup.close();

  const postsIn = (text: (p: string) => string) => parseCsv(text('csv/posts_per_minute.csv')).reduce((sum, r) => sum + Number(r.posts), 0);
  const before = postsIn(await exportZip(options));
  await feed.bringToFront();
  await feed.waitForTimeout(500);
  const framesBefore = await feed.locator('stillframe-pause').count();
  await scrollPosts(feed, { steps: 40, stepPx: 500, pauseMs: 80 });
  await feed.waitForTimeout(1000);
  // No new frame while snoozed …
  expect(await feed.locator('stillframe-pause').count()).toBe(framesBefore);
  // … but the posts were counted all the same,
  const text = await exportZip(options);
  expect(postsIn(text) - before).toBeGreaterThanOrEqual(20);
  // the break and the snooze are intervals in which frames could not be shown,
  const censoring = parseCsv(text('csv/censoring.csv'));
  expect(censoring).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ cause: 'on-break', site_key: 'demo', affects: 'frames' }),
      expect.objectContaining({ cause: 'snoozed', site_key: 'demo', end_at: '', affects: 'frames' }),
    ]),
  );
  expect(censoring.find((r) => r.cause === 'on-break')!.end_at).not.toBe('');
  // and decision points kept coming, logged as not available because of the snooze.
  const unavailable = parseCsv(text('csv/decisions.csv')).filter((d) => d.available === 'false');
  expect(unavailable.length).toBeGreaterThanOrEqual(1);
  expect(unavailable.every((d) => d.unavailable_reason === 'snoozed' && d.shown === 'false')).toBe(true);
  expect(parseCsv(text('csv/settings_changes.csv')).map((r) => `${r.field}=${r.value}`)).toContain('snooze.demo=15m');
});
