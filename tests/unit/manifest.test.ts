// @vitest-environment node
/**
 * The manifest is what the stores review first. This test builds the real extension for Chrome
 * and for Firefox as a release (what `npm run zip` ships) and the development/test build the demo
 * and e2e suite load (STILLFRAME_DEV_HOSTS=1), into a temporary folder — never the shared
 * .output/ — and pins every line that grants power, so that a new permission is a deliberate
 * change here, not an accident of a dependency or a refactor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ICON_SIZES } from '@/modules/icons';

const ROOT = resolve(__dirname, '../..');
const WXT = join(ROOT, 'node_modules', '.bin', 'wxt');

type Manifest = Record<string, any>;
let outDir: string;
const built: Record<'chrome' | 'firefox' | 'chromeDev', { dir: string; manifest: Manifest }> = {} as any;

/** The feeds' hosts, https only: what a release asks for at install. */
const RELEASE_HOSTS = [
  'https://x.com/*',
  'https://twitter.com/*',
  'https://www.reddit.com/*',
  'https://old.reddit.com/*',
  'https://www.youtube.com/*',
  'https://www.instagram.com/*',
  'https://www.facebook.com/*',
  'https://web.facebook.com/*',
  'https://m.facebook.com/*',
  'https://www.linkedin.com/*',
  'https://bsky.app/*',
  'https://www.threads.net/*',
  'https://www.threads.com/*',
  'https://threads.net/*',
  'https://threads.com/*',
  'https://www.tumblr.com/*',
];
const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];

function build(browser: 'chrome' | 'firefox', dev = false): void {
  const out = join(outDir, dev ? 'dev' : 'release');
  const env: NodeJS.ProcessEnv = { ...process.env, STILLFRAME_OUT_DIR: out };
  // Vitest runs with the development flag (vitest.config.ts); a release build must not inherit it.
  if (dev) env.STILLFRAME_DEV_HOSTS = '1';
  else delete env.STILLFRAME_DEV_HOSTS;
  execFileSync(WXT, ['build', '-b', browser], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const dir = join(out, `${browser}-mv3`);
  built[dev ? 'chromeDev' : browser] = { dir, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) };
}

function contentMatches(m: Manifest): string[] {
  return [...new Set(m.content_scripts.flatMap((cs: { matches: string[] }) => cs.matches))] as string[];
}

/** Every JavaScript file of a build, concatenated. */
function bundleText(dir: string): string {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js'));
  return files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const sorted = (xs: readonly string[]) => [...xs].sort();

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'stillframe-manifest-'));
  build('chrome');
  build('firefox');
  build('chrome', true);
}, 240_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe.each(['chrome', 'firefox'] as const)('%s manifest', (browser) => {
  const m = () => built[browser].manifest;

  it('is MV3 with the localised name and description', () => {
    expect(m().manifest_version).toBe(3);
    expect(m().name).toBe('__MSG_extName__');
    expect(m().description).toBe('__MSG_extDescription__');
    expect(m().default_locale).toBe('en');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(m().version).toBe(pkg.version);
  });

  it('asks for exactly alarms and scripting, and nothing optional but hosts', () => {
    // Changing this list changes what users are asked at install and what reviewers check:
    // update docs/STORE.md (permission justifications) and PRIVACY.md with it.
    // alarms: the scheduler's wake-ups; scripting: the content script for custom sites the user
    // granted, and for feed tabs already open at install/update (utils/background/injection.ts).
    // No `storage`: everything is in IndexedDB, which needs no permission.
    expect(sorted(m().permissions)).toEqual(['activeTab', 'alarms', 'scripting']);
    expect(m().optional_permissions).toBeUndefined();
    expect(m().externally_connectable).toBeUndefined();
    expect(m().content_security_policy).toBeUndefined();
  });

  it('has host access to the supported feeds only, https, no local host: exactly the content script matches', () => {
    expect(new Set(m().host_permissions).size).toBe(m().host_permissions.length);
    expect(sorted(m().host_permissions)).toEqual(sorted(RELEASE_HOSTS));
    expect(sorted(contentMatches(m()))).toEqual(sorted(RELEASE_HOSTS));
    // No wildcard host is granted at install; every other site is asked for at run time.
    for (const p of m().host_permissions) expect(p).not.toMatch(/^(\*|<all_urls>|https?:\/\/\*)/);
    expect(sorted(m().optional_host_permissions)).toEqual(['http://*/*', 'https://*/*']);
  });

  it('is a store build: the test-only "site adapters off" switch is not in it; the report builder is its own file', () => {
    // A page must never be able to turn our adapters off (utils/content/test-switch.ts): only
    // development/test builds (STILLFRAME_DEV_HOSTS=1) carry the check at all.
    const content = readFileSync(join(built[browser].dir, 'content-scripts', 'content.js'), 'utf8');
    expect(content).not.toContain('data-stillframe-test-adapters');
    // "Report a site problem" loads its builder on request, not in every feed page.
    expect(existsSync(join(built[browser].dir, 'site-report.js'))).toBe(true);
    expect(content).not.toContain('stillframe-shape-report');
  });

  it('has every icon size, rendered from the SVG, and toolbar icons', () => {
    const dir = built[browser].dir;
    expect(
      Object.keys(m().icons)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...ICON_SIZES]);
    for (const size of ICON_SIZES) {
      const file = join(dir, m().icons[String(size)]);
      expect(existsSync(file), `${file} exists`).toBe(true);
      expect(pngSize(file)).toEqual({ width: size, height: size });
    }
    for (const [size, path] of Object.entries(m().action.default_icon as Record<string, string>)) {
      expect(pngSize(join(dir, path))).toEqual({ width: Number(size), height: Number(size) });
    }
  });

  it("carries the store name and description in en and zh_CN within the stores' limits", () => {
    for (const locale of ['en', 'zh_CN']) {
      const file = join(built[browser].dir, '_locales', locale, 'messages.json');
      const msgs = JSON.parse(readFileSync(file, 'utf8'));
      const name: string = msgs.extName?.message ?? '';
      const description: string = msgs.extDescription?.message ?? '';
      expect(name.length, `${locale} name`).toBeGreaterThan(0);
      expect(name.length, `${locale} name`).toBeLessThanOrEqual(45); // AMO 50, Chrome 75; 45 fits both
      expect(description.length, `${locale} description`).toBeGreaterThan(0);
      expect(description.length, `${locale} description`).toBeLessThanOrEqual(132); // Chrome's limit
    }
  });
});

