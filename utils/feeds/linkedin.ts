import { defineSite } from './types';
import { cleanPath, firstMatch, isOutermost } from './dom';

/**
 * LinkedIn runs A/B layouts side by side, so every hook has a fallback: the classic
 * `scaffold-finite-scroll` layout with `data-urn="urn:li:activity:…"` posts, and the newer
 * `componentkey` layout with `role="listitem"` posts.
 */
const CONTAINERS = [
  '[data-finite-scroll-hotkey-context="FEED"]',
  'div[componentkey^="container-update-list_mainFeed"]',
  '.scaffold-finite-scroll',
];
const ITEM = '[data-urn^="urn:li:activity"], .feed-shared-update-v2, [role="listitem"][componentkey]';

export const linkedinSite = defineSite({
  key: 'linkedin',
  name: 'LinkedIn',
  hosts: ['www.linkedin.com'],
  domains: ['linkedin.com'],
  adapter: {
    // /feed/ is the feed; /feed/update/urn:li:activity:…/ is one post.
    isFeedRoute: (loc) => cleanPath(loc) === '/feed',
    findContainer: (doc) => firstMatch(doc, CONTAINERS),
    itemSelector: ITEM,
    // Selectors overlap (a post is often both data-urn and .feed-shared-update-v2, and reshares
    // nest one update in another): count only the outermost.
    isCountable: (item) => isOutermost(item, ITEM),
  },
});

export const linkedinAdapter = linkedinSite.adapter;
