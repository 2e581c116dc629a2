// @vitest-environment node
/**
 * The release checklist (scripts/release/checks.mjs) on packages shaped like ours: a good one
 * passes, and each thing a store reviewer would send back fails its own line. The real zips are
 * checked end to end in tests/e2e/packaging.spec.ts (`npm run release -- --check --no-build`).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addChangelogEntry, formatChecklist, nextVersion, releaseChecks } from '../../scripts/release/checks.mjs';

const ROOT = join(__dirname, '..', '..');
const STORE_MD = readFileSync(join(ROOT, 'docs', 'STORE.md'), 'utf8');
const PRIVACY_MD = readFileSync(join(ROOT, 'PRIVACY.md'), 'utf8');
const HOSTS = [
  'x.com',
  'twitter.com',
  'www.reddit.com',
  'old.reddit.com',
  'www.youtube.com',
  'www.instagram.com',
  'www.facebook.com',
  'web.facebook.com',
  'm.facebook.com',
  'www.linkedin.com',
  'bsky.app',
  'www.threads.net',
  'www.threads.com',
  'threads.net',
  'threads.com',
  'www.tumblr.com',
].map((h) => `https://${h}/*`);

/** The first 24 bytes of a PNG of that size: all the checklist reads. */
function png(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function zip(
  browser: 'chrome' | 'firefox',
  manifestPatch: Record<string, unknown> = {},
  extra: Record<string, Uint8Array | null> = {},
): Record<string, Uint8Array> {
  const icons = Object.fromEntries([16, 32, 48, 96, 128].map((s) => [String(s), `icons/${s}.png`]));
  const manifest = {
    manifest_version: 3,
    version: '1.2.3',
    name: '__MSG_extName__',
    default_locale: 'en',
    icons,
    permissions: ['alarms', 'scripting'],
    host_permissions: HOSTS,
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    content_scripts: [{ matches: HOSTS, js: ['content-scripts/content.js'] }],
    ...(browser === 'chrome'
      ? { minimum_chrome_version: '144' }
      : {
          browser_specific_settings: {
            gecko: { id: 'stillframe@stillframe.app', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
          },
        }),
    ...manifestPatch,
  };
  const entries: Record<string, Uint8Array | null> = {
    'manifest.json': enc(manifest),
    '_locales/en/messages.json': enc({ extName: { message: 'Stillframe' }, extDescription: { message: 'A moment of stillness in endless feeds.' } }),
    '_locales/zh_CN/messages.json': enc({ extName: { message: 'Stillframe 静帧' }, extDescription: { message: '在无尽的信息流中留一刻宁静。' } }),
    ...Object.fromEntries([16, 32, 48, 96, 128].map((s) => [`icons/${s}.png`, png(s, s)])),
    ...extra,
  };
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, Uint8Array] => e[1] !== null));
}

function input(over: Partial<Parameters<typeof releaseChecks>[0]> = {}): Parameters<typeof releaseChecks>[0] {
  return {
    version: '1.2.3',
    chrome: zip('chrome'),
    firefox: zip('firefox'),
    sources: ['package.json', 'package-lock.json', 'wxt.config.ts', 'docs/STORE.md', 'entrypoints/content.ts'],
    promo: { width: 440, height: 280 },
    screenshots: { en: [{ name: 'popup.png', width: 1280, height: 800 }], zh_CN: [{ name: 'popup.png', width: 1280, height: 800 }] },
    storeMd: STORE_MD,
    privacyMd: PRIVACY_MD,
    privacyUrl: 'https://example.org/stillframe/PRIVACY.md',
    lint: { errors: [], warnings: [] },
    ...over,
  };
}

