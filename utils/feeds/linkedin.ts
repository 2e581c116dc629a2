import { defineSite } from './types';
import { cleanPath, firstMatch, isOutermost } from './dom';

/**
 * LinkedIn runs A/B layouts side by side, so every hook has a fallback: the classic
 * `scaffold-finite-scroll` layout with `data-urn="urn:li:activity:…"` posts, and the newer
 * `componentkey` layout with `role="listitem"` posts.
 */
const CONTAINERS = ['[data-finite-scroll-hotkey-context="FEED"]', 'div[componentkey^="container-update-list_mainFeed"]', '.scaffold-finite-scroll'];
/**
 * A post's OUTER wrapper in the classic layout: `div.occludable-update`, which carries the
 * activity as `data-id` (some variants keep only the `data-id`). LinkedIn "occludes" updates far
 * off-screen — empties the wrapper to its height and re-renders it, with a new inner post
 * element, when it comes back — so the post is the wrapper: a frame after the inner update would
 * be inside the wrapper and go with its contents, and the inner element we counted would vanish.
 */
const WRAPPER = 'div.occludable-update, [data-id^="urn:li:activity"], [data-id^="urn:li:aggregate"]';
/** The post itself, where no outer wrapper is rendered (other variants, the componentkey layout). */
const POST = '[data-urn^="urn:li:activity"], .feed-shared-update-v2, [role="listitem"][componentkey]';
const ITEM = `${WRAPPER}, ${POST}`;

export const linkedinSite = defineSite({
  key: 'linkedin',
  name: 'LinkedIn',
  hosts: ['www.linkedin.com'],
  domains: ['linkedin.com'],
  hooks: CONTAINERS,
  adapter: {
    // /feed/ is the feed; /feed/update/urn:li:activity:…/ is one post.
    isFeedRoute: (loc) => cleanPath(loc) === '/feed',
    findContainer: (doc) => firstMatch(doc, CONTAINERS),
    itemSelector: ITEM,
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
    // Selectors overlap (the wrapper holds the update, a post is often both data-urn and
    // .feed-shared-update-v2, reshares nest one update in another): count only the outermost,
    // which is the outer wrapper wherever there is one. The default placement — right after
    // the counted element — is then between wrappers, never inside one.
    isCountable: (item) => isOutermost(item, ITEM),
  },
});

export const linkedinAdapter = linkedinSite.adapter;
