import type { Page } from '@playwright/test';
import { ExtensionBrowser } from '../../scripts/lib/extension-browser.mjs';
import { test, expect, framesIn, scrollPosts, scrollUntilFrames, sendFromPage } from './fixtures';
import { clickFrameButton, frameViews, stripesPng } from './frame-helpers';

/**
 * The experience from install to the tenth day (issue #13), in a real Chromium with the built
 * extension: the welcome page, poem languages that follow the person's language, a break that
 * puts the feed away and brings it back, the stopping point, numbers that are never changed
 * silently, the popup on a page Stillframe does not run on, and a frame that fits the screen.
 */

type Ext = InstanceType<typeof ExtensionBrowser>;

async function patchSettings(ext: { openExtensionPage(path: string): Promise<Page> }, patch: unknown): Promise<void> {
  const page = await ext.openExtensionPage('/popup.html');
  const res: any = await sendFromPage(page, { type: 'settings/patch', patch });
  if (!res.ok) throw new Error(res.errors.join('; '));
  await page.close();
}

async function getSettings(ext: { openExtensionPage(path: string): Promise<Page> }): Promise<any> {
  const page = await ext.openExtensionPage('/popup.html');
  const s = ((await sendFromPage(page, { type: 'settings/get' })) as any).settings;
  await page.close();
  return s;
}

/** The popup, opened as a page that speaks about `feed`'s tab (a toolbar popup cannot be clicked open in a test). */
async function openPopupFor(ext: Ext, feed: Page): Promise<Page> {
  const popup = await ext.context!.newPage();
  await popup.setViewportSize({ width: 320, height: 700 });
  await popup.goto(ext.url('/popup.html'));
  const tabId = await popup.evaluate(async (url) => {
    const tabs = await (globalThis as any).chrome.tabs.query({});
    return tabs.find((t: any) => t.url === url || t.pendingUrl === url)?.id as number | undefined;
  }, feed.url());
  await popup.goto(ext.url(`/popup.html${tabId !== undefined ? `?tabId=${tabId}` : ''}`));
  await expect(popup.getByTestId('popup')).toBeVisible();
  return popup;
}

/** Our element of `tag` in the page and the post number it follows ("Post N" in the fixtures). */
function afterPosts(page: Page, tag: string): Promise<number[]> {
  return page.evaluate((t) => {
    return Array.from(document.querySelectorAll(t)).map((host) => {
      let prev = host.previousElementSibling;
      while (prev && prev.localName.startsWith('stillframe-')) prev = prev.previousElementSibling;
      const m = prev?.textContent?.match(/Post (\d+)/);
      return m ? Number(m[1]) : -1;
    });
  }, tag);
}

/** The text a screen reader would read in our host of `tag` (closed shadow roots included). */
async function readHost(page: Page, tag: string, index = 0): Promise<string> {
  const views = await frameViews(page, tag);
  return views[index]?.axText ?? '';
}