const failures = (i: Parameters<typeof releaseChecks>[0]) =>
  releaseChecks(i)
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.title}: ${c.detail}`);

describe('release checklist', () => {
  it('passes a package like ours, with our STORE.md and PRIVACY.md', () => {
    const checks = releaseChecks(input());
    expect(failures(input())).toEqual([]);
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(
      formatChecklist(checks)
        .split('\n')
        .every((l) => l.startsWith('  ✓ ')),
    ).toBe(true);
  });

  it('leaves the privacy policy link to the maintainer when no URL is configured', () => {
    const link = releaseChecks(input({ privacyUrl: null })).find((c) => c.title === 'privacy policy link')!;
    expect(link.status).toBe('manual');
    expect(formatChecklist([link])).toMatch(/^ {2}○ privacy policy link/);
  });

  it.each([
    [
      'a development host in the release',
      input({ chrome: zip('chrome', { host_permissions: [...HOSTS, 'http://127.0.0.1/*'] }) }),
      /chrome: no development hosts.*127\.0\.0\.1/,
    ],
    [
      'a content script on localhost',
      input({ firefox: zip('firefox', { content_scripts: [{ matches: [...HOSTS, 'http://localhost/*'] }] }) }),
      /firefox: no development hosts.*localhost/,
    ],
    [
      'a permission without a justification',
      input({ chrome: zip('chrome', { permissions: ['alarms', 'scripting', 'tabs'] }) }),
      /permission justifications.*permissions tabs/,
    ],
    [
      'a host without a justification',
      input({ chrome: zip('chrome', { host_permissions: [...HOSTS, 'https://www.pinterest.com/*'] }) }),
      /permission justifications.*host www\.pinterest\.com/,
    ],
    ['a missing icon', input({ chrome: zip('chrome', {}, { 'icons/48.png': null }) }), /chrome icons.*48px/],
    ['an icon of the wrong size', input({ firefox: zip('firefox', {}, { 'icons/128.png': png(64, 64) }) }), /firefox icons.*128px/],
    ['no Chinese locale', input({ chrome: zip('chrome', {}, { '_locales/zh_CN/messages.json': null }) }), /chrome locales.*zh_CN: no messages\.json/],
    [
      'a summary over Chrome\u2019s 132 characters',
      input({
        firefox: zip('firefox', {}, { '_locales/en/messages.json': enc({ extName: { message: 'Stillframe' }, extDescription: { message: 'x'.repeat(133) } }) }),
      }),
      /firefox locales.*133 characters/,
    ],
    ['a version that is not the release', input({ version: '1.2.4' }), /chrome zip: manifest.*version 1\.2\.3/],
    ['no Chrome floor', input({ chrome: zip('chrome', { minimum_chrome_version: undefined }) }), /Chrome\/Edge floor/],
    [
      'no Firefox data-collection declaration',
      input({ firefox: zip('firefox', { browser_specific_settings: { gecko: { id: 'stillframe@stillframe.app', strict_min_version: '140.0' } } }) }),
      /Firefox id, floor/,
    ],
    ['a source map', input({ chrome: zip('chrome', {}, { 'background.js.map': enc('{}') }) }), /no source maps.*background\.js\.map/],
    [
      'the development logger left in a bundle',
      input({ firefox: zip('firefox', {}, { 'content-scripts/content.js': enc('console.debug("[stillframe] "+w+":",e)') }) }),
      /no development logging.*firefox: content-scripts\/content\.js/,
    ],
    ['a sources zip without the lockfile', input({ sources: ['package.json', 'wxt.config.ts', 'docs/STORE.md'] }), /sources zip.*package-lock\.json/],
    [
      'a lint warning',
      input({ lint: { errors: [], warnings: [{ code: 'UNSAFE_VAR_ASSIGNMENT', message: 'Unsafe assignment to innerHTML' }] } }),
      /web-ext lint.*UNSAFE_VAR_ASSIGNMENT/,
    ],
    ['a lint that did not run', input({ lint: null }), /web-ext lint.*did not run/],
    ['no Chinese screenshots', input({ screenshots: { en: [{ name: 'a.png', width: 1280, height: 800 }] } }), /screenshots \(zh_CN\): none/],
    [
      'a screenshot of the wrong size',
      input({ screenshots: { en: [{ name: 'a.png', width: 1000, height: 800 }], zh_CN: [{ name: 'a.png', width: 1280, height: 800 }] } }),
      /screenshots \(en\): wrong size: a\.png/,
    ],
    ['no promo tile', input({ promo: null }), /promo tile: missing/],
    ['no privacy policy', input({ privacyMd: null }), /privacy policy: PRIVACY\.md is missing/],
    [
      'STORE.md still justifying the demo hosts',
      input({
        storeMd: STORE_MD.replace(
          '| `optional_host_permissions`',
          '| `host_permissions` | `http://127.0.0.1/*` | The bundled demo feed, for developers. |\n| `optional_host_permissions`',
        ),
      }),
      /local hosts a release does not ask for/,
    ],
  ])('fails on %s', (_what, i, expected) => {
    const f = failures(i);
    expect(f.length, f.join('\n')).toBeGreaterThan(0);
    expect(f.join('\n')).toMatch(expected);
  });
});

describe('version and changelog', () => {
  it('bumps patch, minor, major, or takes an explicit version', () => {
    expect(nextVersion('0.1.9', 'patch')).toBe('0.1.10');
    expect(nextVersion('0.1.9', 'minor')).toBe('0.2.0');
    expect(nextVersion('0.1.9', 'major')).toBe('1.0.0');
    expect(nextVersion('0.1.9', '2.0.0')).toBe('2.0.0');
    expect(() => nextVersion('0.1.9', 'soon')).toThrow(/unknown version bump/);
  });

  it('moves the Unreleased notes under the new version and leaves Unreleased empty', () => {
    const before = '# Changelog\n\nIntro.\n\n## Unreleased\n\n- Firefox tested in CI.\n\n## 0.1.0 — 2026-11-01\n\n- First.\n';
    const after = addChangelogEntry(before, '0.2.0', '2026-12-01', ['ignored commit']);
    expect(after).toBe('# Changelog\n\nIntro.\n\n## Unreleased\n\n## 0.2.0 — 2026-12-01\n\n- Firefox tested in CI.\n\n## 0.1.0 — 2026-11-01\n\n- First.\n');
    expect(() => addChangelogEntry(after, '0.2.0', '2026-12-02', [])).toThrow(/already has a section/);
  });

  it('starts a changelog from the commit subjects when there are no notes', () => {
    const out = addChangelogEntry('', '0.1.1', '2026-12-01', ['Release builds drop the demo hosts', 'Firefox suite']);
    expect(out).toContain('## Unreleased\n\n## 0.1.1 — 2026-12-01\n\n- Release builds drop the demo hosts\n- Firefox suite\n');
    expect(out.startsWith('# Changelog\n')).toBe(true);
  });
});
