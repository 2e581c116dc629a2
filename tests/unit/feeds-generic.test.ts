// The generic detector: no site knowledge, finds "the biggest list of similar siblings".
import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { loadFixture, makeHost, type LoadedFixture } from './feeds-fixture';
import { detectGenericAdapter, genericAdapter, FEED_ATTR } from '@/utils/feeds/generic';
import { xAdapter } from '@/utils/feeds/x';
import { AdapterHealth } from '@/utils/feeds/health';
import type { AdapterStatus } from '@/utils/feeds/types';

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

/** A static page built with DOM calls (no fixture script). */
function page(build: (doc: Document) => void): Document {
  const win = new Window({ url: 'https://example.org/' });
  const doc = win.document as unknown as Document;
  build(doc);
  return doc;
}
function el(doc: Document, tag: string, cls = '', ...kids: Array<Node | string>): HTMLElement {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  e.append(...kids);
  return e;
}

describe('generic detector on the fixtures', () => {
  it('finds the demo feed', async () => {
    const f = await load('demo.html', 'http://127.0.0.1:8377/demo.html');
    const g = detectGenericAdapter(f.doc)!;
    expect(g).not.toBeNull();
    expect(g.key).toBe('generic');
    const container = g.findContainer(f.doc)!;
    expect(container.id).toBe('feed');
    expect(container.getAttribute(FEED_ATTR)).toBe('article.post');
    expect(container.querySelectorAll(g.itemSelector)).toHaveLength(20);
  });

  it('finds the X timeline after the site renamed its test ids (changed-x.html)', async () => {
    const f = await load('changed-x.html', 'https://x.com/home');
    // The X adapter is blind here …
    expect(xAdapter.findContainer(f.doc)).toBeNull();
    expect(f.doc.querySelectorAll(xAdapter.itemSelector)).toHaveLength(0);
    // … the generic detector is not, and it prefers the timeline over the 8-item trends list.
    const g = detectGenericAdapter(f.doc, xAdapter)!;
    const container = g.findContainer(f.doc)!;
    const cells = Array.from(container.querySelectorAll(g.itemSelector));
    expect(cells.length).toBe(8);
    expect(cells.every((c) => c.getAttribute('data-testid') === 'timelineCell')).toBe(true);
    expect(container.closest('[data-testid="sidebarColumn"]')).toBeNull();
    // Standing in for X, it keeps X's idea of routes.
    expect(g.isFeedRoute(new URL('https://x.com/jack/status/1') as unknown as Location, f.doc)).toBe(false);
    expect(g.isFeedRoute(f.loc, f.doc)).toBe(true);
  });

  it('puts the frame inside an absolutely positioned (virtualised) cell', async () => {
    const f = await load('changed-x.html', 'https://x.com/home');
    const g = detectGenericAdapter(f.doc)!;
    const cell = g.findContainer(f.doc)!.querySelector(g.itemSelector)!;
    const host = makeHost(f.doc);
    g.insertFrame!(cell, host);
    expect(host.parentElement).toBe(cell);
  });

  it('puts the frame after an ordinary item, and never counts it', async () => {
    const f = await load('demo.html', 'http://127.0.0.1:8377/demo.html');
    const g = detectGenericAdapter(f.doc)!;
    const container = g.findContainer(f.doc)!;
    const item = container.querySelectorAll(g.itemSelector)[3];
    const host = makeHost(f.doc);
    g.insertFrame!(item, host);
    expect(host.previousElementSibling).toBe(item);
    expect(container.querySelectorAll(g.itemSelector)).toHaveLength(20);
    // The lazy adapter (listed in SITE_ADAPTERS) selects every child but counts only items.
    const kids = Array.from(container.querySelectorAll(genericAdapter.itemSelector));
    expect(kids).toHaveLength(21);
    expect(kids.filter((k) => genericAdapter.isCountable!(k))).toHaveLength(20);
  });

  it('detects again when the page replaces the container', async () => {
    const f = await load('reddit.html', 'https://www.reddit.com/');
    const g = detectGenericAdapter(f.doc)!;
    const first = g.findContainer(f.doc)!;
    f.clickLink('Open post');
    f.win.history.back();
    await new Promise((r) => setTimeout(r, 30));
    const second = g.findContainer(f.doc)!;
    expect(second).not.toBe(first);
    expect(second.isConnected).toBe(true);
    expect(second.querySelectorAll(g.itemSelector)).toHaveLength(20);
  });
});

