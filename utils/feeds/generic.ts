import type { FeedAdapter } from './types';
import { rowEnd, sharesRow } from './dom';

/**
 * The generic detector: no site knowledge. A feed is the element whose direct children include
 * a group of at least MIN_ITEMS similar siblings (same tag, largely the same classes; same
 * shape when classless) and, among such lists, the one taking the most room on the page (area
 * with layout, amount of markup without). Used when a site adapter stops finding items (the
 * site changed) and on sites the user enabled by hand.
 *
 * The chosen container is tagged with `data-stillframe-feed="<item selector>"`, so the item
 * selector stays a plain string (`[data-stillframe-feed] > article.post`) and survives until the
 * page replaces the container, when detection runs again.
 */
export const FEED_ATTR = 'data-stillframe-feed';
const MIN_ITEMS = 6;
const SIMILAR = 0.5; // Jaccard similarity of class lists
/**
 * A member with less than this share of a typical member's markup is not a post: a section
 * header, a "show more" row, a spinner, an empty slot (X's "Who to follow" cell is one of the
 * timeline's cells, with a fraction of a tweet's markup). Posts with and without media differ
 * far less than that.
 */
const LIGHT_SHARE = 0.5;
/** Never a feed, and nothing inside is one either. */
const NOT_CONTENT = 'head, script, style, template, svg, select, datalist, nav, header, footer, [role="navigation"], [role="banner"], [role="contentinfo"]';
/** Children that are never items: non-rendered tags and our own frames. */
const NOT_ITEM = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'LINK', 'META', 'NOSCRIPT', 'BR', 'HR']);
const SAFE_CLASS = /^-?[A-Za-z_][\w-]*$/;
/** findContainer runs on every mutation batch; a fruitless full scan runs at most this often. */
const RESCAN_MS = 1000;
const lastMiss = new WeakMap<Document, number>();

interface Candidate {
  container: Element;
  members: Element[];
  /** Selector for one member, e.g. `div.thing.link`. */
  itemPart: string;
  score: number;
}

/**
 * Finds the page's feed, tags it, and returns an adapter for it — or null when none is seen.
 * `fresh` (the default) looks again from scratch; without it a still-valid tagged feed is kept
 * and a fruitless scan is not repeated within RESCAN_MS (for callers that ask on every DOM change).
 */
export function detectGenericAdapter(doc: Document, routeFrom?: FeedAdapter, opts: { fresh?: boolean } = {}): FeedAdapter | null {
  const found = findFeed(doc, undefined, opts.fresh ?? true);
  if (!found) return null;
  const itemPart = found.itemPart;
  const members = found.members.length ? found.members : Array.from(found.container.children).filter((c) => safeMatches(c, itemPart));
  const minWeight = LIGHT_SHARE * median(members.map(weight));
  return {
    ...genericAdapter,
    // When standing in for a broken site adapter, that adapter still knows the routes.
    isFeedRoute: (loc, d) => (routeFrom ? routeFrom.isFeedRoute(loc, d) : true),
    findContainer: (d) => findFeed(d, itemPart)?.container ?? null,
    itemSelector: `[${FEED_ATTR}] > ${itemPart}`,
    isCountable: (item) => weight(item) >= minWeight,
    // A virtualised list destroys and rebuilds items as you scroll: a rebuilt item is not a new
    // post. Without site knowledge its identity is what it says (kept in memory only).
    itemKey: (item) => (isPositioned(item) ? (item.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || null : null),
  };
}

/** Absolutely positioned or transformed: an item of a virtualised list. */
function isPositioned(item: Element): boolean {
  const style = item.ownerDocument.defaultView?.getComputedStyle(item);
  return !!style && (style.position === 'absolute' || (!!style.transform && style.transform !== 'none'));
}

/** How much markup an element holds: its descendant elements. */
function weight(el: Element): number {
  return el.getElementsByTagName('*').length;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The lazy form, listed last in SITE_ADAPTERS: detection happens on first findContainer. */
export const genericAdapter: FeedAdapter = {
  key: 'generic',
  name: 'Generic',
  matches: () => true,
  isFeedRoute: () => true,
  findContainer: (doc) => findFeed(doc)?.container ?? null,
  itemSelector: `[${FEED_ATTR}] > *`,
  isCountable(item) {
    const part = item.parentElement?.getAttribute(FEED_ATTR);
    return !!part && safeMatches(item, part);
  },
  insertFrame(item, host) {
    genericPlan(item)(host);
  },
  // The check reads computed style (transform needs layout): decided while layout is fresh only.
  planFrame: (item, layout) => (layout ? genericPlan(item) : null),
};

/**
 * Where a frame after `item` goes, decided now (it reads layout), and the insertion, which reads
 * none. A list whose items are absolutely positioned or transformed is virtualised: a new sibling
 * would be overlapped, content inside an item is measured. Items side by side (a grid, a wrapping
 * flex row): the frame takes a whole row of its own, after the last item of this one, so no row
 * is cut short and no post sits beside it. Otherwise: after it.
 */
function genericPlan(item: Element): (host: HTMLElement) => void {
  if (isPositioned(item)) return (host) => item.appendChild(host);
  if (sharesRow(item)) {
    const end = rowEnd(item);
    return (host) => {
      host.style.setProperty('grid-column', '1 / -1');
      host.style.setProperty('flex-basis', '100%');
      host.style.setProperty('width', '100%');
      end.after(host);
    };
  }
  return (host) => item.after(host);
}

/**
 * The tagged container if still in the page and still holding its items (and, when `itemPart`
 * is given, items of that kind); otherwise detect again and move the tag. `force` skips both
 * the tag and the rescan throttle: a fresh look.
 */
function findFeed(doc: Document, itemPart?: string, force = false): Candidate | null {
  const tagged = doc.querySelector(`[${FEED_ATTR}]`);
  if (tagged && !force) {
    const part = tagged.getAttribute(FEED_ATTR) ?? '';
    const holdsItems = Array.from(tagged.children).some((c) => safeMatches(c, part));
    if (holdsItems && (!itemPart || part === itemPart)) {
      return { container: tagged, members: [], itemPart: part, score: 0 };
    }
  }
  const now = Date.now();
  const missed = lastMiss.get(doc);
  if (!force && missed !== undefined && now - missed < RESCAN_MS) return null;
  const best = bestCandidate(doc, itemPart);
  if (!best) {
    lastMiss.set(doc, now);
    return null;
  }
  lastMiss.delete(doc);
  tagged?.removeAttribute(FEED_ATTR);
  best.container.setAttribute(FEED_ATTR, best.itemPart);
  return best;
}

function bestCandidate(doc: Document, itemPart?: string): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates(doc)) {
    if (itemPart && !safeMatches(c.members[0], itemPart)) continue;
    if (!best || c.score > best.score) best = c;
  }
  return best;
}

