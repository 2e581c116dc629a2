import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { test, expect, framesIn, scrollUntilFrames, sendFromPage } from './fixtures';
import { clickFrameButton, frameViews, luma, nodeRect, pixelStats, readSchedulerState, stripesPng } from './frame-helpers';
import { parseCollectionFileText } from '../../utils/frames/collection-file';

/**
 * "Frames worth pausing for": the frame as a reader meets it (light and dark pages, keyboard,
 * "Fewer like this", gentle hold), the user's own images from the options page into the feed,
 * and accessibility (axe-core) of the frame, the popup and the options page.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CURATED = ['still', 'words', 'breath', 'questions'] as const;
const off = { enabled: false, weight: 1 };

async function patchSettings(ext: any, patch: Record<string, unknown>): Promise<void> {
  const page = await ext.openExtensionPage('/popup.html');
  await sendFromPage(page, { type: 'settings/patch', patch });
  await page.close();
}

/** Scrolls until a frame is in the page, then brings it into view and waits until it is drawn. */
async function firstFrameInView(page: Page) {
  await scrollUntilFrames(page, 1);
  const host = page.locator('stillframe-pause').first();
  await host.scrollIntoViewIfNeeded();
  await page.waitForTimeout(150);
  return host;
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

/** Runs axe-core in the page (evaluated through the DevTools protocol, so the page's CSP does not apply). */
async function axe(page: Page, context: string | null = null): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (ctx) => {
    const w = window as any;
    const res = await w.axe.run(ctx ?? document, { resultTypes: ['violations'] });
    return res.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.slice(0, 300)),
    }));
  }, context);
}