describe('fallback: health decides, generic takes over', () => {
  async function watchX(file: string): Promise<{ status: AdapterStatus; f: LoadedFixture }> {
    const f = await load(file, 'https://x.com/home');
    const health = new AdapterHealth();
    let status: AdapterStatus = 'waiting';
    for (let t = 0; t <= 4000; t += 1000) {
      const container = xAdapter.findContainer(f.doc);
      const items = container ? Array.from(container.querySelectorAll(xAdapter.itemSelector)).filter(xAdapter.isCountable!) : [];
      status = health.observe({
        at: t,
        adapterItems: items.length,
        containerFound: !!container,
        feedRoute: xAdapter.isFeedRoute(f.loc, f.doc),
        pageGrew: true,
      });
    }
    return { status, f };
  }

  it('keeps the X adapter on x.html', async () => {
    expect((await watchX('x.html')).status).toBe('working');
  });

  it('switches to generic on changed-x.html, which then finds the timeline', async () => {
    const { status, f } = await watchX('changed-x.html');
    expect(status).toBe('fallback');
    const g = detectGenericAdapter(f.doc, xAdapter)!;
    expect(g.findContainer(f.doc)!.querySelectorAll(g.itemSelector).length).toBeGreaterThanOrEqual(6);
  });
});

describe('generic detector heuristics', () => {
  it('reads a page-made bad tag as "not an item" instead of throwing', () => {
    const doc = page((d) => {
      const list = el(d, 'div', 'list');
      list.setAttribute(FEED_ATTR, ']]not a selector');
      for (let i = 0; i < 3; i++) list.append(el(d, 'div', 'x'));
      d.body.append(list);
    });
    const child = doc.querySelector('.list > div')!;
    expect(() => genericAdapter.isCountable!(child)).not.toThrow();
    expect(genericAdapter.isCountable!(child)).toBe(false);
    expect(genericAdapter.findContainer(doc)).toBeNull(); // and no feed is made up
  });

  it('needs at least six similar siblings', () => {
    const doc = page((d) => {
      const list = el(d, 'div', 'list');
      for (let i = 0; i < 5; i++) list.append(el(d, 'div', 'card', el(d, 'p', '', `Post ${i}`)));
      d.body.append(list);
    });
    expect(detectGenericAdapter(doc)).toBeNull();
  });

  it('ignores navigation, and groups siblings whose classes differ only by ids and state', () => {
    const doc = page((d) => {
      const nav = el(d, 'nav', '', el(d, 'ul'));
      for (let i = 0; i < 12; i++) nav.firstElementChild!.append(el(d, 'li', 'nav-item', el(d, 'a', '', `Link ${i}`)));
      const table = el(d, 'div', 'sitetable');
      for (let i = 0; i < 8; i++) {
        table.append(
          el(d, 'div', `thing id-t3_${i} ${i % 2 ? 'even' : 'odd'} link`, el(d, 'p', 'title', `Post ${i}`), el(d, 'p', 'tagline', 'by someone')),
          el(d, 'div', 'clearleft'),
        );
      }
      d.body.append(nav, table);
    });
    const g = detectGenericAdapter(doc)!;
    const container = g.findContainer(doc)!;
    expect(container.className).toBe('sitetable');
    expect(g.itemSelector).toBe(`[${FEED_ATTR}] > div.thing.link`);
    expect(container.querySelectorAll(g.itemSelector)).toHaveLength(8);
  });

  it('prefers the list with more content over a longer list of tiny rows', () => {
    const doc = page((d) => {
      const tags = el(d, 'div', 'tags');
      for (let i = 0; i < 30; i++) tags.append(el(d, 'span', 'tag', `#${i}`));
      const feed = el(d, 'section', 'feed');
      for (let i = 0; i < 7; i++) {
        feed.append(
          el(d, 'div', 'post', el(d, 'header', '', el(d, 'b', '', 'Name')), el(d, 'p', '', `Post ${i}`), el(d, 'footer', '', el(d, 'button', '', 'Like'))),
        );
      }
      d.body.append(tags, feed);
    });
    expect(detectGenericAdapter(doc)!.findContainer(doc)!.className).toBe('feed');
  });

  it('compares structure when siblings have no classes', () => {
    const doc = page((d) => {
      const mixed = el(d, 'div', 'mixed');
      for (let i = 0; i < 8; i++) mixed.append(el(d, 'div', '', i % 2 ? el(d, 'p', '', 'x') : el(d, 'span', '', 'y')));
      d.body.append(mixed);
    });
    expect(detectGenericAdapter(doc)).toBeNull(); // 4 + 4 alike: no run of six
  });

  it('returns null, not an exception, on an empty page', () => {
    const doc = page(() => {});
    expect(detectGenericAdapter(doc)).toBeNull();
    expect(genericAdapter.findContainer(doc)).toBeNull();
  });
});