/** What the generic detector would take for the feed, without tagging or remembering anything (for shape reports). */
export function peekGenericFeed(doc: Document): { container: Element; members: Element[] } | null {
  try {
    const best = bestCandidate(doc);
    return best ? { container: best.container, members: best.members } : null;
  } catch {
    return null;
  }
}

function* candidates(doc: Document): Generator<Candidate> {
  const body = doc.body;
  if (!body) return;
  // With layout (a real browser) the room a list takes is its area; without (tests, a
  // detached document) the amount of markup in it.
  const hasLayout = doc.documentElement.getBoundingClientRect().height > 0;
  const all = [body, ...Array.from(body.querySelectorAll('*'))];
  for (const el of all) {
    if (el.childElementCount < MIN_ITEMS || el.closest(NOT_CONTENT)) continue;
    const members = biggestCluster(Array.from(el.children));
    if (members.length < MIN_ITEMS) continue;
    let score = 0;
    for (const m of members) {
      if (hasLayout) {
        const r = m.getBoundingClientRect();
        score += r.width * r.height;
      } else {
        score += 1 + m.getElementsByTagName('*').length;
      }
    }
    if (score > 0) yield { container: el, members, itemPart: selectorFor(members), score };
  }
}

/** Groups siblings by tag and class similarity; returns the weightiest group. */
function biggestCluster(children: Element[]): Element[] {
  const kids = children.filter((c) => !NOT_ITEM.has(c.tagName) && !isOurs(c));
  // A class carried by a single sibling is an id in disguise (old Reddit's `id-t3_abc`): ignore.
  const freq = new Map<string, number>();
  for (const c of kids) for (const k of new Set(c.classList)) freq.set(k, (freq.get(k) ?? 0) + 1);
  const shared = (c: Element) => new Set(Array.from(c.classList).filter((k) => (freq.get(k) ?? 0) > 1));

  type Cluster = { tag: string; classes: Set<string>; shape: string; members: Element[]; weight: number };
  const clusters: Cluster[] = [];
  for (const c of kids) {
    const classes = shared(c);
    const shape = c.firstElementChild?.tagName ?? '';
    let home = clusters.find(
      (g) =>
        g.tag === c.tagName &&
        jaccard(g.classes, classes) >= SIMILAR &&
        // Classless siblings: compare their structure (first child's tag) instead.
        (classes.size > 0 || g.shape === shape),
    );
    if (!home) clusters.push((home = { tag: c.tagName, classes, shape, members: [], weight: 0 }));
    home.members.push(c);
    home.weight += 1 + c.getElementsByTagName('*').length;
  }
  // Among runs long enough, the one with the most markup: posts beat spacer divs between them.
  let best: Cluster | null = null;
  for (const g of clusters) {
    if (g.members.length >= MIN_ITEMS && (!best || g.weight > best.weight)) best = g;
  }
  return best?.members ?? [];
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let both = 0;
  for (const k of a) if (b.has(k)) both++;
  return both / (a.size + b.size - both);
}

/** `tag.class1.class2` with the classes every member has (and that are safe to write). */
function selectorFor(members: Element[]): string {
  const name = members[0].tagName.toLowerCase();
  // Parser-made names such as `fb:like` are not valid in a selector.
  const tag = /^[a-z][a-z0-9-]*$/.test(name) ? name : '*';
  const common = Array.from(members[0].classList).filter((k) => SAFE_CLASS.test(k) && members.every((m) => m.classList.contains(k)));
  return [tag, ...common].join('.');
}

/** `matches` that reads a bad selector (the attribute is on the page's DOM) as "no". */
function safeMatches(el: Element, selector: string): boolean {
  try {
    return selector !== '' && el.matches(selector);
  } catch {
    return false;
  }
}

/** Our own frame hosts are never items. */
function isOurs(el: Element): boolean {
  return el.tagName.startsWith('STILLFRAME') || el.hasAttribute('data-stillframe-frame');
}