test.describe('first run', () => {
  test('install opens the welcome page once; its choices land in settings; it does not come back', async () => {
    test.setTimeout(90_000);
    const ext = new ExtensionBrowser({ keepWelcome: true });
    await ext.launch();
    try {
      const welcome = await ext.welcomePage();
      expect(welcome, 'a first install opens the welcome page').not.toBeNull();
      const w = welcome!;
      await expect(w.getByTestId('welcome-page')).toHaveAttribute('data-state', 'choosing');
      await expect(w.getByRole('heading', { level: 1 })).toHaveText('Welcome to Stillframe');
      await expect(w.getByTestId('welcome-privacy')).toHaveText('Everything stays on this device: no account, no servers, nothing is sent anywhere.');
      await expect(w.getByTestId('welcome-pin')).toContainText('Pin it there');
      // A real pause, drawn by the frame's own component.
      // Frame text is drawn as generated content from data-sf-text (components/frame/Text.tsx), so
      // window.find() cannot read it; the words are read from there.
      const sample = await w
        .getByTestId('welcome-sample')
        .evaluate((el) =>
          [
            el.shadowRoot?.textContent ?? '',
            ...Array.from(el.shadowRoot?.querySelectorAll('[data-sf-text]') ?? [], (n) => n.getAttribute('data-sf-text') ?? ''),
          ].join(' '),
        );
      expect(sample).toContain('Who has seen the wind?');
      expect(sample).toContain('Take a 15-minute break');
      // An English profile: English poems only, until the person says otherwise.
      await expect(w.getByTestId('lang-en')).toBeChecked();
      await expect(w.getByTestId('lang-zh')).not.toBeChecked();
      await expect(w.getByTestId('intensity-balanced')).toBeChecked();

      await w.getByTestId('intensity-gentle').check();
      await expect(w.getByTestId('welcome-preview')).toHaveText('About one pause every 50 posts, at least 10 minutes apart.');
      // Nothing left to show is named, and the start waits.
      for (const k of ['still', 'words', 'breath', 'questions']) await w.getByTestId(`kind-${k}`).uncheck();
      await expect(w.getByTestId('welcome-problem')).toHaveText('Choose at least one kind of pause.');
      await expect(w.getByTestId('welcome-start')).toBeDisabled();
      for (const k of ['still', 'words', 'breath']) await w.getByTestId(`kind-${k}`).check();
      await w.getByTestId('lang-zh').check();
      await w.getByTestId('welcome-start').click();
      await expect(w.getByTestId('welcome-done')).toBeVisible();
      await w.screenshot({ path: test.info().outputPath('welcome-done.png') });

      const s = await getSettings(ext);
      expect(s.cadence).toMatchObject({ everyPosts: 50, minGapMinutes: 10 });
      expect(s.collections.questions.enabled).toBe(false);
      expect(s.collections.still.enabled).toBe(true);
      expect(s.wordLanguages).toEqual(['en', 'zh']);

      await w.getByTestId('welcome-close').click();
      await expect.poll(() => w.isClosed()).toBe(true);
      // The same profile again (a browser restart, like the next morning): no welcome page.
      await ext.restart();
      expect(await ext.welcomePage(4000)).toBeNull();
    } finally {
      await ext.close();
    }
  });

  test('skipping the welcome page is one click and changes nothing', async () => {
    const ext = new ExtensionBrowser({ keepWelcome: true });
    await ext.launch();
    try {
      const w = (await ext.welcomePage())!;
      await w.getByTestId('welcome-skip').click();
      await expect.poll(() => w.isClosed()).toBe(true);
      const s = await getSettings(ext);
      expect(s.cadence.everyPosts).toBe(25);
      expect(s.wordLanguages).toBe('auto');
    } finally {
      await ext.close();
    }
  });

  test('a fresh English profile gets no classical Chinese by default; set to Chinese, it gets both', async ({ ext, openFeed }) => {
    test.setTimeout(120_000);
    const sw = await ext.serviceWorker();
    expect(await sw.evaluate(() => navigator.language), 'this browser speaks English').toMatch(/^en/);
    const off = { enabled: false, weight: 1 };
    await patchSettings(ext, {
      cadence: { everyPosts: 3, jitterPct: 0 },
      collections: { still: off, breath: off, questions: off, words: { enabled: true, weight: 1 } },
    });
    const page = await openFeed();
    await scrollUntilFrames(page, 10);
    const ids = (await framesIn(page)).map((f) => f.id!);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(
      ids.every((id) => id.startsWith('words:en:')),
      ids.join(' '),
    ).toBe(true);
    await page.close();

    // The person sets Stillframe to Chinese: the poems follow (44 Chinese, 33 English; 12 draws).
    await patchSettings(ext, { locale: 'zh_CN' });
    const zh = await openFeed();
    await scrollUntilFrames(zh, 12);
    const zhIds = (await framesIn(zh)).map((f) => f.id!);
    expect(
      zhIds.some((id) => id.startsWith('words:zh:')),
      zhIds.join(' '),
    ).toBe(true);
  });
});

