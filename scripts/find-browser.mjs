#!/usr/bin/env node
// Finds a Chromium or Chrome that Playwright can drive, and a Firefox that puppeteer-core
// drives over WebDriver BiDi. `npx playwright install` cannot download on locked-down machines
// (and CI here), so we look for system browsers and, on Debian/Ubuntu as root, install Debian's
// `chromium` and `firefox-esr` packages. Prints the paths on success:
//   node scripts/find-browser.mjs            Chromium
//   node scripts/find-browser.mjs --firefox  Firefox
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

function playwrightCache() {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(root)) return null;
  for (const dir of readdirSync(root)
    .filter((d) => d.startsWith('chromium-'))
    .sort()
    .reverse()) {
    for (const rel of ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium']) {
      const p = join(root, dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

export function findBrowser() {
  if (process.env.CHROME_PATH) {
    if (existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    throw new Error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, but no file is there.`);
  }
  const candidates = [
    playwrightCache(),
    '/usr/bin/chromium',
    which('chromium'),
    which('chromium-browser'),
    which('google-chrome'),
    which('google-chrome-stable'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function isDebianLike() {
  try {
    return /\b(debian|ubuntu)\b/i.test(execFileSync('sh', ['-c', '. /etc/os-release; echo "$ID $ID_LIKE"'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

let aptUpdated = false;
/** `apt-get install` of one Debian package (after one `apt-get update` per process). */
function aptInstall(pkg, log) {
  log(`installing Debian's "${pkg}" package (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // stdout to our stderr: callers print the browser's path on stdout.
  const stdio = ['ignore', 2, 2];
  const upd = aptUpdated ? { status: 0 } : spawnSync('apt-get', ['update', '-qq'], { stdio, env });
  aptUpdated = upd.status === 0;
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio, env });
  return `update exit ${upd.status}, install exit ${inst.status}`;
}

/** Finds a browser, installing Debian's chromium when possible; throws with advice otherwise. */
export function ensureBrowser({ log = (m) => console.error(m) } = {}) {
  const found = findBrowser();
  if (found) return found;
  if (isDebianLike() && isRoot()) {
    const how = aptInstall('chromium', (m) => log(`No Chromium found: ${m}`));
    const after = findBrowser();
    if (after) return after;
    throw new Error(`apt-get could not install chromium (${how}).`);
  }
  throw new Error(
    [
      'No Chromium or Chrome was found, and it could not be installed automatically.',
      'Install one of these and run again:',
      '  Debian/Ubuntu:  sudo apt-get install chromium',
      '  Fedora:         sudo dnf install chromium',
      '  macOS:          install Google Chrome, or set CHROME_PATH',
      'Or point CHROME_PATH at any Chromium-based browser binary.',
      '(`npx playwright install chromium` also works where downloads are allowed.)',
    ].join('\n'),
  );
}

/** A Firefox for the Firefox suite: $FIREFOX_PATH, else Debian's firefox-esr, else a firefox. */
export function findFirefox() {
  if (process.env.FIREFOX_PATH) {
    if (existsSync(process.env.FIREFOX_PATH)) return process.env.FIREFOX_PATH;
    throw new Error(`FIREFOX_PATH is set to ${process.env.FIREFOX_PATH}, but no file is there.`);
  }
  const candidates = ['/usr/bin/firefox-esr', which('firefox-esr'), '/usr/bin/firefox', which('firefox'), '/Applications/Firefox.app/Contents/MacOS/firefox'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

export const FIREFOX_ADVICE = [
  'Install one of these and run again:',
  '  Debian:         sudo apt-get install firefox-esr',
  "  Ubuntu/Fedora:  a non-snap Firefox (Mozilla's .deb/.rpm or tarball), then set FIREFOX_PATH",
  '  macOS:          install Firefox, or set FIREFOX_PATH',
  'Or point FIREFOX_PATH at any Firefox 140 or newer.',
].join('\n');

/** Finds Firefox, installing Debian's firefox-esr when root on Debian/Ubuntu; throws with advice otherwise. */
export function ensureFirefox({ log = (m) => console.error(m) } = {}) {
  const found = findFirefox();
  if (found) return found;
  if (isDebianLike() && isRoot()) {
    const how = aptInstall('firefox-esr', (m) => log(`No Firefox found: ${m}`));
    const after = findFirefox();
    if (after) return after;
    throw new Error(`apt-get could not install firefox-esr (${how}).\n${FIREFOX_ADVICE}`);
  }
  throw new Error(`No Firefox was found, and it could not be installed automatically.\n${FIREFOX_ADVICE}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(process.argv.includes('--firefox') ? ensureFirefox() : ensureBrowser());
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
