#!/usr/bin/env node
// Finds a Chromium or Chrome that Playwright can drive. `npx playwright install` cannot
// download on locked-down machines (and CI here), so we look for a system browser and, on
// Debian/Ubuntu as root, install Debian's `chromium` package. Prints the path on success.
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
  for (const dir of readdirSync(root).filter((d) => d.startsWith('chromium-')).sort().reverse()) {
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

/** Finds a browser, installing Debian's chromium when possible; throws with advice otherwise. */
export function ensureBrowser({ log = (m) => console.error(m) } = {}) {
  const found = findBrowser();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebianLike() && root) {
    log('No Chromium found: installing Debian\'s "chromium" package (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const inst = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    const after = findBrowser();
    if (after) return after;
    throw new Error(`apt-get could not install chromium (update exit ${upd.status}, install exit ${inst.status}).`);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureBrowser());
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
