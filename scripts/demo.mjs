#!/usr/bin/env node
// The main job: build Stillframe, serve the demo feed, scroll it in Chromium with the
// extension loaded, save screenshots and print what happened. Headed when a display exists.
//   npm run demo                  (screenshots in artifacts/demo/)
//   npm run demo -- --docs        (also refresh docs/screenshots/ for the README)
//   npm run demo -- --headless    (force headless)
import { devBuild } from './lib/dev-build.mjs';
import { mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExtensionBrowser } from './lib/extension-browser.mjs';
import { startFixtureServer } from './serve-fixtures.mjs';
import { ensureBrowser } from './find-browser.mjs';
import { clickInShadow } from './lib/shadow-click.mjs';

const args = new Set(process.argv.slice(2));
const headless = args.has('--headless') || !process.env.DISPLAY;
const OUT = resolve('artifacts/demo');
const TARGET_POSTS = 200;

function step(msg) {
  console.log(`• ${msg}`);
}

/** Scrolls a new demo tab until a frame is in view and returns the tab. */
async function feedWithFrame(ext, serverUrl) {
  const feed = await ext.context.newPage();
  await feed.goto(`${serverUrl}/demo.html`);
  await feed.waitForSelector('article');
  for (let i = 0; i < 80 && (await feed.locator('stillframe-pause').count()) === 0; i++) {
    await feed.mouse.wheel(0, 600);
    await feed.waitForTimeout(40);
  }
  if (await feed.locator('stillframe-pause').count()) {
    await feed
      .locator('stillframe-pause')
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await feed.waitForTimeout(300);
  }
  return feed;
}

/** "Take a break" on a frame, a picture of the panel over the feed, then back to the feed. */
async function shootBreak(ext, serverUrl, file) {
  const feed = await feedWithFrame(ext, serverUrl);
  try {
    if (!(await feed.locator('stillframe-pause').count())) return false;
    await clickInShadow(feed, 'stillframe-pause', (t) => /^Take a|^休息/.test(t));
    await feed.waitForSelector('stillframe-cover', { state: 'attached' });
    await feed.waitForTimeout(400);
    await feed.screenshot({ path: file });
    await clickInShadow(feed, 'stillframe-cover', (t) => /Back to the feed|回到信息流/.test(t));
    await feed.waitForSelector('stillframe-cover', { state: 'detached' });
    return true;
  } finally {
    await feed.close();
  }
}

