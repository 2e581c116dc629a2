// Coverage-aware health: an adapter that finds only a fraction of the feed (pages nested deeper,
// items wrapped in new layers, posts of a kind it does not know) is widened or replaced.
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import type { FeedAdapter } from '@/utils/feeds/types';
import { CoverageHealth, type CoverageObservation } from '@/utils/feeds/health';
import { lastCompound, lookalikeSelector, outerWrapper, splitSelectorList, widenAdapter } from '@/utils/feeds/coverage';
import { redditAdapter } from '@/utils/feeds/reddit';
import { CoverageProbe } from '@/utils/content/coverage-probe';
import { SiteRoute, type RouteLook } from '@/utils/content/site-route';
import { loadFixture, makeHost, type LoadedFixture } from './feeds-fixture';
import { kitAccess } from './kit-access';

let open: LoadedFixture[] = [];
afterEach(async () => {
  await Promise.all(open.map((f) => f.close()));
  open = [];
});
async function load(file: string, url: string): Promise<LoadedFixture> {
  const f = await loadFixture(file, url);
  open.push(f);
  return f;
}

function countable(a: FeedAdapter, doc: Document): Element[] {
  const c = a.findContainer(doc);
  if (!c) return [];
  return Array.from(c.querySelectorAll(a.itemSelector)).filter((el) => !a.isCountable || a.isCountable(el));
}
const postNumber = (el: Element | null) => Number(el?.textContent?.match(/Post (\d+)/)?.[1] ?? NaN);
const obs = (at: number, o: Partial<CoverageObservation> = {}): CoverageObservation => ({ at, counted: 20, lookalikes: 0, strays: 0, ...o });

describe('CoverageHealth', () => {
  it('a page of lookalikes at once is a fraction: widen', () => {
    const h = new CoverageHealth();
    expect(h.observe(obs(0, { lookalikes: 5 }))).toBe('whole');
    expect(h.observe(obs(10, { lookalikes: 6 }))).toBe('widen');
  });

  it('a trickle of lookalikes is a fraction once it kept coming', () => {
    const h = new CoverageHealth();
    expect(h.observe(obs(0, { lookalikes: 1 }))).toBe('whole');
    expect(h.observe(obs(500, { lookalikes: 1 }))).toBe('whole'); // no growth: same one
    expect(h.observe(obs(900, { lookalikes: 2 }))).toBe('widen');
  });

  it('strays while the adapter still finds new posts are something else (a shelf, a spinner)', () => {
    const h = new CoverageHealth();
    let counted = 20;
    for (let i = 1; i <= 20; i++) {
      counted += 10;
      expect(h.observe(obs(i * 1000, { counted, strays: i }))).toBe('whole');
    }
  });

  it('strays that keep coming while the adapter counts nothing new: fall back', () => {
    const h = new CoverageHealth();
    expect(h.observe(obs(0, { counted: 20, strays: 0 }))).toBe('whole');
    expect(h.observe(obs(1000, { counted: 20, strays: 5 }))).toBe('whole'); // one look, five
    expect(h.observe(obs(2000, { counted: 20, strays: 10 }))).toBe('fallback'); // kept coming
  });

  it('strays count from the adapter’s last new post, not from the start', () => {
    const h = new CoverageHealth();
    h.observe(obs(0, { counted: 20, strays: 9 }));
    expect(h.observe(obs(1000, { counted: 30, strays: 9 }))).toBe('whole');
    expect(h.observe(obs(2000, { counted: 30, strays: 12 }))).toBe('whole');
    expect(h.observe(obs(3000, { counted: 30, strays: 15 }))).toBe('fallback');
  });

  it('keeps its verdict until reset, and never throws on garbage', () => {
    const h = new CoverageHealth({ minMissed: Number.NaN, growthObservations: -1 });
    expect(h.observe(obs(0, { lookalikes: 6 }))).toBe('widen');
    expect(h.observe(obs(1, { lookalikes: 0 }))).toBe('widen');
    h.reset();
    expect(h.verdict).toBe('whole');
    expect(() => h.observe(undefined as never)).not.toThrow();
    expect(h.observe({ at: Number.NaN, counted: -3, lookalikes: Number.POSITIVE_INFINITY, strays: Number.NaN })).toBe('whole');
  });
});

