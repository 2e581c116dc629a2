import { defineSite } from './types';
import { cleanPath, isOutermost } from './dom';

/**
 * Facebook. Its `x1…` classes are regenerated weekly; ARIA is what stays: the feed is
 * `role="feed"` and each post carries `aria-posinset`. Comments inside a post are
 * `role="article"` too, hence "outermost only" when counting.
 */
const ITEM = 'div[aria-posinset], [role="article"]';

export const facebookSite = defineSite({
  key: 'facebook',
  name: 'Facebook',
  hosts: ['www.facebook.com', 'web.facebook.com', 'm.facebook.com'],
  domains: ['facebook.com'],
  hooks: ['div[role="feed"]'],
  adapter: {
    isFeedRoute(loc) {
      const p = cleanPath(loc);
      return p === '/' || p === '/home.php' || p === '/groups/feed' || p === '/friends/feed';
    },
    findContainer(doc) {
      // The news feed is role=feed; without it (A/B, m.facebook.com) fall back to role=main only
      // when that actually holds posts, so a settings page does not look like an empty feed.
      const feed = doc.querySelector('div[role="feed"]');
      if (feed) return feed;
      const main = doc.querySelector('[role="main"]');
      return main?.querySelector(ITEM) ? main : null;
    },
    // aria-posinset marks a post; role=article is the fallback when posinset is missing.
    itemSelector: ITEM,
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
    // A role=article nested in a post is a comment or a shared post's inner card.
    isCountable: (item) => isOutermost(item, ITEM),
  },
});

export const facebookAdapter = facebookSite.adapter;