async function main() {
  step(`browser: ${ensureBrowser()}`);
  step('building the extension (wxt build, development: with the demo hosts)…');
  devBuild();
  mkdirSync(OUT, { recursive: true });
  const server = await startFixtureServer(0);
  step(`demo feed at ${server.url}/demo.html (${headless ? 'headless' : 'headed'})`);
  const ext = await new ExtensionBrowser({ headless, viewport: { width: 1280, height: 800 } }).launch();
  try {
    const page = await ext.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/demo.html`);
    await page.waitForSelector('article');

    let firstFrameShot = false;
    for (let i = 0; i < 400; i++) {
      const passed = await page.evaluate(() => {
        // Posts whose top has gone above the bottom of the viewport have been seen.
        const items = Array.from(document.querySelectorAll('article'));
        return items.filter((a) => a.getBoundingClientRect().top < innerHeight).length;
      });
      if (passed >= TARGET_POSTS) break;
      await page.mouse.wheel(0, 500);
      await page.waitForTimeout(headless ? 40 : 120);
      if (!firstFrameShot) {
        const visible = await page.evaluate(() => {
          const f = document.querySelector('stillframe-pause');
          if (!f) return false;
          const r = f.getBoundingClientRect();
          return r.top > 80 && r.bottom < innerHeight - 40;
        });
        if (visible) {
          await page.waitForTimeout(300);
          await page.screenshot({ path: join(OUT, 'feed-with-frame.png') });
          firstFrameShot = true;
        }
      }
    }
    await page.waitForTimeout(500);
    const frames = await page.evaluate(() =>
      Array.from(document.querySelectorAll('stillframe-pause')).map((h) => {
        let prev = h.previousElementSibling;
        while (prev && prev.localName === 'stillframe-pause') prev = prev.previousElementSibling;
        const m = prev?.textContent?.match(/Post (\d+)/);
        return { afterPost: m ? Number(m[1]) : null };
      }),
    );
    // The frame's id is inside its closed shadow root (the page never sees it): read it there.
    const ids = await frameIdsOf(page);
    frames.forEach((f, i) => (f.id = ids[i] ?? null));
    if (!firstFrameShot && frames.length) {
      await page.locator('stillframe-pause').first().scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, 'feed-with-frame.png') });
    }
    // A dark page gets a dark frame.
    const dark = await ext.context.newPage();
    await dark.goto(`${server.url}/demo.html?dark=1`);
    await dark.waitForSelector('article');
    for (let i = 0; i < 80 && (await dark.locator('stillframe-pause').count()) === 0; i++) {
      await dark.mouse.wheel(0, 600);
      await dark.waitForTimeout(40);
    }
    if (await dark.locator('stillframe-pause').count()) {
      await dark
        .locator('stillframe-pause')
        .first()
        .evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await dark.waitForTimeout(300);
      await dark.screenshot({ path: join(OUT, 'feed-with-frame-dark.png') });
    }
    await dark.close();

    const stats = await page.evaluate(() => document.querySelectorAll('article').length);
    // The popup speaks about the demo tab (?tabId=), as it would when clicked over that tab.
    const sw = await ext.serviceWorker();
    const tabId = await sw.evaluate(async () => (await chrome.tabs.query({ url: 'http://127.0.0.1/*' }))[0]?.id ?? null);
    const control = await ext.openExtensionPage('/popup.html');
    const today = await control.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'stats/today' })).data);
    for (const locale of ['en', 'zh_CN']) {
      await control.evaluate(async (l) => chrome.runtime.sendMessage({ type: 'settings/patch', patch: { locale: l } }), locale);
      const suffix = locale === 'en' ? '' : '-zh_CN';
      const popup = await ext.context.newPage();
      await popup.setViewportSize({ width: 360, height: 560 });
      await popup.goto(ext.url(`/popup.html${tabId !== null ? `?tabId=${tabId}` : ''}`));
      await popup.waitForTimeout(700);
      await popup.screenshot({ path: join(OUT, `popup${suffix}.png`) });
      await popup.close();
      const options = await ext.context.newPage();
      await options.setViewportSize({ width: 1280, height: 800 });
      await options.goto(ext.url('/options.html'));
      await options.waitForTimeout(700);
      await options.screenshot({ path: join(OUT, `options${suffix}.png`) });
      await options.close();
      // The first page a new person sees (opened once, on install), and a break from a frame.
      const welcome = await ext.context.newPage();
      await welcome.setViewportSize({ width: 1100, height: 900 });
      await welcome.goto(ext.url('/welcome.html'));
      await welcome.waitForSelector('[data-testid="welcome-sample"]');
      await welcome.waitForTimeout(600);
      await welcome.screenshot({ path: join(OUT, `welcome${suffix}.png`), fullPage: true });
      await welcome.close();
      if (!(await shootBreak(ext, server.url, join(OUT, `break-panel${suffix}.png`)))) console.error(`  no frame for the break panel (${locale})`);
      if (locale !== 'en') {
        // The frame itself in that language (buttons, the posts-since line, a matching poem).
        const feed = await ext.context.newPage();
        await feed.goto(`${server.url}/demo.html`);
        await feed.waitForSelector('article');
        for (let i = 0; i < 80 && (await feed.locator('stillframe-pause').count()) === 0; i++) {
          await feed.mouse.wheel(0, 600);
          await feed.waitForTimeout(40);
        }
        if (await feed.locator('stillframe-pause').count()) {
          await feed
            .locator('stillframe-pause')
            .first()
            .evaluate((el) => el.scrollIntoView({ block: 'center' }));
          await feed.waitForTimeout(300);
          await feed.screenshot({ path: join(OUT, `feed-with-frame${suffix}.png`) });
        }
        await feed.close();
      }
    }
    await control.evaluate(async () => chrome.runtime.sendMessage({ type: 'settings/patch', patch: { locale: 'auto' } }));

    console.log('\nStillframe demo summary');
    console.log(`  posts in the feed:        ${stats}`);
    console.log(`  posts passed, all tabs:   ${today?.posts ?? '?'}`);
    console.log(`  pauses today, all tabs:   ${today?.pauses ?? '?'}`);
    console.log(`  frames inserted:          ${frames.length}`);
    console.log(`  after posts:              ${frames.map((f) => f.afterPost).join(', ') || '—'}`);
    console.log(`  frames:                   ${frames.map((f) => f.id).join(', ') || '—'}`);
    console.log(`  page errors:              ${errors.length ? errors.join(' | ') : 'none'}`);
    console.log(
      `  screenshots:              ${readdirSync(OUT)
        .map((f) => join('artifacts/demo', f))
        .join(', ')}`,
    );
    if (args.has('--docs')) {
      mkdirSync('docs/screenshots', { recursive: true });
      for (const f of readdirSync(OUT)) copyFileSync(join(OUT, f), join('docs/screenshots', f));
      console.log('  copied to docs/screenshots/');
    }
    if (frames.length === 0) {
      console.error('\nNo frame appeared: something is wrong (see errors above).');
      process.exitCode = 1;
    }
    if (!headless) {
      console.log('\nThe browser stays open for you to scroll; press Ctrl-C to end.');
      await new Promise(() => {});
    }
  } finally {
    if (headless) {
      await ext.close();
      await server.close();
    }
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});

/** Frame ids in document order, from inside the closed shadow roots (DevTools protocol). */
async function frameIdsOf(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const ids = [];
    const walk = (n) => {
      const a = n.attributes ?? [];
      for (let i = 0; i < a.length; i += 2) if (a[i] === 'data-frame-id') ids.push(a[i + 1]);
      for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) walk(c);
    };
    walk(root);
    return ids;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
