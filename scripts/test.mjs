#!/usr/bin/env node
// `npm test`: typecheck, unit tests (Vitest), end-to-end tests (Playwright with Chromium and the
// Firefox suite), stopping at the first stage that fails — then one closing line that CI reads:
//   tests: N passed, N failed, N skipped
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'stillframe-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const readJson = (file) => {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  } catch {
    return null;
  }
};

function finish(code) {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

if (run('npx', ['tsc', '--noEmit']) !== 0) {
  totals.failed++;
  console.error('typecheck failed');
  finish(1);
}

// The linter: the folder layering by runtime (biome.json's noRestrictedImports) and no import cycles.
if (run('npx', ['biome', 'lint', '.', '--diagnostic-level=error']) !== 0) {
  totals.failed++;
  console.error('lint failed');
  finish(1);
}

// The formatter (biome.json): a file not as `npm run format` leaves it fails here, so style
// never needs a review comment. The check writes nothing.
if (run('npx', ['biome', 'format', '.']) !== 0) {
  totals.failed++;
  console.error('format check failed: run `npm run format` and commit the result');
  finish(1);
}

const vitestJson = join(dir, 'vitest.json');
const unit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
} else if (unit !== 0) totals.failed++;
if (unit !== 0) finish(1);

const pwJson = join(dir, 'playwright.json');
const e2e = run('node', ['scripts/run-e2e.mjs', ...process.argv.slice(2)], { STILLFRAME_E2E_JSON: pwJson });
const p = readJson(pwJson);
if (p?.stats) {
  totals.passed += p.stats.expected + p.stats.flaky;
  totals.failed += p.stats.unexpected;
  totals.skipped += p.stats.skipped;
} else if (e2e !== 0) totals.failed++;
finish(e2e === 0 ? 0 : 1);