describe('what "the same kind of item" means', () => {
  it.each([
    ['#siteTable > .thing', '.thing'],
    ['[data-stillframe-feed] > article.post', 'article.post'],
    ['main  article', 'article'],
    ['ul li + li.x', 'li.x'],
    ['div[data-a="x > y"] > p', 'p'],
    ['a:not(.b > .c)', 'a:not(.b > .c)'],
  ])('the last compound of %s is %s', (sel, own) => {
    expect(lastCompound(sel)).toBe(own);
  });

  it('splits lists at top-level commas only', () => {
    expect(splitSelectorList('a, b[x="1,2"], :is(c, d)')).toEqual(['a', 'b[x="1,2"]', ':is(c, d)']);
  });

  it.each([
    ['shreddit-post, #siteTable > .thing', '.thing'],
    ['[data-stillframe-feed] > div.thing.link', 'div.thing.link'],
    ['div[data-testid="cellInnerDiv"]', null], // by what it is: nothing to miss a list deeper
    ['shreddit-post, #siteTable .thing', '.thing'],
    ['ytd-rich-item-renderer, ytd-reel-video-renderer', null],
  ])('lookalikes of %s: %s', (sel, look) => {
    expect(lookalikeSelector(sel)).toBe(look);
  });
});

describe('widening', () => {
  function page(html: (doc: Document) => void): Document {
    const win = new Window({ url: 'https://example.org/' });
    const doc = win.document as unknown as Document;
    html(doc);
    return doc;
  }
  const base: FeedAdapter = {
    key: 'test',
    name: 'Test',
    matches: () => true,
    isFeedRoute: () => true,
    findContainer: (doc) => doc.querySelector('section.stream'),
    itemSelector: 'section.stream > article.story',
  };
  function build(doc: Document): void {
    const stream = doc.createElement('section');
    stream.className = 'stream';
    for (let n = 1; n <= 6; n++) {
      const a = doc.createElement('article');
      a.className = 'story';
      a.textContent = `Post ${n}`;
      if (n <= 3) stream.append(a);
      else {
        const slot = doc.createElement('div');
        slot.className = 'slot';
        const inner = doc.createElement('div');
        inner.append(a);
        slot.append(inner);
        stream.append(slot);
      }
    }
    doc.body.append(stream);
  }

  it('counts the lookalikes too, each once, and puts frames after their wrapper layers', () => {
    const doc = page(build);
    expect(countable(base, doc)).toHaveLength(3);
    const wide = widenAdapter(base, lookalikeSelector(base.itemSelector)!);
    const items = countable(wide, doc);
    expect(items.map(postNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    const host = makeHost(doc);
    wide.insertFrame!(items[4], host);
    expect(host.parentElement).toBe(doc.querySelector('section.stream'));
    expect(host.previousElementSibling!.className).toBe('slot');
    expect(postNumber(host.previousElementSibling)).toBe(5);
    const own = makeHost(doc);
    wide.insertFrame!(items[1], own); // the adapter's own items keep their own placement
    expect(own.previousElementSibling).toBe(items[1]);
  });

  it('a quoted story inside a story stays part of it', () => {
    const doc = page(build);
    const quoted = doc.createElement('article');
    quoted.className = 'story';
    doc.querySelectorAll('article.story')[4].append(quoted);
    expect(countable(widenAdapter(base, 'article.story'), doc)).toHaveLength(6);
  });

  it('the outer wrapper stops where another item begins, and at the feed', () => {
    const doc = page(build);
    const stream = doc.querySelector('section.stream')!;
    const fifth = doc.querySelectorAll('article.story')[4];
    expect(outerWrapper(fifth, stream, 'article.story').className).toBe('slot');
    expect(outerWrapper(fifth, null, 'article.story')).toBe(fifth);
    const first = doc.querySelector('article.story')!;
    expect(outerWrapper(first, stream, 'article.story')).toBe(first);
  });
});

describe('the probe and the route, on fixtures', () => {
  /** The feed watcher's part: its mutation observer on the feed hands each batch to the probe. Returns the disconnect. */
  function feed(probe: CoverageProbe, container: Element): () => void {
    const mo = new MutationObserver((records) => probe.take(records));
    mo.observe(container, { childList: true, subtree: true });
    return () => mo.disconnect();
  }

  /** What the controller does: watch the feed with a coverage probe, look again when the route says so. */
  function watch(route: SiteRoute, f: LoadedFixture) {
    let look = route.look(f.doc, route.identify(f.loc, f.doc, true));
    const looks: RouteLook[] = [look];
    let probe: CoverageProbe;
    const start = () => {
      const container = look.adapter!.findContainer(f.doc)!;
      let unfeed = () => {};
      probe = new CoverageProbe(container, look.adapter!, {
        strays: route.watchesStrays(look),
        onChange: () => {
          if (!route.checkCoverage(look.siteKey, look, countable(look.adapter!, f.doc).length, probe, f.doc)) return;
          probe.detach();
          unfeed();
          look = route.look(f.doc, route.identify(f.loc, f.doc, false));
          looks.push(look);
          start();
        },
      });
      probe.attach();
      unfeed = feed(probe, container);
    };
    start();
    return {
      looks,
      get look() {
        return look;
      },
      probe: () => probe,
    };
  }

  it('RES pages under the old `#siteTable > .thing` selector are lookalikes, and widening counts them', async () => {
    const f = await load('old-reddit-res.html', 'https://old.reddit.com/');
    const before: FeedAdapter = { ...redditAdapter, itemSelector: 'shreddit-post, #siteTable > .thing' };
    let changes = 0;
    const container = before.findContainer(f.doc)!;
    const probe = new CoverageProbe(container, before, { strays: true, onChange: () => changes++ });
    probe.attach();
    const unfeed = feed(probe, container);
    expect(probe.lookalikes).toBe(0);
    await f.scrollToLoad();
    expect(changes).toBeGreaterThan(0);
    expect(probe.lookalikes).toBe(26); // page 2: 25 links and a promoted one
    const health = new CoverageHealth();
    expect(health.observe({ at: 0, counted: 25, lookalikes: probe.lookalikes, strays: probe.strays })).toBe('widen');
    const wide = widenAdapter(before, lookalikeSelector(before.itemSelector)!);
    expect(countable(wide, f.doc).map(postNumber)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    probe.detach();
    unfeed();
  });

  it('a custom site that nests each new page deeper: the generic detector is widened and says so', async () => {
    const f = await load('old-reddit-res.html', 'https://forum.example/');
    const statuses: string[] = [];
    const route = new SiteRoute((_k, status) => statuses.push(status), kitAccess());
    const w = watch(route, f);
    expect(w.look.custom).toBe(true);
    expect(countable(w.look.adapter!, f.doc)).toHaveLength(26); // generic: page 1, promoted one too
    await f.scrollToLoad();
    expect(w.look.widened).toBe(true);
    expect(statuses).toContain('widened');
    expect(route.statusOf(w.look)).toBe('widened');
    await f.scrollToLoad();
    expect(countable(w.look.adapter!, f.doc)).toHaveLength(78);
    // A new route starts afresh.
    f.clickLink('Open post');
    expect(route.look(f.doc, route.identify(f.loc, f.doc, true)).widened).toBe(false);
  });

  it('a custom site that wraps later items in new layers: widened, frames after the wrappers', async () => {
    const f = await load('layers.html', 'http://localhost:4812/');
    const route = new SiteRoute(() => {}, kitAccess());
    const w = watch(route, f);
    expect(countable(w.look.adapter!, f.doc)).toHaveLength(20);
    await f.scrollToLoad();
    expect(w.look.widened).toBe(true);
    const items = countable(w.look.adapter!, f.doc);
    expect(items.map(postNumber)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const host = makeHost(f.doc);
    w.look.adapter!.insertFrame!(items[24], host);
    expect(host.parentElement!.matches('section.stream')).toBe(true);
    expect(host.previousElementSibling!.className).toBe('lazy-slot');
    expect(postNumber(host.previousElementSibling)).toBe(25);
  });

  it('a known site whose new posts come in a kind its adapter does not know: strays, then the generic detector', async () => {
    const f = await load('facebook.html', 'https://www.facebook.com/');
    const statuses: string[] = [];
    const route = new SiteRoute((_k, status) => statuses.push(status), kitAccess());
    const w = watch(route, f);
    expect(w.look.siteAdapter!.key).toBe('facebook');
    const feed = f.doc.querySelector('[role="feed"]')!;
    // Facebook ships a new post markup mid-feed: same slots, no aria-posinset, no role=article.
    const batch = (from: number) => {
      for (let n = from; n < from + 5; n++) {
        const slot = f.doc.createElement('div');
        slot.className = 'x1yztbdb x1n2onr6';
        const post = f.doc.createElement('div');
        post.className = 'x1a2a7pz';
        for (const [cls, text] of [
          ['xhead', 'Someone'],
          ['xbody', `Post ${n}`],
          ['xbar', 'Like · Share'],
        ]) {
          const part = f.doc.createElement('div');
          part.className = cls;
          part.append(f.doc.createElement('span'), text);
          post.append(part);
        }
        slot.append(post);
        feed.append(slot);
      }
    };
    batch(21);
    await new Promise((r) => setTimeout(r, 20));
    expect(w.probe().strays).toBe(5);
    expect(w.look.fallback).toBe(false); // one look is not yet "keeps coming"
    batch(26);
    await new Promise((r) => setTimeout(r, 20));
    expect(w.look.fallback).toBe(true);
    expect(statuses).toContain('fallback');
    expect(countable(w.look.adapter!, f.doc).map(postNumber)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('a known site that keeps adding posts it knows never trips the stray check', async () => {
    const f = await load('facebook.html', 'https://www.facebook.com/');
    const route = new SiteRoute(() => {}, kitAccess());
    const w = watch(route, f);
    for (let i = 0; i < 3; i++) await f.scrollToLoad();
    expect(countable(w.look.adapter!, f.doc)).toHaveLength(50);
    expect(w.probe().strays).toBe(0);
    expect(w.probe().lookalikes).toBe(0);
    expect(w.looks).toHaveLength(1);
  });
});