const serious = (vs: AxeViolation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

test.describe('the frame on a page', () => {
  test('renders on a light and on a dark page: size, text for assistive technology, a background that follows the page', async ({
    ext,
    openFeed,
    pageErrors,
  }) => {
    await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
    const results: Record<string, { frameBg: [number, number, number]; pageBg: [number, number, number] }> = {};
    for (const [scheme, query] of [
      ['light', 'dark=0'],
      ['dark', 'dark=1'],
    ] as const) {
      const page = await openFeed({ query });
      const host = await firstFrameInView(page);
      const box = await host.boundingBox();
      expect(box!.width, `${scheme}: frame width`).toBeGreaterThanOrEqual(300);
      expect(box!.height, `${scheme}: frame height`).toBeGreaterThanOrEqual(120);

      const shot = await host.screenshot({ path: test.info().outputPath(`frame-${scheme}.png`) });
      const stats = await pixelStats(shot);
      expect(stats.width).toBeGreaterThanOrEqual(300);
      expect(stats.height).toBeGreaterThanOrEqual(120);
      // Drawn, not an empty box: text and buttons make the luminance vary.
      expect(stats.lumaStd, `${scheme}: frame is not blank`).toBeGreaterThan(8);

      // Text through the accessibility tree (the shadow root is closed to scripts, not to screen readers).
      const [view] = await frameViews(page);
      expect(view.ax, `${scheme}: landmark`).toContain('complementary: A pause');
      for (const b of ['Continue', 'Take a 15-minute break', 'Why am I seeing this?', 'Fewer like this one', 'Fewer pauses'])
        expect(view.ax).toContain(`button: ${b}`);
      const content = view.ax.filter(
        (l) =>
          /^(StaticText|img|figure|blockquote|paragraph):/.test(l) &&
          !/Continue|Take a 15-minute break|Why am I seeing this|Fewer like this one|Fewer pauses|Stillframe/.test(l),
      );
      expect(content.length, `${scheme}: the frame says something (${view.axText})`).toBeGreaterThan(0);

      // The frame's own background, sampled inside its top padding, and the page's beside it.
      results[scheme] = { frameBg: stats.pixel(stats.width / 2, 8), pageBg: [0, 0, 0] };
      const pageShot = await page.screenshot({ clip: { x: 2, y: Math.max(0, box!.y + box!.height / 2), width: 4, height: 4 } });
      results[scheme].pageBg = (await pixelStats(pageShot)).mean;
      await page.close();
    }
    const light = results.light;
    const dark = results.dark;
    expect(luma(light.frameBg), 'light page → light frame').toBeGreaterThan(200);
    expect(luma(dark.frameBg), 'dark page → dark frame').toBeLessThan(60);
    expect(luma(light.frameBg) - luma(dark.frameBg)).toBeGreaterThan(120);
    // And each sits in its page's scheme: a dark page's frame is no lighter than mid-grey, and vice versa.
    expect(Math.abs(luma(dark.frameBg) - luma(dark.pageBg))).toBeLessThan(60);
    expect(Math.abs(luma(light.frameBg) - luma(light.pageBg))).toBeLessThan(60);
    expect(pageErrors).toEqual([]);
  });

  test('keyboard only: the frame never takes focus; Tab reaches its buttons; Enter on Continue removes it and focus moves on', async ({
    ext,
    openFeed,
    pageErrors,
  }) => {
    await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
    const page = await openFeed({ query: 'dark=0' });
    // The reader is somewhere on the page (a link in the first post) before any frame exists.
    await page.locator('article.post a').first().focus();
    await page.evaluate(() => (document.activeElement as HTMLElement).setAttribute('data-test-focus', 'before'));
    await scrollUntilFrames(page, 1);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test-focus'))).toBe('before');
    expect((await frameViews(page))[0].focused).toBeNull();

    // From the post before the frame, Tab goes into the frame: Continue first, then the others.
    const host = page.locator('stillframe-pause').first();
    await host.evaluate((h) => h.setAttribute('data-test-frame', 'target'));
    const postBefore = host.locator('xpath=preceding-sibling::article[1]');
    const postAfter = host.locator('xpath=following-sibling::article[1]');
    await postAfter.evaluate((a) => a.setAttribute('data-test-post', 'after'));
    await postBefore.locator('a').last().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('stillframe-pause');
    expect((await frameViews(page))[0].focused).toBe('Continue');
    await page.keyboard.press('Tab');
    expect((await frameViews(page))[0].focused).toBe('Take a 15-minute break');
    await page.keyboard.press('Shift+Tab');
    expect((await frameViews(page))[0].focused).toBe('Continue');

    await page.keyboard.press('Enter');
    await expect(page.locator('stillframe-pause[data-test-frame="target"]')).toHaveCount(0);
    // Focus is not lost to <body>: it moved on to the post that followed the frame.
    expect(
      await page.evaluate(() => document.activeElement?.closest('[data-test-post]')?.getAttribute('data-test-post') ?? document.activeElement?.localName),
    ).toBe('after');
    expect(pageErrors).toEqual([]);
  });

  test('"Fewer like this one" says what it did, lowers that frame’s weight and keeps it out of the rest of the round', async ({
    ext,
    openFeed,
    pageErrors,
  }) => {
    // Only the Breath collection (7 cues), so the next choices are easy to follow.
    await patchSettings(ext, {
      cadence: { everyPosts: 4, jitterPct: 0 },
      collections: { still: off, words: off, questions: off, breath: { enabled: true, weight: 1 } },
    });
    const page = await openFeed({ query: 'dark=0' });
    await firstFrameInView(page);
    const [first] = await framesIn(page);
    const fewerId = first.id!;
    expect(fewerId).toMatch(/^breath:/);
    await page
      .locator('stillframe-pause')
      .first()
      .evaluate((h) => h.setAttribute('data-test-frame', 'fewer'));
    await clickFrameButton(page, 0, 'Fewer like this one');
    // The frame folds into one line that says what happened (its picture and buttons are gone).
    await expect.poll(async () => (await frameViews(page))[0].axText).toContain('Noted: this one will come back less often.');
    expect(Object.keys((await frameViews(page))[0].buttons)).toEqual([]);

    // The background's state (IndexedDB of the extension's origin, read from an extension page).
    const options = await ext.openExtensionPage('/options.html');
    await expect.poll(async () => (await readSchedulerState(options)).frameWeights[fewerId] ?? 1).toBeLessThan(1);
    const state = await readSchedulerState(options);
    expect(state.frameWeights[fewerId]).toBe(0.5);
    expect(state.bags.breath ?? []).not.toContain(fewerId);

    // The next six frames are the six other cues, each once: the one marked "fewer" is not among them.
    await page.bringToFront();
    // The folded frame stays where it was; the six after it are what came next.
    await scrollUntilFrames(page, 7);
    const next = (await framesIn(page)).slice(1, 7).map((f) => f.id!);
    expect(next).not.toContain(fewerId);
    expect(new Set(next).size).toBe(6);
    expect(next.every((id) => id.startsWith('breath:'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  test('gentle hold: the posts after a frame stay sharp while it is below the fold, blur once it is in view, and clear again', async ({
    ext,
    openFeed,
    pageErrors,
  }) => {
    await patchSettings(ext, { gentleHold: true, cadence: { everyPosts: 5, jitterPct: 0 } });
    const page = await openFeed({ query: 'dark=0' });
    // Scroll until a frame exists, without bringing it into view: it is inserted below the fold.
    for (let i = 0; i < 200 && (await page.locator('stillframe-pause').count()) === 0; i++) {
      await page.mouse.wheel(0, 250);
      await page.waitForTimeout(60);
    }
    const look = () =>
      page.evaluate(() => {
        const host = document.querySelector('stillframe-pause')!;
        const next = host.nextElementSibling as HTMLElement;
        const r = host.getBoundingClientRect();
        return { tag: next.localName, filter: getComputedStyle(next).filter, transition: next.style.transition, below: r.top >= innerHeight };
      });
    const waiting = await look();
    expect(waiting.tag).toBe('article');
    expect(waiting.below, 'the frame was put below the fold').toBe(true);
    expect(waiting.filter, 'no hold for a frame nobody sees yet').toBe('none');
    await page.waitForTimeout(600);
    expect((await look()).filter).toBe('none');
    // Now the reader reaches it: the hold begins, then ends on its own.
    await page.evaluate(() => document.querySelector('stillframe-pause')!.scrollIntoView({ block: 'center' }));
    await expect.poll(async () => (await look()).filter).toContain('blur');
    expect((await look()).transition).toBe('');
    await expect.poll(async () => (await look()).filter, { timeout: 8000 }).toBe('none');
    expect(pageErrors).toEqual([]);
  });

  test('gentle hold off (the default): nothing is blurred', async ({ ext, openFeed }) => {
    await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 } });
    const page = await openFeed({ query: 'dark=0' });
    await scrollUntilFrames(page, 1);
    const filter = await page.evaluate(() => getComputedStyle(document.querySelector('stillframe-pause')!.nextElementSibling!).filter);
    expect(filter).toBe('none');
  });
});

test.describe('your own frames', () => {
  test('an image added in the options page (file picker) appears in the feed, drawn on a canvas, with its caption', async ({ ext, openFeed, pageErrors }) => {
    const options = await ext.openExtensionPage('/options.html#library');
    await expect(options.getByTestId('user-collections-empty')).toBeVisible();
    await options.getByTestId('add-frame-file').setInputFiles({ name: 'stripes.png', mimeType: 'image/png', buffer: await stripesPng() });
    await expect(options.getByTestId('add-frame-item')).toHaveCount(1);
    await options.getByTestId('add-frame-caption').fill('Stripes at dusk');
    await options.getByTestId('add-frame-save').click();
    await expect(options.getByTestId('user-frame')).toHaveCount(1);
    await expect(options.getByTestId('user-frame-caption')).toHaveText('Stripes at dusk');
    await expect(options.getByTestId('user-frames-notice')).toContainText('Added 1 image to “My collection”');

    // Stored downscaled and re-encoded (WebP, or JPEG where the encoder has no WebP).
    const stored = await options.evaluate(
      () =>
        new Promise<any>((resolve) => {
          const req = indexedDB.open('stillframe');
          req.onsuccess = () => {
            const all = req.result.transaction('frames').objectStore('frames').getAll();
            all.onsuccess = () =>
              resolve(all.result.map((f: any) => ({ mime: f.mime, width: f.width, height: f.height, size: f.blob.size, type: f.blob.type })));
          };
        }),
    );
    expect(stored).toHaveLength(1);
    expect(['image/webp', 'image/jpeg']).toContain(stored[0].mime);
    expect(stored[0]).toMatchObject({ width: 480, height: 300, type: stored[0].mime });

    // Only the user's collection may be shown.
    await sendFromPage(options, {
      type: 'settings/patch',
      patch: { cadence: { everyPosts: 5, jitterPct: 0 }, collections: Object.fromEntries(CURATED.map((c) => [c, off])) },
    });

    const page = await openFeed({ query: 'dark=0' });
    await firstFrameInView(page);
    const [frame] = await framesIn(page);
    expect(frame.id).toMatch(/^user:/);
    let view = (await frameViews(page))[0];
    expect(view.canvas, 'the image is a <canvas>').not.toBeNull();
    // Chrome's accessibility tree calls role="img" "image".
    expect(view.ax).toContain('image: Image: Stripes at dusk');
    expect(view.axText).toContain('Stripes at dusk');

    // The canvas shows the stripes: not blank, and the colours we drew are there.
    await expect
      .poll(async () => {
        view = (await frameViews(page))[0];
        const rect = await nodeRect(page, view.canvas!);
        const stats = await pixelStats(await page.screenshot({ clip: rect }));
        return stats.lumaStd;
      })
      .toBeGreaterThan(20);
    const rect = await nodeRect(page, view.canvas!);
    expect(rect.width).toBeGreaterThan(100);
    const stats = await pixelStats(await page.screenshot({ clip: rect, path: test.info().outputPath('user-canvas.png') }));
    const at = (fx: number) => stats.pixel(stats.width * fx, stats.height / 2);
    const [red, blue] = [at(0.12), at(0.37)];
    expect(red[0]).toBeGreaterThan(150);
    expect(red[2]).toBeLessThan(110);
    expect(blue[2]).toBeGreaterThan(150);
    expect(blue[0]).toBeLessThan(110);
    expect(pageErrors).toEqual([]);
  });

  test('collections: create, drop an image, rename, switch off, export, import (bad file: errors, nothing changed; good file: a copy), delete', async ({
    ext,
  }) => {
    const options = await ext.openExtensionPage('/options.html#library');
    await options.getByTestId('user-collection-new').click();
    await options.getByTestId('user-collection-new-name').fill('Sea');
    await options.getByTestId('user-collection-new-save').click();
    const card = options.getByTestId('user-collection');
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('user-collection-name')).toContainText('Sea');

    // Drag and drop: a real drop event carrying a File.
    const png = (await stripesPng(320, 200)).toString('base64');
    await options.getByTestId('add-frame-drop').evaluate((zone, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, png);
    await expect(options.getByTestId('add-frame-item')).toHaveCount(1);
    // A caption is text only: markup stays characters.
    await options.getByTestId('add-frame-caption').fill('<b>bold</b> & calm');
    await expect(options.getByTestId('add-frame-collection')).toHaveValue(/^user-collection:/);
    await options.getByTestId('add-frame-save').click();
    await expect(card.getByTestId('user-frame')).toHaveCount(1);
    await expect(card.getByTestId('user-frame-caption')).toHaveText('<b>bold</b> & calm');
    expect(await card.locator('b').count()).toBe(0);

    // A caption longer than 280 characters cannot be typed.
    await card.getByTestId('user-frame-edit').click();
    await card.getByTestId('user-frame-caption-input').fill('x'.repeat(300));
    await expect(card.getByTestId('user-frame-caption-input')).toHaveValue('x'.repeat(280));
    await card.getByTestId('user-frame-caption-input').fill('Calm water');
    await card.getByTestId('user-frame-caption-save').click();
    await expect(card.getByTestId('user-frame-caption')).toHaveText('Calm water');

    await card.getByTestId('user-collection-rename').click();
    await card.getByTestId('user-collection-rename-input').fill('Sea and sky');
    await card.getByTestId('user-collection-rename-save').click();
    await expect(card.getByTestId('user-collection-name')).toContainText('Sea and sky');

    const id = (await card.getAttribute('data-collection-id'))!;
    const toggle = card.getByTestId('user-collection-toggle');
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    const settings: any = await sendFromPage(options, { type: 'settings/get' });
    expect(settings.settings.collections[id]).toEqual({ enabled: false, weight: 1 });

    // Export: a collection file that validates, with the frame and its caption.
    const [download] = await Promise.all([options.waitForEvent('download'), card.getByTestId('user-collection-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^stillframe-sea-and-sky-\d{4}-\d{2}-\d{2}\.json$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const parsed = parseCollectionFileText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.collection.name).toBe('Sea and sky');
    expect(parsed.value.frames.map((f) => (f.kind === 'text' ? f.text : f.caption))).toEqual(['Calm water']);

    // A bad file: field-level errors, and nothing changes.
    const bad = JSON.parse(text);
    bad.frames[0].mime = 'image/gif';
    bad.frames[0].caption = 'x'.repeat(281);
    delete bad.collection.name;
    await options
      .getByTestId('user-collection-import')
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const errors = options.getByTestId('user-collection-import-errors');
    await expect(errors).toContainText('nothing was changed');
    await expect(errors).toContainText('collection.name: is missing');
    await expect(errors).toContainText('frames[0].caption: must be at most 280 characters');
    await expect(errors).toContainText('frames[0].mime:');
    await expect(options.getByTestId('user-collection')).toHaveCount(1);
    await options.getByTestId('user-collection-import').setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{oops') });
    await expect(errors).toContainText('could not be read as JSON');
    await expect(options.getByTestId('user-collection')).toHaveCount(1);

    // The good file: a second collection, a copy with fresh ids.
    await options.getByTestId('user-collection-import').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(options.getByTestId('user-frames-notice')).toContainText('Imported “Sea and sky” with 1 item');
    await expect(errors).toHaveCount(0);
    await expect(options.getByTestId('user-collection')).toHaveCount(2);
    const ids = await options.getByTestId('user-collection').evaluateAll((els) => els.map((e) => e.getAttribute('data-collection-id')));
    expect(new Set(ids).size).toBe(2);
    await expect(options.getByTestId('user-collection').nth(1).getByTestId('user-frame-caption')).toHaveText('Calm water');

    // Delete the first: it, its frame and its settings entry go; the copy stays.
    await card.first().getByTestId('user-collection-delete').click();
    await card.first().getByTestId('user-collection-delete-confirm').click();
    await expect(options.getByTestId('user-collection')).toHaveCount(1);
    await expect(options.getByTestId('user-collection').getByTestId('user-collection-name')).toContainText('Sea and sky');
    expect(await options.getByTestId('user-collection').getAttribute('data-collection-id')).not.toBe(id);
    const after: any = await sendFromPage(options, { type: 'settings/get' });
    expect(after.settings.collections[id]).toBeUndefined();
    // A reload shows the same: it is all in IndexedDB.
    await options.reload();
    await expect(options.getByTestId('user-collection')).toHaveCount(1);
    await expect(options.getByTestId('user-frame')).toHaveCount(1);
  });
});

test.describe('accessibility (axe-core)', () => {
  test('every kind of frame on the preview page, light and dark: no serious or critical violation', async ({ ext }) => {
    const page = await ext.openExtensionPage('/frame-preview.html?lang=en');
    await expect(page.getByTestId('frame-preview')).toHaveAttribute('data-ready', 'true');
    // Every sample rendered into its (open) shadow root, including the generated image.
    const kinds = await page
      .locator('.pv-host')
      .evaluateAll((hosts) => hosts.map((h) => `${h.getAttribute('data-testid')}:${h.shadowRoot?.querySelector('.sf-frame') ? 'ok' : 'missing'}`));
    // Eight kinds of frame, your own words, the stopping point and a break's panel, in two schemes.
    expect(kinds.length).toBe(22);
    expect(kinds.filter((k) => !k.endsWith(':ok'))).toEqual([]);
    await expect(page.locator('[data-testid="preview-dark-image"]').locator('canvas')).toHaveCount(1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: test.info().outputPath('frame-preview.png'), fullPage: true });
    const violations = await axe(page);
    expect(serious(violations), JSON.stringify(violations, null, 2)).toEqual([]);

    const zh = await ext.openExtensionPage('/frame-preview.html?lang=zh_CN');
    await expect(zh.getByTestId('frame-preview')).toHaveAttribute('data-ready', 'true');
    const zhViolations = await axe(zh);
    expect(serious(zhViolations), JSON.stringify(zhViolations, null, 2)).toEqual([]);
  });

  test('the welcome page, in both languages: no serious or critical violation', async ({ ext }) => {
    const page = await ext.openExtensionPage('/welcome.html');
    await expect(page.getByTestId('welcome-page')).toBeVisible();
    await page.waitForTimeout(300);
    const violations = await axe(page);
    expect(serious(violations), JSON.stringify(violations, null, 2)).toEqual([]);
    await page.getByTestId('locale-select').selectOption('zh_CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('欢迎使用 Stillframe 静帧');
    const zh = await axe(page);
    expect(serious(zh), JSON.stringify(zh, null, 2)).toEqual([]);
  });

  test('the popup: no serious or critical violation', async ({ ext }) => {
    const page = await ext.openExtensionPage('/popup.html');
    await expect(page.getByTestId('popup')).toBeVisible();
    await page.waitForTimeout(300);
    const violations = await axe(page);
    expect(serious(violations), JSON.stringify(violations, null, 2)).toEqual([]);
  });

  test('the options page, every section (the library with a frame of your own): no serious or critical violation', async ({ ext }) => {
    const page = await ext.openExtensionPage('/options.html#library');
    await page.getByTestId('add-frame-file').setInputFiles({ name: 'stripes.png', mimeType: 'image/png', buffer: await stripesPng(200, 120) });
    await page.getByTestId('add-frame-caption').fill('Stripes');
    await page.getByTestId('add-frame-save').click();
    await expect(page.getByTestId('user-frame')).toHaveCount(1);
    // And with an image waiting to be added (the caption form).
    await page.getByTestId('add-frame-file').setInputFiles({ name: 'more.png', mimeType: 'image/png', buffer: await stripesPng(120, 200) });
    await expect(page.getByTestId('add-frame-item')).toHaveCount(1);

    const sections = await page.locator('[data-testid^="nav-"]').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')!.slice(4)));
    expect(sections).toContain('library');
    const found: Record<string, AxeViolation[]> = {};
    for (const id of ['library', ...sections.filter((s) => s !== 'library')]) {
      if (id !== 'library') await page.getByTestId(`nav-${id}`).click();
      await expect(page.getByTestId(`section-${id}`)).toBeVisible();
      await page.waitForTimeout(300);
      const v = serious(await axe(page));
      if (v.length) found[id] = v;
    }
    expect(found, JSON.stringify(found, null, 2)).toEqual({});
  });
});