describe('generic detector, what counts and where frames go', () => {
  /** A feed of `n` posts, `light` of them headers with little markup, laid out by `rect(i)` (happy-dom has no layout). */
  function feed(n: number, rect: (i: number) => { top: number; left: number }, light: number[] = []): { doc: Document; items: HTMLElement[] } {
    const doc = page((d) => {
      const list = el(d, 'div', 'grid');
      for (let i = 0; i < n; i++) {
        const item = light.includes(i)
          ? el(d, 'div', 'cell', el(d, 'h2', '', 'Who to follow'))
          : el(
              d,
              'div',
              'cell',
              el(d, 'header', '', el(d, 'b', '', 'Name')),
              el(d, 'p', '', `Post ${i + 1}`),
              el(d, 'footer', '', el(d, 'button', '', 'Like'), el(d, 'a', '', 'Open')),
            );
        const { top, left } = rect(i);
        item.getBoundingClientRect = () =>
          ({ top, left, bottom: top + 200, right: left + 200, width: 200, height: 200, x: left, y: top, toJSON() {} }) as DOMRect;
        list.append(item);
      }
      d.body.append(list);
    });
    return { doc, items: Array.from(doc.querySelectorAll('.cell')) as HTMLElement[] };
  }

  it('a grid row: the frame spans the row, after its last item', () => {
    const { doc, items } = feed(12, (i) => ({ top: Math.floor(i / 4) * 220, left: (i % 4) * 220 }));
    const g = detectGenericAdapter(doc)!;
    const host = doc.createElement('stillframe-pause');
    g.insertFrame!(items[5], host);
    expect(host.previousElementSibling).toBe(items[7]);
    expect(host.style.getPropertyValue('grid-column')).toMatch(/1\s*\/\s*-1/);
    expect(host.style.getPropertyValue('flex-basis')).toBe('100%');
  });

  it('a single column: right after the item, nothing spanned', () => {
    const { doc, items } = feed(8, (i) => ({ top: i * 220, left: 0 }));
    const host = doc.createElement('stillframe-pause');
    detectGenericAdapter(doc)!.insertFrame!(items[2], host);
    expect(host.previousElementSibling).toBe(items[2]);
    expect(host.style.getPropertyValue('grid-column')).toBe('');
  });

  it('headers and "show more" rows with a fraction of a post’s markup are not posts', () => {
    const { doc, items } = feed(9, (i) => ({ top: i * 220, left: 0 }), [4]);
    const g = detectGenericAdapter(doc)!;
    const counted = items.filter((it) => g.isCountable!(it));
    expect(counted).toHaveLength(8);
    expect(counted).not.toContain(items[4]);
  });
});
