import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_DEFINITIONS, SITE_ADAPTERS, CONTENT_MATCHES, matchPatternsOf } from '@/utils/feeds/registry';
import { siteKeyFromUrl } from '@/utils/feeds/site-key';
import { SITE_CASES } from '../fixtures/site-cases';

/**
 * Every site is wired and documented, the way refined-github checks its features: a site that
 * is defined but has no fixture, no end-to-end row or no docs entry fails here, not in a review.
 */
const ROOT = process.cwd();
const docs = readFileSync(join(ROOT, 'docs', 'SITES.md'), 'utf8');
const sitesSpec = readFileSync(join(ROOT, 'tests', 'e2e', 'sites.spec.ts'), 'utf8');

describe.each(SITE_DEFINITIONS.map((s) => [s.key, s] as const))('site %s', (key, site) => {
  it('has its adapter under the same key and name, tried by the registry', () => {
    expect(site.adapter.key).toBe(key);
    expect(site.adapter.name).toBe(site.name);
    expect(SITE_ADAPTERS).toContain(site.adapter);
  });

  it('runs where it says: every host is a content-script match, and the URL lookup names the site', () => {
    for (const pattern of matchPatternsOf(site)) expect(CONTENT_MATCHES).toContain(pattern);
    for (const host of site.hosts) expect(siteKeyFromUrl(`${site.scheme ?? 'https'}://${host}/`)).toBe(key);
  });

  it('has a fixture and an end-to-end row', () => {
    const cases = SITE_CASES.filter((c) => c.site === key);
    expect(cases.length, `no row for ${key} in tests/fixtures/site-cases.ts`).toBeGreaterThan(0);
    for (const c of cases) {
      expect(existsSync(join(ROOT, 'tests', 'fixtures', 'feeds', c.fixture)), c.fixture).toBe(true);
      if (site.hosts.length > 0) expect(site.hosts).toContain(new URL(c.url).hostname);
      // 'own' rows have a test of their own in the site suite, named for the site.
      if (c.e2e === 'own') expect(sitesSpec.includes(`test('${key}:`) || sitesSpec.includes(`'${c.fixture}'`)).toBe(true);
    }
  });

  it('is described in docs/SITES.md', () => {
    expect(docs).toMatch(new RegExp(`^\\| ${site.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm'));
  });
});
