import type { AdapterStatus, FeedAdapter } from './types';
import { lookalikeSelector, safeMatches } from './coverage';
import { swallowed } from '@/utils/dev-log';

/**
 * "Report a site problem": the SHAPE of the feed on this page, built on the device, shown to
 * the person in full, copied or saved only if they choose (nothing is sent). It is what a
 * maintainer needs to fix an adapter without an account on the site — and nothing about the
 * person: tag names, ARIA roles, attribute NAMES, class COUNTS, nesting, and which nodes
 * Stillframe matched. No text, no URLs, no attribute values, except:
 *  - ARIA roles from the ARIA vocabulary, small integers of aria-posinset/setsize/level, and
 *    true/false/empty of boolean attributes (hidden, aria-hidden…);
 *  - ids, classes and attribute values that Stillframe's own selectors name (KNOWN_SELECTORS in
 *    registry.ts: `#siteTable`, `thing`, `urn:li:activity…`) — this source's words, not the page's;
 *  - test ids (data-testid and kin) as pseudonyms `t1`, `t2`…: which nodes share one, never the word.
 * Pure: DOM in, plain data out; never changes the page.
 */
export const SHAPE_REPORT_FORMAT = 'stillframe-shape-report';
export const SHAPE_REPORT_VERSION = 1;

/** What Stillframe saw at a node. */
export type ShapeMark = 'container' | 'item' | 'skipped' | 'lookalike' | 'generic-container' | 'generic-item' | 'frame';

export interface ShapeNode {
  /** Tag name, lower case (custom element names included). */
  tag: string;
  /** Attribute names, sorted (values left out). */
  attrs?: string[];
  /** Allow-listed values only (see above). */
  values?: Record<string, string>;
  /** How many classes (their names left out). */
  classes?: number;
  /** Classes and ids that Stillframe's selectors name (`.thing`, `#siteTable`). */
  known?: string[];
  marks?: ShapeMark[];
  /** It has text of its own (left out). */
  text?: true;
  /** Laid out out of flow: absolutely positioned, fixed, or transformed (a virtualised list). */
  pos?: 'absolute' | 'fixed' | 'transform';
  /** It has an open shadow root (not described). */
  shadow?: true;
  children?: ShapeChild[];
}

/** A child: a node; "n more siblings shaped like child #like"; or a branch left out (how many elements). */
export type ShapeChild = ShapeNode | { repeat: number; like: number } | { omitted: number };

export interface ShapeReport {
  format: typeof SHAPE_REPORT_FORMAT;
  version: typeof SHAPE_REPORT_VERSION;
  /** Stillframe's version that built it. */
  stillframe: string;
  /** The site's key without any host: 'reddit', 'mastodon', 'custom'. */
  site: string;
  feedRoute: boolean;
  adapter: {
    key: string | null;
    status: AdapterStatus | null;
    /** A named site's item selector (Stillframe's own); null for the generic detector, whose selector holds the page's class names. */
    itemSelector: string | null;
  };
  counts: {
    containerFound: boolean;
    /** Nesting depth of the container below <body>. */
    containerDepth: number | null;
    matched: number;
    counted: number;
    lookalikes: number;
    genericItems: number;
    /** Elements described in the tree (repeats and omitted branches aside). */
    described: number;
  };
  viewport: { width: number; height: number };
  tree: ShapeNode;
}

export interface ShapeInput {
  doc: Document;
  site: string;
  feedRoute: boolean;
  adapter: FeedAdapter | null;
  status: AdapterStatus | null;
  /** Selectors whose values may be named (registry.ts KNOWN_SELECTORS). */
  knownSelectors: readonly string[];
  /** What the generic detector would take for the feed (generic.ts peekGenericFeed). */
  generic: { container: Element; members: Element[] } | null;
  stillframe: string;
}

/** Elements described at most; beyond, branches are summarised as omitted. */
const MAX_NODES = 4000;
/** Elements looked at at most (collapsed repeats are looked at too). */
const MAX_VISITS = 60_000;
const MAX_DEPTH = 64;
/** Off the path to the feed, branches are described this deep. */
const OFF_PATH_DEPTH = 2;
/** Siblings of one shape shown in full before "n more like this". */
const KEEP_ALIKE = 2;
/** Not described inside: their content is text, code or another document. */
const OPAQUE = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'textarea',
  'select',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'picture',
]);

const ROLES = new Set(
  (
    'alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox complementary ' +
    'contentinfo definition deletion dialog directory document emphasis feed figure form generic grid gridcell group heading img ' +
    'insertion link list listbox listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter navigation ' +
    'none note option paragraph presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox ' +
    'separator slider spinbutton status strong subscript superscript switch tab table tablist tabpanel term textbox time timer ' +
    'toolbar tooltip tree treegrid treeitem'
  ).split(' '),
);
const INTEGER_ATTRS = new Set(['aria-posinset', 'aria-setsize', 'aria-level', 'aria-rowindex', 'aria-colindex', 'aria-rowcount', 'aria-colcount']);
const BOOLEAN_ATTRS = new Set(['hidden', 'inert', 'aria-hidden', 'aria-busy', 'aria-expanded', 'aria-modal', 'aria-live']);
const TEST_ID_ATTRS = new Set(['data-testid', 'data-test-id', 'data-test', 'data-e2e', 'data-qa', 'data-cy']);
const SAFE_NAME = /^[a-z_:][a-z0-9_:.-]{0,49}$/i;
const SAFE_TAG = /^[a-z][a-z0-9]*(?:-[a-z0-9._]*)*$/;

