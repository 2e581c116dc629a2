import { defineSite } from './types';
import { cleanPath, firstMatch, isOutermost } from './dom';

/**
 * Reddit, both faces. New Reddit is built from custom elements (`shreddit-feed`,
 * `shreddit-post`) whose names are part of its component API and rarely change. Old Reddit is
 * server-rendered `#siteTable` holding `.thing`s; endless scrolling there comes from RES
 * (Reddit Enhancement Suite), which appends each further page as a `div.NERPageMarker` and a
 * whole `div.sitetable` NESTED inside `#siteTable` — so a post is any `.thing` in the table at
 * any depth, never only its direct children (that saw the first page: one frame in 200 posts).
 */
const SORTS = '(?:hot|new|top|rising|controversial|best)';
const FEED_ROUTES = [
  /^\/$/,
  new RegExp(`^\\/${SORTS}$`),
  /^\/search$/,
  // /r/<sub>, /r/<sub>/top, /r/a+b — but not /r/<sub>/comments/…, /r/<sub>/wiki, /r/<sub>/about
  new RegExp(`^\\/r\\/[^/]+(?:\\/${SORTS})?$`),
  /^\/r\/[^/]+\/search$/,
];

export const redditSite = defineSite({
  key: 'reddit',
  name: 'Reddit',
  hosts: ['www.reddit.com', 'old.reddit.com'],
  domains: ['reddit.com'],
  hooks: ['shreddit-feed', '#siteTable', '.promoted'],
  adapter: {
    isFeedRoute: (loc) => FEED_ROUTES.some((re) => re.test(cleanPath(loc))),
    findContainer: (doc) => firstMatch(doc, ['shreddit-feed', '#siteTable']),
    // Ads on new Reddit are a different element (`shreddit-ad-post`) and never match.
    itemSelector: 'shreddit-post, #siteTable .thing',
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
    // Promoted links are ads; a .thing inside a .thing (an expanded crosspost) is part of its post.
    isCountable: (item) => !item.classList.contains('promoted') && !item.hasAttribute('promoted') && isOutermost(item, '.thing'),
    insertFrame(item, host) {
      // New Reddit wraps each post in an <article> (then an <hr>): go after the wrapper, so the
      // frame is not inside the post's own box. Old Reddit's .thing is self-contained: after it
      // (inside its page's nested .sitetable with RES, which is between posts all the same).
      const wrapper = item.parentElement?.tagName === 'ARTICLE' ? item.parentElement : item;
      wrapper.after(host);
    },
  },
});

export const redditAdapter = redditSite.adapter;
