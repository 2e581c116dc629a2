/**
 * What users install is the store zip, not the dev build: this spec runs `npm run zip` (into a
 * folder of its own, so the suite's .output/ stays as it is), loads the unzipped Chrome zip in
 * Chromium, and runs the release checklist on them — which lints the Firefox zip the way
 * addons.mozilla.org does (`web-ext lint`, offline). The Firefox zip runs in Firefox in
 * firefox.spec.ts.
 */
import { test, expect, fixtureHtml, scrollUntilFrames, sendFromPage } from './fixtures';
import { ExtensionBrowser } from '../../scripts/lib/extension-browser.mjs';
import { unzipSync } from 'fflate';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

const ROOT = process.cwd();
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const ZIPS = {
  chrome: `stillframe-${VERSION}-chrome.zip`,
  firefox: `stillframe-${VERSION}-firefox.zip`,
  sources: `stillframe-${VERSION}-sources.zip`,
};

let work: string;
let out: string;

function entries(zip: string): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(readFileSync(join(out, zip))));
}

/** Unzips a store zip into a fresh folder, as a store or a user's browser would see it. */
function extract(zip: string): string {
  const dir = join(work, zip.replace(/\.zip$/, ''));
  for (const [name, data] of Object.entries(entries(zip))) {
    if (name.endsWith('/')) continue;
    const file = resolve(dir, name);
    if (!file.startsWith(dir)) throw new Error(`zip entry escapes its folder: ${name}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
  return dir;
}

test.beforeAll(() => {
  test.setTimeout(240_000);
  work = mkdtempSync(join(tmpdir(), 'stillframe-packaging-'));
  out = join(work, 'output');
  const env: NodeJS.ProcessEnv = { ...process.env, STILLFRAME_OUT_DIR: out };
  delete env.STILLFRAME_DEV_HOSTS; // a store zip is a release build (wxt.config.ts refuses otherwise)
  execFileSync('npm', ['run', 'zip'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npm run zip makes the Chrome/Edge, Firefox and sources zips', () => {
  for (const zip of Object.values(ZIPS)) expect(existsSync(join(out, zip)), zip).toBe(true);

  // The stores want manifest.json at the root of the zip, not inside a folder.
  for (const zip of [ZIPS.chrome, ZIPS.firefox]) {
    const names = Object.keys(entries(zip));
    expect(names, zip).toContain('manifest.json');
    expect(names, zip).toContain('icons/128.png');
    expect(
      names.filter((n) => n.endsWith('.map')),
      `${zip}: no source maps`,
    ).toEqual([]);
  }

  // The sources zip rebuilds the add-on (AMO's reviewers run it) and holds nothing else.
  const sources = Object.keys(entries(ZIPS.sources));
  for (const needed of [
    'package.json',
    'package-lock.json',
    'wxt.config.ts',
    'modules/icons.ts',
    'public/icon.svg',
    'entrypoints/background.ts',
    'entrypoints/content.ts',
    'docs/STORE.md',
  ]) {
    expect(sources, needed).toContain(needed);
  }
  const unwanted = sources.filter(
    (n) => /^(node_modules|\.output|\.wxt|\.git|artifacts|test-results|playwright-report|tests)\//.test(n) || n.includes('/node_modules/'),
  );
  expect(unwanted).toEqual([]);

  // The Chrome Web Store's mandatory small promo tile comes out of the same command.
  const tile = readFileSync(join(out, 'store', 'promo-440x280.png'));
  expect([tile.readUInt32BE(16), tile.readUInt32BE(20)]).toEqual([440, 280]);
});

test('the Chrome zip loads in Chromium: worker, popup, a frame at a real feed, local pages untouched, no demo row', async ({ server }) => {
  const extensionDir = extract(ZIPS.chrome);
  const ext = new ExtensionBrowser({ extensionDir });
  try {
    await ext.launch(); // waits for the service worker
    const sw = await ext.serviceWorker();
    expect(sw.url()).toBe(ext.url('/background.js'));

    const popup = await ext.openExtensionPage('/popup.html');
    const errors: string[] = [];
    popup.on('pageerror', (e) => errors.push(e.message));
    await expect(popup.locator('#app')).not.toBeEmpty();
    // The generated icons are in the package at the paths the manifest names.
    const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8'));
    for (const path of Object.values(manifest.icons as Record<string, string>)) {
      const res = await popup.evaluate(async (u) => (await fetch(u)).headers.get('content-type'), ext.url(path));
      expect(res, path).toContain('image/png');
    }
    await sendFromPage(popup, { type: 'settings/patch', patch: { cadence: { everyPosts: 8, jitterPct: 0 }, compareWithSkips: false } });
    await popup.close();
    expect(errors).toEqual([]);

    // A supported feed at its real origin gets its frames.
    const ctx = ext.context!;
    await ctx.route('https://www.reddit.com/**', (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixtureHtml('reddit.html') })
        : route.fulfill({ status: 404, body: '' }),
    );
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto('https://www.reddit.com/');
    await scrollUntilFrames(page, 1);
    const box = await page.locator('stillframe-pause').first().boundingBox();
    expect(box!.height).toBeGreaterThan(100);
    expect(pageErrors).toEqual([]);

    // A page on 127.0.0.1 (a router's admin page, or our own demo feed) is not a feed to a
    // release: nothing is written into it and nothing appears, however far one scrolls.
    const local = await ctx.newPage();
    await local.goto(`${server.url}/demo.html`);
    for (let i = 0; i < 40; i++) await local.mouse.wheel(0, 500);
    await local.waitForTimeout(500);
    const touched = await local.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('data-stillframe')),
    );
    expect(touched).toEqual([]);
    await expect(local.locator('stillframe-pause')).toHaveCount(0);

    // The settings list the real feeds and no "Demo feed (this computer)".
    const options = await ext.openExtensionPage('/options.html#sites');
    await expect(options.getByTestId('site-toggle-reddit')).toBeVisible();
    await expect(options.getByTestId('site-toggle-demo')).toHaveCount(0);
    await expect(options.getByText('Demo feed')).toHaveCount(0);
  } finally {
    await ext.close();
  }
});

/**
 * The release checklist on the zips `npm run zip` just made — among its lines `web-ext lint`
 * (the linter addons.mozilla.org runs, offline) with zero errors and zero warnings.
 */
test('npm run release -- --check: every store requirement passes on these zips (web-ext lint: 0 errors, 0 warnings), with checksums', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, STILLFRAME_OUT_DIR: out };
  delete env.STILLFRAME_DEV_HOSTS;
  const r = spawnSync('node', [join(ROOT, 'scripts', 'release.mjs'), '--check', '--no-build'], { cwd: ROOT, env, encoding: 'utf8' });
  const lines = r.stdout.split('\n').filter((l) => /^ {2}[✓✗○] /.test(l));
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(
    lines.filter((l) => l.startsWith('  ✗')),
    r.stdout,
  ).toEqual([]);
  // Only the privacy policy's public URL is left to the maintainer (no URL is configured here).
  expect(lines.filter((l) => l.startsWith('  ○')).map((l) => l.split(' — ')[0].trim())).toEqual(['○ privacy policy link']);
  for (const title of [
    'chrome: no development hosts at install',
    'firefox icons',
    'permission justifications (docs/STORE.md)',
    'web-ext lint (what AMO runs)',
    'screenshots (zh_CN)',
  ]) {
    expect(
      lines.some((l) => l.startsWith(`  ✓ ${title}`)),
      title,
    ).toBe(true);
  }
  // SHA-256 sums in `sha256sum -c` format, matching the files.
  const sums = readFileSync(join(out, `stillframe-${VERSION}-SHA256SUMS.txt`), 'utf8')
    .trim()
    .split('\n');
  expect(sums.map((l) => l.split('  ')[1]).sort()).toEqual(Object.values(ZIPS).sort());
  for (const line of sums) {
    const [hex, name] = line.split('  ');
    expect(
      createHash('sha256')
        .update(readFileSync(join(out, name)))
        .digest('hex'),
      name,
    ).toBe(hex);
  }
});
