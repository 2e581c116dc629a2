import { defineSite } from './types';
import { cleanPath, isShown } from './dom';

/**
 * Bluesky. The test ids are written in the app's own (open) source and used by its e2e tests,
 * which makes them the most stable hooks of any site here. The home screen is a pager with one
 * feed per tab, all in the DOM; the one shown is the feed.
 */
const FEEDS = '[data-testid$="FeedPage-feed"]'; // followingFeedPage-feed, customFeedPage-feed…
const ITEM = '[data-testid^="feedItem-by-"]';

export const blueskySite = defineSite({
  key: 'bluesky',
  name: 'Bluesky',
  hosts: ['bsky.app'],
  domains: ['bsky.app'],
  hooks: [FEEDS],
  adapter: {
    isFeedRoute(loc) {
      // Home (any tab) and a custom feed; a post thread is /profile/<x>/post/<id>.
      const p = cleanPath(loc);
      return p === '/' || /^\/profile\/[^/]+\/feed\/[^/]+$/.test(p);
    },
    findContainer(doc) {
      const feeds = Array.from(doc.querySelectorAll(FEEDS));
      return feeds.find(isShown) ?? null;
    },
    itemSelector: ITEM,
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
  },
});

export const blueskyAdapter = blueskySite.adapter;