test.describe('a break that leads out of the feed', () => {
  test('"Take a break" covers the feed in every tab of the site, untouched underneath, until "back to the feed"', async ({ ext, openFeed, pageErrors }) => {
    test.setTimeout(120_000);
    await patchSettings(ext, { cadence: { everyPosts: 4, jitterPct: 0 } });
    const url = 'https://www.reddit.com/';
    const page = await openFeed({ url, fixture: 'reddit.html' });
    await scrollUntilFrames(page, 1);
    await page.locator('stillframe-pause').first().scrollIntoViewIfNeeded();
    // Every element of the page as it is now (the page's own world keeps them), to compare later.
    const snapshot = () =>
      page.evaluate(() => {
        const w = window as any;
        w.__kept = Array.from(document.body.querySelectorAll('*')).map((el) => ({ el, html: el.outerHTML }));
        return w.__kept.length;
      });
    const changed = () =>
      page.evaluate(() => (window as any).__kept.filter((k: any) => !k.el.isConnected || k.el.outerHTML !== k.html).map((k: any) => k.el.localName));

    await page.waitForTimeout(500);
    expect(await snapshot()).toBeGreaterThan(20);
    await clickFrameButton(page, 0, 'Take a 15-minute break');
    await expect(page.locator('stillframe-cover')).toHaveCount(1);
    const y = await page.evaluate(() => scrollY);
    // A break that ends after midnight names the day too ("Wed 12:07 AM").
    expect(await readHost(page, 'stillframe-cover')).toMatch(/On a break until (?:[A-Z][a-z]{2} )?\d{1,2}:\d\d/);
    // It covers the window; every element of the page under it is exactly as it was, and it does not scroll.
    expect(await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.localName)).toBe('stillframe-cover');
    expect(await changed()).toEqual([]);
    await page.mouse.wheel(0, 900);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => scrollY)).toBe(y);
    await page.screenshot({ path: test.info().outputPath('break-cover.png') });

    // Stored, not a property of this page: a reload and another tab of the site are covered too.
    const other = await openFeed({ url, fixture: 'reddit.html' });
    await expect(other.locator('stillframe-cover')).toHaveCount(1);
    await page.reload();
    await expect(page.locator('stillframe-cover')).toHaveCount(1);
    expect(await readHost(page, 'stillframe-cover')).toContain('Back to the feed now');

    // Early way back, in one tab: both lift, and pauses come again in the feed.
    await page.bringToFront();
    await clickFrameButton(page, 0, 'Back to the feed now', 'stillframe-cover');
    await expect(page.locator('stillframe-cover')).toHaveCount(0);
    await expect(other.locator('stillframe-cover')).toHaveCount(0);
    await scrollUntilFrames(page, 1);
    expect(pageErrors).toEqual([]);
  });

  test('a break of the chosen length lifts by itself at that time', async ({ ext, openFeed, pageErrors }) => {
    test.setTimeout(150_000);
    await patchSettings(ext, { breakMinutes: 1, cadence: { everyPosts: 4, jitterPct: 0 } });
    const page = await openFeed({ url: 'https://www.reddit.com/', fixture: 'reddit.html' });
    await scrollUntilFrames(page, 1);
    const t0 = Date.now();
    await clickFrameButton(page, 0, 'Take a 1-minute break');
    await expect(page.locator('stillframe-cover')).toHaveCount(1);
    // Still there well before the minute is up…
    await page.waitForTimeout(20_000);
    await expect(page.locator('stillframe-cover')).toHaveCount(1);
    // …and gone once it is (no click: the chosen time).
    await expect(page.locator('stillframe-cover')).toHaveCount(0, { timeout: 75_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(58_000);
    expect(pageErrors).toEqual([]);
  });

  test('the panel offers other lengths: choosing one moves the end', async ({ ext, openFeed }) => {
    await patchSettings(ext, { cadence: { everyPosts: 4, jitterPct: 0 } });
    const page = await openFeed();
    await scrollUntilFrames(page, 1);
    await clickFrameButton(page, 0, 'Take a 15-minute break');
    await expect(page.locator('stillframe-cover')).toHaveCount(1);
    const endOf = async () => {
      const popup = await ext.openExtensionPage('/popup.html');
      const raw = await popup.evaluate(
        () =>
          new Promise<any>((resolve) => {
            const req = indexedDB.open('stillframe');
            req.onsuccess = () => {
              const get = req.result.transaction('state').objectStore('state').get('breaks');
              get.onsuccess = () => resolve(get.result);
            };
          }),
      );
      await popup.close();
      return raw.demo.until as number;
    };
    const first = await endOf();
    expect(first - Date.now()).toBeGreaterThan(14 * 60_000);
    await page.bringToFront();
    await clickFrameButton(page, 0, '1 hour', 'stillframe-cover');
    await expect.poll(endOf).toBeGreaterThan(first + 40 * 60_000);
  });
});