interface KnownAttr {
  name: string;
  op: string;
  value: string;
}

/** The ids, classes and attribute values named in `selectors`. */
export function knownTokens(selectors: readonly string[]): { ids: Set<string>; classes: Set<string>; attrs: KnownAttr[] } {
  const ids = new Set<string>();
  const classes = new Set<string>();
  const attrs: KnownAttr[] = [];
  for (const sel of selectors) {
    const bare = sel.replace(/\[\s*([\w:-]+)\s*(?:([~|^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+)))?\s*[is]?\s*\]/g, (_m, name, op, dq, sq, raw) => {
      const value = dq ?? sq ?? raw;
      if (op && value !== undefined) attrs.push({ name: name.toLowerCase(), op, value });
      return ' ';
    });
    for (const m of bare.matchAll(/#(-?[A-Za-z_][\w-]*)/g)) ids.add(m[1]);
    for (const m of bare.matchAll(/\.(-?[A-Za-z_][\w-]*)/g)) classes.add(m[1]);
  }
  return { ids, classes, attrs };
}

/** The known form of an attribute value: the selector's own words, `…` for the rest; null when no selector names it. */
function knownValue(known: KnownAttr[], name: string, value: string): string | null {
  for (const k of known) {
    if (k.name !== name) continue;
    if (k.op === '=' && value === k.value) return k.value;
    if (k.op === '^=' && value.startsWith(k.value)) return value === k.value ? k.value : `${k.value}…`;
    if (k.op === '$=' && value.endsWith(k.value)) return value === k.value ? k.value : `…${k.value}`;
    if (k.op === '*=' && value.includes(k.value)) return value === k.value ? k.value : `…${k.value}…`;
    if (k.op === '~=' && value.split(/\s+/).includes(k.value)) return k.value;
  }
  return null;
}

export function buildShapeReport(input: ShapeInput): ShapeReport {
  const { doc, adapter } = input;
  const known = knownTokens(input.knownSelectors);
  const pseudonyms = new Map<string, string>();
  const marks = new Map<Element, ShapeMark[]>();
  const mark = (el: Element, m: ShapeMark) => {
    const list = marks.get(el);
    if (list) {
      if (!list.includes(m)) list.push(m);
    } else marks.set(el, [m]);
  };

  let container: Element | null = null;
  let matched = 0;
  let counted = 0;
  let lookalikes = 0;
  try {
    container = adapter?.findContainer(doc) ?? null;
  } catch (err) {
    swallowed('shape report: find container', err);
    container = null;
  }
  if (container && adapter) {
    mark(container, 'container');
    for (const el of Array.from(container.querySelectorAll(adapter.itemSelector))) {
      matched++;
      let countable = true;
      try {
        countable = !adapter.isCountable || adapter.isCountable(el);
      } catch (err) {
        swallowed('shape report: countable', err);
        countable = false;
      }
      if (countable) counted++;
      mark(el, countable ? 'item' : 'skipped');
    }
    const loose = lookalikeSelector(adapter.itemSelector);
    if (loose) {
      for (const el of Array.from(container.querySelectorAll(loose))) {
        if (safeMatches(el, adapter.itemSelector) || el.parentElement?.closest(adapter.itemSelector)) continue;
        lookalikes++;
        mark(el, 'lookalike');
      }
    }
  }
  if (input.generic) {
    mark(input.generic.container, 'generic-container');
    for (const el of input.generic.members) mark(el, 'generic-item');
  }
  for (const host of Array.from(doc.querySelectorAll('stillframe-pause'))) mark(host, 'frame');

  const roots = [container, input.generic?.container].filter((e): e is Element => !!e);
  const view = doc.defaultView;
  let described = 0;
  let visits = 0;

  const describeNode = (el: Element, depth: number, offPath: number): ShapeNode => {
    described++;
    visits++;
    const tag = el.localName.toLowerCase();
    const node: ShapeNode = { tag: SAFE_TAG.test(tag) ? tag : '?' };
    const names: string[] = [];
    const values: Record<string, string> = {};
    const knownHere: string[] = [];
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (!SAFE_NAME.test(name)) {
        names.push('?');
        continue;
      }
      names.push(name);
      const v = attr.value;
      if (name === 'class') continue;
      if (name === 'id') {
        if (known.ids.has(v)) knownHere.push(`#${v}`);
        continue;
      }
      if (name === 'role') {
        const roles = v
          .trim()
          .toLowerCase()
          .split(/\s+/)
          .filter((r) => ROLES.has(r));
        if (roles.length) values.role = roles.join(' ');
        continue;
      }
      if (INTEGER_ATTRS.has(name)) {
        if (/^-?\d{1,7}$/.test(v.trim())) values[name] = v.trim();
        continue;
      }
      if (BOOLEAN_ATTRS.has(name)) {
        const b = v.trim().toLowerCase();
        if (b === '' || b === 'true' || b === 'false') values[name] = b;
        continue;
      }
      const named = knownValue(known.attrs, name, v);
      if (named !== null) values[name] = named;
      else if (TEST_ID_ATTRS.has(name) && v !== '') {
        if (!pseudonyms.has(v)) pseudonyms.set(v, `t${pseudonyms.size + 1}`);
        values[name] = pseudonyms.get(v)!;
      }
    }
    if (names.length) node.attrs = [...new Set(names)].sort();
    if (Object.keys(values).length) node.values = values;
    if (el.classList.length) {
      node.classes = el.classList.length;
      for (const c of Array.from(el.classList)) if (known.classes.has(c)) knownHere.push(`.${c}`);
    }
    if (knownHere.length) node.known = [...new Set(knownHere)].sort();
    const m = marks.get(el);
    if (m) node.marks = [...m];
    if (Array.from(el.childNodes).some((n) => n.nodeType === 3 && (n.nodeValue ?? '').trim() !== '')) node.text = true;
    if ((el as Element & { shadowRoot?: ShadowRoot | null }).shadowRoot) node.shadow = true;
    const inFeed = roots.some((r) => r.contains(el));
    if (inFeed && view) {
      try {
        const style = view.getComputedStyle(el);
        if (style.position === 'absolute' || style.position === 'fixed') node.pos = style.position;
        else if (style.transform && style.transform !== 'none') node.pos = 'transform';
      } catch {
        // no layout here (a detached document): no positions
      }
    }
    if (tag === 'stillframe-pause' || OPAQUE.has(tag) || el.childElementCount === 0) return node;
    const towardsFeed = roots.some((r) => el.contains(r));
    const nextOff = inFeed || towardsFeed ? 0 : offPath + 1;
    if (depth >= MAX_DEPTH || nextOff > OFF_PATH_DEPTH || described >= MAX_NODES || visits >= MAX_VISITS) {
      node.children = [{ omitted: el.getElementsByTagName('*').length }];
      return node;
    }
    node.children = describeChildren(el, depth + 1, nextOff);
    return node;
  };

  const describeChildren = (el: Element, depth: number, offPath: number): ShapeChild[] => {
    const out: ShapeChild[] = [];
    let runKey = '';
    let runStart = -1;
    let runLength = 0;
    let repeat: { repeat: number; like: number } | null = null;
    let omitted = 0;
    for (const child of Array.from(el.children)) {
      if (described >= MAX_NODES || visits >= MAX_VISITS) {
        omitted += 1 + child.getElementsByTagName('*').length;
        continue;
      }
      const before = described;
      const node = describeNode(child, depth, offPath);
      const key = shapeKey(node);
      if (key === runKey && runLength >= KEEP_ALIKE) {
        // One more of the same shape: counted, not kept.
        described = before;
        if (!repeat) out.push((repeat = { repeat: 0, like: runStart }));
        repeat.repeat++;
        runLength++;
        continue;
      }
      if (key !== runKey) {
        runKey = key;
        runStart = out.length;
        runLength = 0;
        repeat = null;
      }
      out.push(node);
      runLength++;
    }
    if (omitted) out.push({ omitted });
    return out;
  };

  const body = doc.body;
  const tree = body ? describeNode(body, 0, 0) : { tag: 'body' };
  let containerDepth: number | null = null;
  if (container && body?.contains(container)) {
    containerDepth = 0;
    for (let p = container.parentElement; p && p !== body; p = p.parentElement) containerDepth++;
  }
  return {
    format: SHAPE_REPORT_FORMAT,
    version: SHAPE_REPORT_VERSION,
    stillframe: input.stillframe,
    site: input.site,
    feedRoute: input.feedRoute,
    adapter: {
      key: adapter?.key ?? null,
      status: input.status,
      itemSelector: adapter && adapter.key !== 'generic' ? adapter.itemSelector : null,
    },
    counts: {
      containerFound: container !== null,
      containerDepth,
      matched,
      counted,
      lookalikes,
      genericItems: input.generic?.members.length ?? 0,
      described,
    },
    viewport: { width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 },
    tree,
  };
}

/** Two siblings of one shape: the same description, positions in a list aside. */
function shapeKey(node: ShapeNode): string {
  return JSON.stringify(node, (k, v) => (k === 'aria-posinset' || k === 'aria-rowindex' ? undefined : v));
}

/** The site's key as a report may carry it: no host. */
export function reportSiteOf(siteKey: string | null): string {
  if (!siteKey) return 'none';
  const i = siteKey.indexOf(':');
  return i < 0 ? siteKey : siteKey.slice(0, i);
}
