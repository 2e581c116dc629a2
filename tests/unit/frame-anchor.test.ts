import { describe, expect, it, vi } from 'vitest';
import { POSTS_BEFORE_FRAMES } from '../e2e/frame-anchor';

/**
 * The e2e suite's reading of where a frame sits (framesIn): it must read every legitimate
 * placement and nothing else, or the spacing checks (a frame after a post, never two at one
 * place, gaps of at least the cadence) would fail on a right placement or pass on a wrong one.
 */

/** An element laid out at `top` (height 200), or not laid out (height 0). */
function el(tag: string, text: string, top: number | null, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  vi.spyOn(e, 'getBoundingClientRect').mockReturnValue((top === null ? { top: 0, bottom: 0, height: 0 } : { top, bottom: top + 200, height: 200 }) as DOMRect);
  return e;
}

function feed(...kids: HTMLElement[]): HTMLElement[] {
  const root = document.createElement('div');
  root.append(...kids);
  document.body.replaceChildren(root);
  return Array.from(root.querySelectorAll('stillframe-pause'));
}

const frame = () => el('stillframe-pause', '', 1000);

describe('POSTS_BEFORE_FRAMES (the e2e reading of a frame’s place)', () => {
  it('reads the post right before a frame, past frames of ours, and the aria-posinset of an emptied placeholder', () => {
    const hosts = feed(el('article', 'Post 3: hello', 0), frame(), frame(), el('article', '', 300, { 'aria-posinset': '9' }), frame());
    expect(POSTS_BEFORE_FRAMES(hosts)).toEqual([3, 3, 9]);
  });

  it('reads a frame at the end of a grid row that ends with an ad slot as following that row’s last post (YouTube)', () => {
    const hosts = feed(
      el('ytd-rich-item-renderer', 'Post 35', 0),
      el('ytd-rich-item-renderer', 'Post 36', 300),
      el('ytd-rich-item-renderer', 'Post 37', 300),
      el('ytd-rich-item-renderer', 'Post 38', 300),
      el('ytd-rich-item-renderer', 'Sponsored · A product', 300),
      frame(),
      el('ytd-rich-item-renderer', 'Post 39', 1300),
    );
    expect(POSTS_BEFORE_FRAMES(hosts)).toEqual([38]);
  });

  it('reads no post before a frame that follows a shelf on its own row, an ad stacked alone in a list, a hidden item or nothing', () => {
    const shelf = feed(el('ytd-rich-item-renderer', 'Post 8', 0), el('ytd-rich-section-renderer', 'Shorts · Short 1', 300), frame());
    expect(POSTS_BEFORE_FRAMES(shelf)).toEqual([null]);
    const list = feed(el('article', 'Post 4', 0), el('div', 'Sponsored', 300), frame());
    expect(POSTS_BEFORE_FRAMES(list)).toEqual([null]);
    const hidden = feed(el('article', 'Post 4', 0), el('div', 'Sponsored', null), frame());
    expect(POSTS_BEFORE_FRAMES(hidden)).toEqual([null]);
    const first = feed(frame(), el('article', 'Post 1', 300));
    expect(POSTS_BEFORE_FRAMES(first)).toEqual([null]);
  });
});
