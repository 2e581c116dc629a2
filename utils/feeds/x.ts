import { defineSite } from './types';
import { cleanPath } from './dom';

/**
 * X / Twitter. Hooks are data-testids (stable for years); the generated `css-*` / `r-*` classes
 * and the localised `aria-label` of the timeline are not used.
 */
const CELL = 'div[data-testid="cellInnerDiv"]';
const TWEET = 'article[data-testid="tweet"]';
// Several section[role=region] can exist (e.g. a pinned-list column); the first in the primary
// column is the timeline.
const TIMELINE = '[data-testid="primaryColumn"] section[role="region"]';

export const xSite = defineSite({
  key: 'x',
  name: 'X',
  hosts: ['x.com', 'twitter.com'],
  domains: ['x.com', 'twitter.com'],
  hooks: [TIMELINE, TWEET],
  adapter: {
    isFeedRoute(loc) {
      // Home, lists and search are endless timelines; a status page is one conversation.
      const p = cleanPath(loc);
      return p === '/home' || /^\/i\/lists\/\d+$/.test(p) || p === '/search';
    },
    findContainer: (doc) => doc.querySelector(TIMELINE),
    itemSelector: CELL,
    // Cells also hold "Who to follow", topic carousels and "Show more" rows: only tweets count.
    isCountable: (item) => item.querySelector(TWEET) !== null,
    // X unmounts cells far off-screen and rebuilds them when they return: the permalink says
    // which tweet a rebuilt cell shows, so it is not counted twice.
    itemKey: (item) => item.querySelector(`${TWEET} a[href*="/status/"]`)?.getAttribute('href') ?? null,
    insertFrame(item, host) {
      // The timeline is virtualised: cells are absolutely positioned (translateY) and measured
      // with a ResizeObserver. A new sibling cell is unknown to the virtualiser and gets overlapped
      // or dropped; content appended *inside* a cell is measured and pushes the next cells down.
      const cell = item.closest(CELL) ?? item;
      cell.appendChild(host);
    },
  },
});

export const xAdapter = xSite.adapter;
