// `npm run site:fixture -- report.json`: a shape report turned back into a fixture skeleton that
// the site's adapter (and the generic detector) can read like the page it came from.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { buildShapeReport, type ShapeReport } from '@/utils/feeds/shape-report';
import { shapeToFixture } from '@/utils/feeds/shape-fixture';
import { KNOWN_SELECTORS } from '@/utils/feeds/registry';
import { detectGenericAdapter, peekGenericFeed } from '@/utils/feeds/generic';
import { redditAdapter } from '@/utils/feeds/reddit';
import { linkedinAdapter } from '@/utils/feeds/linkedin';
import { xAdapter } from '@/utils/feeds/x';
import type { FeedAdapter } from '@/utils/feeds/types';
import { loadFixture, type LoadedFixture } from './feeds-fixture';

let open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  await Promise.all(open.map((f) => f.close()));
  open = [];
});

async function reportOf(file: string, url: string, adapter: FeedAdapter, site: string, loads = 0): Promise<ShapeReport> {
  const f: LoadedFixture = await loadFixture(file, url);
  open.push(f);
  for (let i = 0; i < loads; i++) await f.scrollToLoad();
  return buildShapeReport({
    doc: f.doc,
    site,
    feedRoute: true,
    adapter,
    status: 'working',
    knownSelectors: KNOWN_SELECTORS,
    generic: peekGenericFeed(f.doc),
    stillframe: '0.1.0',
  });
}

async function page(html: string, url: string): Promise<Document> {
  const win = new Window({ url, width: 1280, height: 800, settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
  open.push({ close: () => win.happyDOM.close() });
  win.document.write(html);
  await win.happyDOM.waitUntilComplete();
  return win.document as unknown as Document;
}

function countable(a: FeedAdapter, doc: Document): Element[] {
  const c = a.findContainer(doc);
  return c ? Array.from(c.querySelectorAll(a.itemSelector)).filter((el) => !a.isCountable || a.isCountable(el)) : [];
}
const postNumber = (el: Element) => Number(el.textContent?.match(/Post (\d+)/)?.[1] ?? NaN);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('a shape report back into a fixture skeleton', () => {
  it.each([
    ['old-reddit-res.html', 'https://old.reddit.com/', redditAdapter, 'reddit', 1, 50],
    ['linkedin.html', 'https://www.linkedin.com/feed/', linkedinAdapter, 'linkedin', 0, 20],
    ['x.html', 'https://x.com/home', xAdapter, 'x', 0, 7],
  ] as const)('%s: the adapter counts the same posts in the skeleton', async (file, url, adapter, site, loads, posts) => {
    const report = await reportOf(file, url, adapter, site, loads);
    expect(report.counts.counted).toBe(posts);
    const html = shapeToFixture(report);
    expect(html).not.toMatch(/reddit\.com|linkedin\.com|x\.com|user\d|Member \d/);
    const doc = await page(html, url);
    const items = countable(adapter, doc);
    expect(items.map(postNumber)).toEqual(range(posts));
    // The generic detector finds a feed in it too.
    expect(detectGenericAdapter(doc)).not.toBeNull();
  });

  it('when the adapter counted nothing (the broken case), the generic detector’s items are the posts', async () => {
    const f = await loadFixture('changed-x.html', 'https://x.com/home');
    open.push(f);
    const report = buildShapeReport({
      doc: f.doc,
      site: 'x',
      feedRoute: true,
      adapter: xAdapter,
      status: 'fallback',
      knownSelectors: KNOWN_SELECTORS,
      generic: peekGenericFeed(f.doc),
      stillframe: '0.1.0',
    });
    expect(report.counts.counted).toBe(0);
    const doc = await page(shapeToFixture(report), 'https://x.com/home');
    expect(doc.querySelectorAll('[data-fixture-post]').length).toBe(report.counts.genericItems);
    expect(doc.body.textContent).toContain('Post 1');
  });

  it('appends ten more posts near the bottom, as fixtures do', async () => {
    const report = await reportOf('linkedin.html', 'https://www.linkedin.com/feed/', linkedinAdapter, 'linkedin');
    const doc = await page(shapeToFixture(report), 'https://www.linkedin.com/feed/');
    doc.defaultView!.dispatchEvent(new (doc.defaultView as any).Event('scroll'));
    await new Promise((r) => setTimeout(r, 250));
    expect(countable(linkedinAdapter, doc).map(postNumber)).toEqual(range(30));
  });
});

describe('npm run site:fixture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'site-fixture-'));
  afterEach(() => undefined);

  it('writes the skeleton and says what it did', async () => {
    const report = await reportOf('old-reddit-res.html', 'https://old.reddit.com/', redditAdapter, 'reddit');
    const input = join(dir, 'report.json');
    const out = join(dir, 'out.html');
    writeFileSync(input, JSON.stringify(report, null, 1));
    const stdout = execFileSync('node', ['scripts/site-fixture.mjs', input, '--out', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/Wrote .*out\.html: 25 posts, site reddit, adapter reddit \(working\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<b>Post 25</b>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  }, 60_000);

  it('refuses what is not a shape report, saying why, and writes nothing', () => {
    const input = join(dir, 'bad.json');
    const out = join(dir, 'bad.html');
    writeFileSync(input, JSON.stringify({ format: 'stillframe-shape-report', version: 1, tree: { tag: 'body', text: 'a secret' } }));
    const r = spawnSync('node', ['scripts/site-fixture.mjs', input, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a shape report');
    expect(() => readFileSync(out)).toThrow();
    const usage = spawnSync('node', ['scripts/site-fixture.mjs'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run site:fixture');
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
