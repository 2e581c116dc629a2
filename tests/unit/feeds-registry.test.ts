import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { SITE_ADAPTERS, SUPPORTED_SITES, CONTENT_MATCHES, pickAdapter, siteKeyFor } from '@/utils/feeds/registry';
import { loadFixture, type LoadedFixture } from './feeds-fixture';

const windows: Window[] = [];
let fixtures: LoadedFixture[] = [];
afterEach(async () => {
  await Promise.all([...windows.splice(0).map((w) => w.happyDOM.close()), ...fixtures.map((f) => f.close())]);
  fixtures = [];
});

/** An empty page at `url`. */
function blank(url: string): { loc: Location; doc: Document } {
  const win = new Window({ url });
  windows.push(win);
  return { loc: win.location as unknown as Location, doc: win.document as unknown as Document };
}

describe('pickAdapter', () => {
  it.each([
    ['https://x.com/home', 'x'],
    ['https://twitter.com/home', 'x'],
    ['https://www.reddit.com/', 'reddit'],
    ['https://old.reddit.com/r/cats/', 'reddit'],
    ['https://www.youtube.com/', 'youtube'],
    ['https://www.instagram.com/', 'instagram'],
    ['https://www.facebook.com/', 'facebook'],
    ['https://m.facebook.com/', 'facebook'],
    ['https://web.facebook.com/', 'facebook'],
    ['https://www.linkedin.com/feed/', 'linkedin'],
    ['https://bsky.app/', 'bluesky'],
    ['https://www.threads.net/', 'threads'],
    ['https://www.threads.com/', 'threads'],
    ['https://www.tumblr.com/dashboard', 'tumblr'],
  ])('%s → %s (by host, before anything renders)', (url, key) => {
    const { loc, doc } = blank(url);
    expect(pickAdapter(loc, doc)?.key).toBe(key);
    expect(siteKeyFor(loc, doc)).toBe(key);
  });

  it('returns null for unknown hosts and for look-alike hosts', () => {
    for (const url of ['https://example.org/', 'https://notx.com/home', 'https://x.com.evil.example/home', 'http://localhost:3000/']) {
      const { loc, doc } = blank(url);
      expect(pickAdapter(loc, doc), url).toBeNull();
      expect(siteKeyFor(loc, doc)).toBe(`custom:${new URL(url).hostname}`);
    }
  });

  it('recognises Mastodon by DOM, keyed per server', async () => {
    const f = await loadFixture('mastodon.html', 'https://toot.example.net/home');
    fixtures.push(f);
    expect(pickAdapter(f.loc, f.doc)?.key).toBe('mastodon');
    expect(siteKeyFor(f.loc, f.doc)).toBe('mastodon:toot.example.net');
  });

  it('recognises the demo on 127.0.0.1 and localhost only when it is the demo', async () => {
    const f = await loadFixture('demo.html', 'http://127.0.0.1:8377/demo.html');
    fixtures.push(f);
    expect(pickAdapter(f.loc, f.doc)?.key).toBe('demo');
    expect(siteKeyFor(f.loc, f.doc)).toBe('demo');
    const g = await loadFixture('demo.html', 'https://example.org/demo.html');
    fixtures.push(g);
    expect(pickAdapter(g.loc, g.doc)).toBeNull(); // same markup elsewhere: not ours to guess
  });

  it('never picks generic, and survives an adapter that throws', () => {
    const { loc, doc } = blank('https://example.org/');
    expect(SITE_ADAPTERS.map((a) => a.key)).not.toContain('generic');
    expect(pickAdapter(loc, doc)).toBeNull();
    const broken = {
      ...SITE_ADAPTERS[0],
      matches: () => {
        throw new Error('boom');
      },
    };
    SITE_ADAPTERS.unshift(broken);
    try {
      expect(() => pickAdapter(loc, doc)).not.toThrow();
    } finally {
      SITE_ADAPTERS.shift();
    }
  });
});

describe('SITE_ADAPTERS and SUPPORTED_SITES', () => {
  it('lists every site adapter once, Mastodon (found by its page, not its host) last, and never the generic detector', () => {
    const keys = SITE_ADAPTERS.map((a) => a.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.at(-1)).toBe('mastodon');
    expect(keys).not.toContain('generic');
  });

  it('has a supported-site entry per site adapter, with valid match patterns', () => {
    const siteKeys = SUPPORTED_SITES.map((s) => s.key);
    for (const a of SITE_ADAPTERS) if (a.key !== 'generic') expect(siteKeys).toContain(a.key);
    for (const s of SUPPORTED_SITES) {
      for (const p of s.matchPatterns) expect(p).toMatch(/^https?:\/\/[a-z0-9.-]+\/\*$/);
      expect(s.matchPatterns).toHaveLength(s.hosts.length);
    }
    expect(CONTENT_MATCHES).toEqual(
      expect.arrayContaining([
        'https://x.com/*',
        'https://twitter.com/*',
        'https://www.reddit.com/*',
        'https://old.reddit.com/*',
        'https://www.youtube.com/*',
        'http://127.0.0.1/*',
        'http://localhost/*',
      ]),
    );
  });

  it('every host in SUPPORTED_SITES is picked up by its adapter', () => {
    for (const s of SUPPORTED_SITES) {
      if (s.key === 'demo' || s.key === 'mastodon') continue; // matched by DOM as well
      for (const host of s.hosts) {
        const { loc, doc } = blank(`https://${host}/`);
        expect(pickAdapter(loc, doc)?.key, host).toBe(s.key);
      }
    }
  });
});
