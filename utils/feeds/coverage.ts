import type { FeedAdapter } from './types';
import { swallowed } from '@/utils/dev-log';

/**
 * Coverage, the DOM half (the judgement is CoverageHealth in health.ts): what "the same kind
 * of item" means for an adapter, an adapter widened to count it one list deeper, and where a
 * frame goes when an item sits inside wrapper layers of its own. No site knowledge: everything
 * is derived from the adapter's own item selector.
 */

/** Splits a selector list at its top-level commas (not those inside `[...]`, `(...)` or quotes). */
export function splitSelectorList(list: string): string[] {
  return splitTopLevel(list, (ch) => ch === ',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The last compound selector of a complex selector — the part that describes the element
 * itself: `#siteTable > .thing` → `.thing`, `[data-feed] > article.post` → `article.post`.
 */
export function lastCompound(selector: string): string {
  const parts = splitTopLevel(selector.trim(), (ch) => ch === '>' || ch === '+' || ch === '~' || /\s/.test(ch));
  return (parts.filter(Boolean).pop() ?? '').trim();
}

/**
 * "The same kind of item, wherever it sits": the last compound of each selector in the list
 * that names structure around the item. Null when no part does (an adapter that selects items by
 * what they are — a custom element, a test id — cannot miss one a list deeper).
 */
export function lookalikeSelector(itemSelector: string): string | null {
  const loose: string[] = [];
  for (const part of splitSelectorList(itemSelector)) {
    const own = lastCompound(part);
    if (own && own !== part && !loose.includes(own)) loose.push(own);
  }
  return loose.length ? loose.join(', ') : null;
}

/**
 * The adapter, widened: it also counts `lookalike` items anywhere in its container (each once:
 * the outermost only, so a quoted post inside a post stays part of its post), with its own
 * rules for what counts. Its own items keep their own frame placement; a lookalike item gets the
 * frame after its wrapper layers (see outerWrapper), never inside them.
 */
export function widenAdapter(base: FeedAdapter, lookalike: string): FeedAdapter {
  const selector = `${base.itemSelector}, ${lookalike}`;
  const place = (el: Element, host: HTMLElement) => (base.insertFrame ? base.insertFrame(el, host) : el.after(host));
  return {
    ...base,
    itemSelector: selector,
    isCountable(item) {
      if (item.parentElement?.closest(selector)) return false;
      return base.isCountable ? base.isCountable(item) : true;
    },
    insertFrame(item, host) {
      if (safeMatches(item, base.itemSelector)) return place(item, host);
      place(outerWrapper(item, base.findContainer(item.ownerDocument), selector), host);
    },
  };
}

/**
 * The outermost element around `item` (up to, not including, `stop`) that holds no other item:
 * the post's own wrapper layers. A frame goes after it, so a site that empties or re-renders
 * the wrapper (virtualised or "occludable" lists) cannot take the frame with it, and the frame
 * sits between posts rather than inside one. Without a `stop` the item itself.
 */
export function outerWrapper(item: Element, stop: Element | null, selector: string): Element {
  if (!stop?.contains(item)) return item;
  let el = item;
  for (let p = el.parentElement; p && p !== stop; p = el.parentElement) {
    if (holdsOtherItems(p, el, selector)) break;
    el = p;
  }
  return el;
}

function holdsOtherItems(parent: Element, mine: Element, selector: string): boolean {
  // Sibling by sibling, not Array.from(children): this runs for every item a page appends, and a
  // grid's list holds hundreds (npm run bench: 14 ms of a YouTube-like scroll copying them).
  for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
    if (c === mine || isOurs(c)) continue;
    if (safeMatches(c, selector) || safeQuery(c, selector)) return true;
  }
  return false;
}

/** The shape of a slot (the element an item sits in, under the feed's list): its tag, classes and first child's tag. */
export interface SlotShape {
  tag: string;
  classes: Set<string>;
  first: string;
}

/** A slot's shape, from one slot; classes that look like ids (digits in them) are left out. */
export function slotShape(slot: Element): SlotShape {
  return {
    tag: slot.tagName,
    classes: new Set(Array.from(slot.classList).filter((k) => !/\d/.test(k))),
    first: slot.firstElementChild?.tagName ?? '',
  };
}

/** Is `el` shaped like `shape` (same tag; classes at least half shared, or, when classless, the same first child)? */
export function sameShape(shape: SlotShape, el: Element): boolean {
  if (el.tagName !== shape.tag) return false;
  const other = slotShape(el);
  if (shape.classes.size === 0 && other.classes.size === 0) return shape.first === other.first;
  let both = 0;
  for (const k of shape.classes) if (other.classes.has(k)) both++;
  return both / (shape.classes.size + other.classes.size - both) >= 0.5;
}

/** Our own frame hosts are never items, wrappers or strays. */
export function isOurs(el: Element): boolean {
  return el.localName.startsWith('stillframe') || el.hasAttribute('data-stillframe-frame');
}

export function safeMatches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch (err) {
    // Only an adapter's invalid selector throws here: a bug to see in development.
    swallowed('coverage selector', err);
    return false;
  }
}

function safeQuery(el: Element, selector: string): boolean {
  try {
    return el.querySelector(selector) !== null;
  } catch (err) {
    swallowed('coverage selector', err);
    return false;
  }
}

/** Splits at characters `isSep` accepts, outside brackets, parentheses and quotes. */
function splitTopLevel(s: string, isSep: (ch: string) => boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      cur += ch;
      if (ch === '\\' && i + 1 < s.length) cur += s[++i];
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && isSep(ch)) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}