describe('release vs development build', () => {
  it('the release bundle carries no demo feed code, no development logging and no innerHTML assignment', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const js = bundleText(built[browser].dir);
      // (Booleans, so a failure names the browser rather than printing the whole bundle.)
      expect(js.includes('stillframe-demo'), `${browser}: the demo adapter is in the release bundle`).toBe(false);
      expect(js.includes('127.0.0.1'), `${browser}: the release bundle mentions 127.0.0.1`).toBe(false);
      expect(js.includes('[stillframe] '), `${browser}: the development logger (utils/dev-log.ts) is in the release bundle`).toBe(false);
      expect(js.match(/\.innerHTML\s*=[^=]/g) ?? [], browser).toEqual([]);
    }
  });

  it('the development/test build adds exactly the demo hosts, and nothing else differs', () => {
    const dev = built.chromeDev.manifest;
    const rel = built.chrome.manifest;
    expect(sorted(dev.host_permissions)).toEqual(sorted([...RELEASE_HOSTS, ...DEMO_HOSTS]));
    expect(sorted(contentMatches(dev))).toEqual(sorted([...RELEASE_HOSTS, ...DEMO_HOSTS]));
    const strip = (m: Manifest) => ({ ...m, host_permissions: undefined, content_scripts: undefined });
    expect(strip(dev)).toEqual(strip(rel));
    expect(bundleText(built.chromeDev.dir).includes('stillframe-demo'), 'the demo adapter is in the development bundle').toBe(true);
    expect(bundleText(built.chromeDev.dir).includes('[stillframe] '), 'the development logger is in the development bundle').toBe(true);
    // …and the test-only "site adapters off" switch the generic-only e2e uses (absent from releases, above).
    expect(readFileSync(join(built.chromeDev.dir, 'content-scripts', 'content.js'), 'utf8').includes('data-stillframe-test-adapters')).toBe(true);
  });
});

describe('browser differences', () => {
  it('Chrome/Edge: a service worker, Chrome 102 or newer, and no Firefox-only keys', () => {
    const m = built.chrome.manifest;
    expect(m.background).toEqual({ service_worker: 'background.js' });
    // 102: the first Chrome with MV3 optional_host_permissions (custom sites ask through it).
    expect(m.minimum_chrome_version).toBe('102');
    expect(m.browser_specific_settings).toBeUndefined();
  });

  it('Firefox: an event page, the add-on id and "collects nothing"', () => {
    const m = built.firefox.manifest;
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.minimum_chrome_version).toBeUndefined();
    expect(m.browser_specific_settings).toEqual({
      gecko: {
        id: 'stillframe@stillframe.app',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    });
  });
});
