import type { FeedAdapter } from './types';
import { cleanPath, hostIs } from './dom';

/**
 * Instagram. Class names are generated and the nesting changes often, so only `main` and
 * `article` are used — which also appear on post pages and profiles; the route decides.
 */
const HOSTS = ['www.instagram.com', 'instagram.com'];

export const instagramAdapter: FeedAdapter = {
  key: 'instagram',
  name: 'Instagram',
  matches: (loc) => hostIs(loc, HOSTS),
  // Only the home feed; /p/…, /reels/, /explore/ and profiles are not the endless feed.
  isFeedRoute: (loc) => cleanPath(loc) === '/',
  findContainer: (doc) => doc.querySelector('main'),
  itemSelector: 'article',
};