test('the stopping point comes after the set number of posts, once, and goes on "Keep scrolling"', async ({ ext, openFeed, pageErrors }) => {
  test.setTimeout(90_000);
  // No pauses at all: only the stopping point, after 15 posts today.
  await patchSettings(ext, { cadence: { everyPosts: 0, everyMinutes: 0 }, stoppingPoint: { enabled: true, posts: 15 } });
  const page = await openFeed();
  for (let i = 0; i < 120 && (await page.locator('stillframe-stop').count()) === 0; i++) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(80);
  }
  await expect(page.locator('stillframe-stop')).toHaveCount(1);
  const [after] = await afterPosts(page, 'stillframe-stop');
  // Below the fold after the 15th post (never before it), not far after.
  expect(after).toBeGreaterThanOrEqual(15);
  expect(after).toBeLessThanOrEqual(40);
  const text = await readHost(page, 'stillframe-stop');
  const n = Number(/You have seen (\d+) posts today/.exec(text)?.[1]);
  expect(n).toBeGreaterThanOrEqual(15);
  expect(text).toContain('that’s a good place to stop');
  await page.locator('stillframe-stop').scrollIntoViewIfNeeded();
  await page.locator('stillframe-stop').screenshot({ path: test.info().outputPath('stopping-point.png') });

  await clickFrameButton(page, 0, 'Keep scrolling', 'stillframe-stop');
  await expect(page.locator('stillframe-stop')).toHaveCount(0);
  await scrollPosts(page, { steps: 30, stepPx: 500, pauseMs: 60 });
  expect(await page.locator('stillframe-stop').count(), 'once a day').toBe(0);
  expect(pageErrors).toEqual([]);
});

