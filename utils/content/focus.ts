const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=""], [contenteditable="true"]';
/** How far past the frame we look; a feed item has a handful of controls, never thousands. */
const MAX_STEPS = 2000;

/**
 * The first element after `from` (in document order, outside it) that a Tab press could
 * reach. When a frame the user is on by keyboard goes away, focus moves here instead of
 * falling back to <body>, so a screen reader keeps its place and the next Tab continues
 * with the post after the frame.
 */
export function nextFocusable(from: Element): HTMLElement | null {
  const doc = from.ownerDocument;
  const walker = doc.createTreeWalker(doc.body ?? doc.documentElement, NodeFilter.SHOW_ELEMENT);
  walker.currentNode = from;
  // Skip the element's own (light DOM) subtree: on to its next sibling, or an ancestor's.
  while (!walker.nextSibling()) {
    if (!walker.parentNode()) return null;
  }
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const el = walker.currentNode as HTMLElement;
    if (isTabbable(el)) return el;
    if (!walker.nextNode()) return null;
  }
  return null;
}

function isTabbable(el: HTMLElement): boolean {
  if (!el.matches(FOCUSABLE) || el.tabIndex < 0) return false;
  if ((el as HTMLButtonElement).disabled || el.closest('[inert]') || el.getAttribute('aria-hidden') === 'true') return false;
  if (el.localName === 'input' && (el as HTMLInputElement).type === 'hidden') return false;
  // Not rendered (display: none, detached, in a closed <details>): no boxes.
  return el.getClientRects().length > 0;
}
