import { defineSite } from './types';
import { cleanPath } from './dom';

/**
 * YouTube (desktop). Polymer custom element names (`ytd-…`) are the stable hooks. YouTube keeps
 * pages it has visited in the DOM with a `hidden` attribute, so every lookup skips hidden pages.
 * It also enforces Trusted Types: nothing here (or in the frame host) may use innerHTML.
 */
const GRID_ITEM = 'ytd-rich-item-renderer';
const REEL = 'ytd-reel-video-renderer';

function isShorts(path: string): boolean {
  return path === '/shorts' || path.startsWith('/shorts/');
}

export const youtubeSite = defineSite({
  key: 'youtube',
  name: 'YouTube',
  hosts: ['www.youtube.com'],
  domains: ['youtube.com'],
  hooks: ['ytd-browse[page-subtype="home"]', 'ytd-browse[page-subtype="subscriptions"]', '#contents', '#shorts-inner-container'],
  adapter: {
    isFeedRoute(loc) {
      // Home and subscriptions are grids; Shorts is a vertical pager (a frame there is an
      // interstitial between reels). /watch is one video, not a feed.
      const p = cleanPath(loc);
      return p === '/' || p === '/feed/subscriptions' || isShorts(p);
    },
    findContainer(doc) {
      const path = doc.location ? cleanPath(doc.location) : '/';
      if (isShorts(path)) {
        return doc.querySelector('ytd-shorts:not([hidden]) #shorts-inner-container');
      }
      return doc.querySelector(
        'ytd-browse[page-subtype="home"]:not([hidden]) ytd-rich-grid-renderer, ' +
          'ytd-browse[page-subtype="subscriptions"]:not([hidden]) ytd-rich-grid-renderer',
      );
    },
    itemSelector: `${GRID_ITEM}, ${REEL}`,
    // Not counted: ad slots (rich items too), hidden placeholders YouTube fills later, and the
    // small items inside a shelf section (the Shorts shelf is one horizontal row).
    isCountable: (item) => !item.querySelector('ytd-ad-slot-renderer') && !item.hasAttribute('hidden') && !item.closest('ytd-rich-section-renderer'),
    insertFrame(item, host) {
      (planInsert(item, false) ?? ((h: HTMLElement) => rowEnd(item).el.after(h)))(host);
    },
    planFrame: (item) => planInsert(item, true),
  },
});

export const youtubeAdapter = youtubeSite.adapter;

/**
 * Where a frame after `item` goes, decided now (it reads layout: the grid row's end), and the
 * insertion itself, which reads none. `completeRowsOnly`: refuse (null) while the item's row may
 * still grow (it is the grid's last row), so a frame planned now cannot cut a row short later.
 */
function planInsert(item: Element, completeRowsOnly: boolean): ((host: HTMLElement) => void) | null {
  if (item.tagName.toLowerCase() === REEL) {
    // A page in the Shorts pager: snap to the frame like to a reel.
    return (host) => {
      host.style.setProperty('scroll-snap-align', 'start');
      item.after(host);
    };
  }
  // Grid: the frame takes a whole row (grid-column for CSS grid, flex-basis for the flex-wrap
  // layout YouTube uses today) and goes after the last item of the item's row, so no row is cut
  // short.
  const fullRow = (host: HTMLElement) => {
    host.style.setProperty('grid-column', '1 / -1');
    host.style.setProperty('flex-basis', '100%');
    host.style.setProperty('width', '100%');
  };
  const row = item.closest('ytd-rich-grid-row');
  if (row) {
    return (host) => {
      fullRow(host);
      row.after(host); // older layout: one element per row
    };
  }
  const end = rowEnd(item);
  if (completeRowsOnly && !end.complete) return null;
  return (host) => {
    fullRow(host);
    end.el.after(host);
  };
}

/**
 * The last grid item on the same visual row as `item` (by layout; without layout, `item`), and
 * whether the row is known to be complete (another row follows it).
 */
function rowEnd(item: Element): { el: Element; complete: boolean } {
  const rect = item.getBoundingClientRect();
  if (rect.height === 0) return { el: item, complete: true };
  const top = rect.top;
  let end = item;
  for (let next = item.nextElementSibling; next; next = next.nextElementSibling) {
    if (next.tagName.toLowerCase() !== GRID_ITEM) return { el: end, complete: false };
    if (Math.abs(next.getBoundingClientRect().top - top) > 2) return { el: end, complete: true };
    end = next;
  }
  return { el: end, complete: false };
}
