/**
 * Small DOM helpers shared by the adapters. No site knowledge lives here: only "which host",
 * "first selector that finds something", "outermost match" — the same three questions every
 * adapter asks.
 */

/** True when the page's host is one of `hosts` (exact match, case-insensitive). */
export function hostIs(loc: Location, hosts: readonly string[]): boolean {
  const host = loc.hostname.toLowerCase();
  return hosts.includes(host);
}

/** The path without a trailing slash ('/' stays '/'), so routes compare the same either way. */
export function cleanPath(loc: Location): string {
  const p = loc.pathname.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

/** The first selector in the list that finds an element — for sites that A/B-test their markup. */
export function firstMatch(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const sel of selectors) {
    const el = root.querySelector(sel);
    if (el) return el;
  }
  return null;
}

/**
 * Is this the outermost element matching `selector`? Used where an item selector also matches
 * things nested inside an item (comments, quoted posts), which must not count twice.
 */
export function isOutermost(item: Element, selector: string): boolean {
  return !item.parentElement?.closest(selector);
}

/**
 * Is the element rendered? `checkVisibility` where the browser has it; `[hidden]` is checked
 * by hand because sites (YouTube) keep whole hidden pages in the DOM.
 */
export function isShown(el: Element): boolean {
  if (el.closest('[hidden]')) return false;
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  return typeof check === 'function' ? check.call(el) : true;
}

/** Does `item` sit on one visual row with a sibling (a grid, a wrapping flex row)? Without layout: no. */
export function sharesRow(item: Element): boolean {
  const r = item.getBoundingClientRect();
  if (r.height === 0) return false;
  for (const sib of [item.previousElementSibling, item.nextElementSibling]) {
    if (!sib) continue;
    const s = sib.getBoundingClientRect();
    if (s.height > 0 && Math.abs(s.top - r.top) <= 2 && Math.abs(s.left - r.left) > 2) return true;
  }
  return false;
}

/** The last sibling on the same visual row as `item` (by layout; without layout, `item`). */
export function rowEnd(item: Element): Element {
  const top = item.getBoundingClientRect().top;
  let end = item;
  for (let next = item.nextElementSibling; next; next = next.nextElementSibling) {
    const r = next.getBoundingClientRect();
    if (r.height === 0) continue; // not rendered (a template, a hidden slot)
    if (Math.abs(r.top - top) > 2) break;
    end = next;
  }
  return end;
}
