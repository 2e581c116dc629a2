#!/usr/bin/env node
// npm run release [-- patch|minor|major|x.y.z]   bump, CHANGELOG entry, zips, checksums, checklist
// npm run release -- --check                      the same packages and checklist, nothing bumped
// npm run release -- --check --no-build           checklist of the zips already in the output folder
//
// Builds the three store zips as release builds (no development hosts), writes SHA-256
// checksums next to them, lets WXT's zip hook draw the listing images, then checks everything
// a store asks for (icons, locales, hosts, floors, permission justifications, privacy policy,
// images, listing texts, AMO's linter) and prints it as a checklist. Exit 1 when any check
// fails. Nothing is committed, tagged or uploaded: docs/STORE.md walks through that.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { addChangelogEntry, formatChecklist, nextVersion, pngSize, releaseChecks } from './release/checks.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const build = !args.includes('--no-build');
const bump = args.find((a) => !a.startsWith('--')) ?? 'patch';
const OUT = resolve(ROOT, process.env.STILLFRAME_OUT_DIR || '.output');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const step = (m) => console.log(`• ${m}`);
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

function gitLines(cmd) {
  const r = spawnSync('git', cmd, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0
    ? r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

/** Bumps package.json and package-lock.json (npm's own `npm version`, no git tag) and writes the CHANGELOG entry. */
function bumpVersion() {
  const current = readJson(join(ROOT, 'package.json')).version;
  const version = nextVersion(current, bump);
  execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], { cwd: ROOT, stdio: 'ignore' });
  const lastTag = gitLines(['describe', '--tags', '--abbrev=0', '--match', 'v*'])[0];
  const subjects = gitLines(['log', '--no-merges', '--format=%s', ...(lastTag ? [`${lastTag}..HEAD`] : [])]);
  const file = join(ROOT, 'CHANGELOG.md');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, addChangelogEntry(before, version, new Date().toISOString().slice(0, 10), subjects));
  step(`version ${current} → ${version}; CHANGELOG.md has its section (edit it before you commit)`);
  return version;
}

function zipAll() {
  const env = { ...process.env, STILLFRAME_OUT_DIR: OUT };
  delete env.STILLFRAME_DEV_HOSTS; // store packages are release builds
  for (const browser of ['chrome', 'firefox']) {
    step(`wxt zip -b ${browser}`);
    execFileSync(bin('wxt'), ['zip', '-b', browser], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function lint(firefoxZip) {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-release-lint-'));
  try {
    for (const [name, data] of Object.entries(firefoxZip)) {
      if (name.endsWith('/')) continue;
      const file = resolve(dir, name);
      if (!file.startsWith(dir)) throw new Error(`zip entry escapes its folder: ${name}`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, data);
    }
    const r = spawnSync(bin('web-ext'), ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, WEB_EXT_NO_INPUT: 'true' },
    });
    try {
      return JSON.parse(r.stdout);
    } catch {
      return null;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const version = check ? readJson(join(ROOT, 'package.json')).version : bumpVersion();
  if (build) zipAll();
  const zips = {
    chrome: join(OUT, `stillframe-${version}-chrome.zip`),
    firefox: join(OUT, `stillframe-${version}-firefox.zip`),
    sources: join(OUT, `stillframe-${version}-sources.zip`),
  };
  const missing = Object.values(zips).filter((z) => !existsSync(z));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run without --no-build`);

  // Checksums in `sha256sum` format, so `sha256sum -c` verifies an upload or a download.
  const sums = join(OUT, `stillframe-${version}-SHA256SUMS.txt`);
  writeFileSync(
    sums,
    Object.values(zips)
      .map((z) => `${sha256(z)}  ${z.slice(OUT.length + 1)}`)
      .join('\n') + '\n',
  );
  step(`checksums in ${relative(process.cwd(), sums)}`);

  const entries = (z) => unzipSync(new Uint8Array(readFileSync(z)));
  const chrome = entries(zips.chrome);
  const firefox = entries(zips.firefox);
  const store = join(OUT, 'store');
  const promoFile = join(store, 'promo-440x280.png');
  const screenshots = {};
  for (const locale of ['en', 'zh_CN']) {
    const dir = join(store, 'screenshots', locale);
    screenshots[locale] = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.png'))
          .map((name) => ({ name, ...(pngSize(new Uint8Array(readFileSync(join(dir, name)))) ?? { width: 0, height: 0 }) }))
      : [];
  }
  const pkg = readJson(join(ROOT, 'package.json'));
  step('web-ext lint on the Firefox zip');
  const checks = releaseChecks({
    version,
    chrome,
    firefox,
    sources: Object.keys(entries(zips.sources)),
    promo: existsSync(promoFile) ? pngSize(new Uint8Array(readFileSync(promoFile))) : null,
    screenshots,
    storeMd: readFileSync(join(ROOT, 'docs', 'STORE.md'), 'utf8'),
    privacyMd: existsSync(join(ROOT, 'PRIVACY.md')) ? readFileSync(join(ROOT, 'PRIVACY.md'), 'utf8') : null,
    privacyUrl: pkg.privacyPolicyUrl ?? null,
    lint: lint(firefox),
  });

  const rel = (p) => relative(process.cwd(), p);
  console.log(`\nStillframe ${version}: what the stores ask for\n${formatChecklist(checks)}\n`);
  console.log('Upload (docs/STORE.md, "From npm run release to submitted listings"):');
  console.log(`  Chrome Web Store, Edge Add-ons  ${rel(zips.chrome)}`);
  console.log(`  Firefox Add-ons (AMO)           ${rel(zips.firefox)} + ${rel(zips.sources)}`);
  console.log(`  listing images                  ${rel(store)}/`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const byHand = checks.filter((c) => c.status === 'manual').length;
  const passed = checks.length - failed - byHand;
  console.log(`\nrelease checks: ${passed} passed, ${failed} failed${byHand ? `, ${byHand} to do by hand` : ''}`);
  if (!check && failed === 0) console.log(`next: git commit -am "Release ${version}" && git tag v${version}`);
  process.exit(failed ? 1 : 0);
}

try {
  main();
} catch (e) {
  console.error(`release failed: ${e.message}`);
  process.exit(1);
}
