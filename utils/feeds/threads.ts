import type { FeedAdapter } from './types';
import { cleanPath, hostIs, isOutermost } from './dom';

/**
 * Threads. Generated classes only, so the hooks are `role="main"` and the
 * `data-pressable-container` attribute every post card carries. A quoted post is a pressable
 * container inside another one: only the outermost counts.
 */
const HOSTS = ['www.threads.net', 'threads.net', 'www.threads.com', 'threads.com'];
const ITEM = 'div[data-pressable-container]';

export const threadsAdapter: FeedAdapter = {
  key: 'threads',
  name: 'Threads',
  matches: (loc) => hostIs(loc, HOSTS),
  isFeedRoute(loc) {
    // Home tabs and search results; /@user/post/<code> is one thread.
    const p = cleanPath(loc);
    return p === '/' || p === '/for_you' || p === '/following' || p === '/search';
  },
  findContainer: (doc) => doc.querySelector('[role="main"]'),
  itemSelector: ITEM,
  isCountable: (item) => isOutermost(item, ITEM),
};