test.describe('nothing changes without being told', () => {
  test('an out-of-range value in the popup and in the options is named, kept as typed and not saved', async ({ ext, openFeed }) => {
    const feed = await openFeed();
    const popup = await openPopupFor(ext, feed);
    const input = popup.getByTestId('cadence-input');
    await input.fill('-3');
    await input.press('Enter');
    await expect(popup.getByTestId('cadence-input-error')).toHaveText('-3 is outside 0–1000, so it was not saved.');
    await expect(input).toHaveValue('-3');
    expect((await getSettings(ext)).cadence.everyPosts).toBe(25);
    // −3 did not turn pauses off: the preview still says every 25 posts.
    await expect(popup.getByTestId('cadence-preview')).toHaveText('About one pause every 25 posts.');

    const options = await ext.openExtensionPage('/options.html#cadence');
    const every = options.getByTestId('every-posts');
    await every.fill('2.5');
    await every.press('Tab');
    await expect(options.getByTestId('error-everyPosts')).toHaveText('2.5 is not a whole number, so it was not saved.');
    await every.fill('40');
    await every.press('Tab');
    await expect(options.getByTestId('saved-everyPosts')).toHaveText('Saved');
    expect((await getSettings(ext)).cadence.everyPosts).toBe(40);

    await options.goto(ext.url('/options.html#sites'));
    const site = options.getByTestId('site-every-demo');
    await site.fill('5000');
    await site.press('Enter');
    await expect(options.getByTestId('site-every-demo-error')).toHaveText('5000 is outside 0–1000, so it was not saved.');
    expect((await getSettings(ext)).sites.demo).toBeUndefined();
  });

  test('the popup on a page Stillframe does not run on says so, offers a snooze everywhere, and no site switch', async ({ ext }) => {
    const ctx = ext.context!;
    await ctx.route('https://unsupported.example/**', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Plain</title><p>Just a page.</p>' }),
    );
    const page = await ctx.newPage();
    await page.goto('https://unsupported.example/');
    const popup = await openPopupFor(ext, page);
    await expect(popup.getByTestId('not-active')).toContainText('Stillframe is not on for this page');
    await expect(popup.getByTestId('site-toggle')).toHaveCount(0);
    await expect(popup.getByTestId('snooze-15m')).toBeVisible();
    // Opened as a page (not from the toolbar) the browser does not show the tab's address, so there
    // is no site to name: the popup says where sites are added instead of offering a button it cannot fill.
    await expect(popup.getByTestId('add-site')).toHaveCount(0);
    await expect(popup.getByTestId('not-active')).toContainText('All settings → Sites');
  });

  test('popup buttons never break a word across lines, in English or in Chinese', async ({ ext, openFeed }) => {
    const feed = await openFeed();
    for (const locale of ['en', 'zh_CN']) {
      await patchSettings(ext, { locale });
      const popup = await openPopupFor(ext, feed);
      await expect(popup.getByTestId('snooze-card')).toBeVisible();
      const wrapped = await popup.evaluate(() =>
        Array.from(document.querySelectorAll('button'))
          .filter((b) => b.offsetParent !== null && b.textContent!.trim())
          .filter((b) => {
            const r = document.createRange();
            r.selectNodeContents(b);
            const lines = new Set(Array.from(r.getClientRects()).map((x) => Math.round(x.top)));
            return lines.size > 1;
          })
          .map((b) => b.textContent),
      );
      expect(wrapped, `${locale}: buttons on more than one line`).toEqual([]);
      await popup.close();
    }
  });
});

