import { defineSite } from './types';
import { cleanPath } from './dom';

/**
 * YouTube (desktop). Polymer custom element names (`ytd-…`) are the stable hooks. YouTube keeps
 * pages it has visited in the DOM with a `hidden` attribute, so every lookup skips hidden pages.
 * It also enforces Trusted Types: nothing here (or in the frame host) may use innerHTML.
 */
const GRID_ITEM = 'ytd-rich-item-renderer';
const REEL = 'ytd-reel-video-renderer';
const SECTION = 'ytd-rich-section-renderer';

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
    isCountable: (item) => !item.querySelector('ytd-ad-slot-renderer') && !item.hasAttribute('hidden') && !item.closest(SECTION),
    // With layout allowed and any row taken, planInsert always has an answer.
    insertFrame: (item, host) => planInsert(item, false, true)?.(host),
    planFrame: (item, layout) => planInsert(item, true, layout),
  },
});

export const youtubeAdapter = youtubeSite.adapter;

/**
 * Where a frame after `item` goes, decided now (the grid row's end: by layout, or by count where
 * layout may not be read), and the insertion itself, which reads none. `completeRowsOnly`: refuse
 * (null) while the item's row may still grow (it is the grid's last row), so a frame planned now
 * cannot cut a row short later.
 */
function planInsert(item: Element, completeRowsOnly: boolean, layout: boolean): ((host: HTMLElement) => void) | null {
  if (item.localName === REEL) {
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
  // By count first (right beside a content blocker's hidden items and a peer's own row width, and
  // no layout read); by layout where there is no count to go by.
  const end = rowEndByCount(item) ?? (layout ? rowEnd(item) : null);
  if (!end || (completeRowsOnly && !end.complete)) return null;
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
    if (next.localName !== GRID_ITEM) return { el: end, complete: false };
    // Not displayed (hidden, or by a content blocker's style): no cell, no top to compare.
    if (!next.getClientRects().length) continue;
    if (Math.abs(next.getBoundingClientRect().top - top) > 2) return { el: end, complete: true };
    end = next;
  }
  return { el: end, complete: false };
}

/** Siblings looked at, at most, to find a row's start by count; a longer run than this is planned by layout. */
const MAX_ROW_SCAN = 400;

/**
 * The same row end without reading layout, for the page's own mutation turn: YouTube's grid
 * places its items by count — `--ytd-rich-grid-items-per-row` of them to a row (the computed
 * value, so a peer extension's or the user's own override of it counts too), and anything else
 * displayed in the grid (a section such as the Shorts shelf, the continuation spinner, one of our
 * frames) takes a row of its own. An item's column is the number of displayed items since the
 * last such row. Items not displayed (`hidden`, or hidden by a content blocker's style) take no
 * cell. Reads computed style only, which the browser computes for the page's change anyway.
 * null: no column count to go by, or too long a run to count.
 */
function rowEndByCount(item: Element): { el: Element; complete: boolean } | null {
  const perRow = parseInt(getComputedStyle(item).getPropertyValue('--ytd-rich-grid-items-per-row'));
  if (!(perRow >= 1)) return null;
  const shown = (el: Element) => getComputedStyle(el).display !== 'none';
  let col = 0;
  let looked = 0;
  for (let prev = item.previousElementSibling; prev; prev = prev.previousElementSibling) {
    if (++looked > MAX_ROW_SCAN) return null;
    if (!shown(prev)) continue;
    if (prev.localName !== GRID_ITEM) break;
    col++;
  }
  let end = item;
  for (let left = perRow - 1 - (col % perRow), next = item.nextElementSibling; left > 0; next = next.nextElementSibling) {
    if (!next) return { el: end, complete: false };
    if (!shown(next)) continue;
    // A section (the Shorts shelf) follows: this row ends here, short, as the page made it.
    // Anything else (the continuation spinner the page appends before, an element we do not
    // know): the row may still grow.
    if (next.localName !== GRID_ITEM) return { el: end, complete: next.localName === SECTION };
    end = next;
    left--;
  }
  return { el: end, complete: true };
}
