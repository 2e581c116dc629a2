/**
 * A release build knows nothing of the local demo feed (utils/feeds/dev-hosts.ts): a page on
 * 127.0.0.1 — a router's admin page, a developer's own server — is an ordinary site the user
 * never switched on, and the settings list no "Demo feed". The rest of the unit suite runs as
 * the development/test build (vitest.config.ts); here the registry is loaded without the flag.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFixture } from './feeds-fixture';

type Registry = typeof import('../../utils/feeds/registry');
type SiteKey = typeof import('../../utils/feeds/site-key');

async function load(devHosts: boolean): Promise<{ registry: Registry; siteKey: SiteKey }> {
  vi.resetModules();
  vi.stubEnv('STILLFRAME_DEV_HOSTS', devHosts ? '1' : '');
  const registry = await import('../../utils/feeds/registry');
  const siteKey = await import('../../utils/feeds/site-key');
  return { registry, siteKey };
}

let release: { registry: Registry; siteKey: SiteKey };
let dev: { registry: Registry; siteKey: SiteKey };
beforeAll(async () => {
  release = await load(false);
  dev = await load(true);
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('release build', () => {
  it('runs on no local host and lists no demo site', () => {
    const { CONTENT_MATCHES, SUPPORTED_SITES, SITE_ADAPTERS } = release.registry;
    expect(CONTENT_MATCHES.filter((p) => /127\.0\.0\.1|localhost|^http:/.test(p))).toEqual([]);
    expect(SUPPORTED_SITES.map((s) => s.key)).not.toContain('demo');
    expect(SITE_ADAPTERS.map((a) => a.key)).not.toContain('demo');
    // Everything else is the same list as in the development build.
    expect(CONTENT_MATCHES).toEqual(dev.registry.CONTENT_MATCHES.filter((p) => !p.startsWith('http://')));
  });

  it('treats the demo page on 127.0.0.1 as a site the user has not added', async () => {
    const f = await loadFixture('demo.html', 'http://127.0.0.1:8377/demo.html');
    try {
      expect(release.registry.pickAdapter(f.loc, f.doc)).toBeNull();
      expect(release.registry.siteKeyFor(f.loc, f.doc)).toBe('custom:127.0.0.1');
      expect(release.siteKey.siteKeyFromUrl('http://localhost:3000/')).toBe('custom:localhost');
      expect(release.siteKey.isBuiltinSiteKey('demo')).toBe(false);
      // Not active there unless the user added it as a site of their own.
      const tab = { id: 1, url: 'http://127.0.0.1/admin' };
      expect(release.siteKey.resolveActiveSite(tab, {}, []).siteKey).toBeNull();
      expect(release.siteKey.resolveActiveSite(tab, {}, ['http://127.0.0.1']).siteKey).toBe('custom:127.0.0.1');
    } finally {
      await f.close();
    }
  });
});

describe('development/test build', () => {
  it('adds the demo on 127.0.0.1 and localhost', async () => {
    expect(dev.registry.CONTENT_MATCHES).toEqual(expect.arrayContaining(['http://127.0.0.1/*', 'http://localhost/*']));
    expect(dev.registry.SUPPORTED_SITES.map((s) => s.key)).toContain('demo');
    const f = await loadFixture('demo.html', 'http://127.0.0.1:8377/demo.html');
    try {
      expect(dev.registry.siteKeyFor(f.loc, f.doc)).toBe('demo');
    } finally {
      await f.close();
    }
  });
});