test.describe('the frame', () => {
  test('its quiet footer: "Why am I seeing this?" opens this site’s row; "Fewer pauses" says what it changed', async ({ ext, openFeed, pageErrors }) => {
    await patchSettings(ext, { cadence: { everyPosts: 4, jitterPct: 0 } });
    const page = await openFeed();
    await scrollUntilFrames(page, 1);
    expect(await readHost(page, 'stillframe-pause')).toMatch(/Stillframe/);

    const opened = ext.context!.waitForEvent('page');
    await clickFrameButton(page, 0, 'Why am I seeing this?');
    const options = await opened;
    await options.waitForLoadState();
    expect(options.url()).toBe(ext.url('/options.html?site=demo#sites'));
    await expect(options.getByTestId('why-note')).toContainText('You came here from a pause on Demo feed (this computer).');
    await expect(options.getByTestId('why-note')).toContainText('about one every 4 posts');
    await expect(options.getByTestId('site-row-demo')).toHaveAttribute('aria-current', 'true');

    await page.bringToFront();
    await clickFrameButton(page, 0, 'Fewer pauses');
    await expect.poll(() => readHost(page, 'stillframe-pause')).toContain('Done: pauses now come about every 5 posts (it was 4).');
    expect((await getSettings(ext)).cadence.everyPosts).toBe(5);
    expect(pageErrors).toEqual([]);
  });

  test('your own words, added in Library, come as a pause', async ({ ext, openFeed }) => {
    const options = await ext.openExtensionPage('/options.html#library');
    await options.getByTestId('words-text').fill('Put the phone down\nand look at the sky.');
    await options.getByTestId('words-source').fill('a note to myself');
    await options.getByTestId('words-save').click();
    await expect(options.getByTestId('user-frames-notice')).toHaveText('Added your words to “My collection”.');
    await expect(options.getByTestId('user-frame-text')).toHaveText('Put the phone down\nand look at the sky.');
    const off = { enabled: false, weight: 1 };
    await patchSettings(ext, { cadence: { everyPosts: 4, jitterPct: 0 }, collections: { still: off, words: off, breath: off, questions: off } });
    const page = await openFeed();
    await scrollUntilFrames(page, 1);
    const text = await readHost(page, 'stillframe-pause');
    expect(text).toContain('Put the phone down');
    expect(text).toMatch(/—\s*(StaticText: )?a note to myself/);
  });

  for (const screen of [
    { name: 'at 200 % zoom on a 1280 × 800 window', viewport: { width: 1280, height: 800 }, zoom: 2 },
    { name: 'on a 390 × 844 phone screen', viewport: { width: 390, height: 844 }, zoom: 1 },
  ]) {
    test(`the whole frame, picture and buttons, fits the screen ${screen.name}, every kind`, async ({ ext, openFeed }) => {
      test.setTimeout(180_000);
      // A tall picture of your own, and your own words, beside the bundled kinds.
      const options = await ext.openExtensionPage('/options.html#library');
      await options.getByTestId('add-frame-file').setInputFiles({ name: 'tall.png', mimeType: 'image/png', buffer: await stripesPng(400, 1400) });
      await options.getByTestId('add-frame-save').click();
      await expect(options.getByTestId('user-frame')).toHaveCount(1);
      await options.getByTestId('words-text').fill('One line of my own.\nAnother, a little longer than the first one was.\nAnd a third.');
      await options.getByTestId('words-save').click();
      await expect(options.getByTestId('user-frame')).toHaveCount(2);
      const mine = (await options.getByTestId('user-collection').getAttribute('data-collection-id'))!;
      await options.close();

      const sw = await ext.serviceWorker();
      const kinds = { still: 'still', words: 'words', breath: 'breath', questions: 'questions', mine } as const;
      for (const [kind, id] of Object.entries(kinds)) {
        const collections: Record<string, { enabled: boolean; weight: number }> = {};
        for (const c of ['still', 'words', 'breath', 'questions', mine]) collections[c] = { enabled: c === id, weight: 1 };
        await patchSettings(ext, { cadence: { everyPosts: 3, jitterPct: 0 }, collections, wordLanguages: ['en', 'zh'] });
        const page = await openFeed();
        await page.setViewportSize(screen.viewport);
        if (screen.zoom !== 1) {
          const url = page.url();
          await sw.evaluate(
            async ([u, z]) => {
              const chrome = (globalThis as any).chrome;
              const [tab] = await chrome.tabs.query({ url: u as string });
              await chrome.tabs.setZoom(tab.id, z as number);
            },
            [url, screen.zoom] as const,
          );
          await expect.poll(() => page.evaluate(() => Math.round(devicePixelRatio))).toBe(2);
        }
        await scrollUntilFrames(page, kind === 'mine' ? 2 : 3);
        const sizes = await page.evaluate(() =>
          Array.from(document.querySelectorAll('stillframe-pause')).map((h) => {
            h.scrollIntoView({ block: 'start' });
            const r = h.getBoundingClientRect();
            return { id: h.getAttribute('data-frame-id'), h: r.height, w: r.width, vh: innerHeight, vw: innerWidth };
          }),
        );
        for (const s of sizes) {
          expect(s.h, `${kind} ${s.id}: frame height ${s.h} in a ${s.vw}×${s.vh} window`).toBeLessThanOrEqual(s.vh);
          expect(s.w, `${kind} ${s.id}: frame width`).toBeLessThanOrEqual(s.vw);
        }
        if (screen.zoom !== 1) expect(sizes[0].vh).toBeLessThanOrEqual(400);
        await page.close();
      }
    });
  }
});
