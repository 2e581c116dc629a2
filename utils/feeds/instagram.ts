import { defineSite } from './types';
import { cleanPath } from './dom';

/**
 * Instagram. Class names are generated and the nesting changes often, so only `main` and
 * `article` are used — which also appear on post pages and profiles; the route decides.
 */

export const instagramSite = defineSite({
  key: 'instagram',
  name: 'Instagram',
  hosts: ['www.instagram.com'],
  domains: ['instagram.com'],
  adapter: {
    // Only the home feed; /p/…, /reels/, /explore/ and profiles are not the endless feed.
    isFeedRoute: (loc) => cleanPath(loc) === '/',
    findContainer: (doc) => doc.querySelector('main'),
    itemSelector: 'article',
  },
});

export const instagramAdapter = instagramSite.adapter;
