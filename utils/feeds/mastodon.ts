import { defineSite } from './types';
import { cleanPath } from './dom';

/**
 * Mastodon, on any of its thousands of hosts: recognised by the DOM its web app renders, not by
 * host name (host permission is asked for at run time).
 */
const FEED = 'div[role="feed"].item-list';
const ARTICLE = 'article[aria-posinset][data-id]';

/** Timelines of the web app, with and without the old /web prefix. */
const FEED_ROUTES = [
  /^(?:\/web)?\/home$/,
  /^(?:\/web)?\/public(?:\/local|\/remote)?$/,
  /^(?:\/web)?\/explore(?:\/posts)?$/,
  /^(?:\/web)?\/tags\/[^/]+$/,
  /^(?:\/web)?\/lists\/[^/]+$/,
  /^(?:\/web)?\/timelines\/.+$/,
  /^\/deck(?:\/.*)?$/,
];

export const mastodonSite = defineSite({
  key: 'mastodon',
  name: 'Mastodon',
  // Any server: the content script is registered per server once the user grants its host.
  hosts: [],
  domains: [],
  hooks: ['#mastodon', FEED],
  adapter: {
    matches(_loc, doc) {
      return (
        doc.getElementById('mastodon') !== null ||
        doc.querySelector('meta[name="application-name"][content="Mastodon" i]') !== null ||
        doc.querySelector(`${FEED} ${ARTICLE}`) !== null
      );
    },
    // A single post (/@user/<id>) is a thread view, not a timeline.
    isFeedRoute: (loc) => FEED_ROUTES.some((re) => re.test(cleanPath(loc))),
    findContainer: (doc) => doc.querySelector(FEED),
    itemSelector: ARTICLE,
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
    insertFrame(item, host) {
      // Off-screen articles are emptied to fixed-height placeholders and refilled later, so
      // anything put inside an article is lost. Between articles is safe.
      const article = item.closest(ARTICLE) ?? item;
      article.after(host);
    },
  },
});

export const mastodonAdapter = mastodonSite.adapter;
