#!/usr/bin/env node
// Runs the Playwright suite against Debian's (or any found) Chromium with the built extension.
import { spawnSync } from 'node:child_process';
import { ensureBrowser } from './find-browser.mjs';

try {
  process.env.CHROME_PATH = ensureBrowser();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
