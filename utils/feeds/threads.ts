import { defineSite } from './types';
import { cleanPath, isOutermost } from './dom';

/**
 * Threads. Generated classes only, so the hooks are `role="main"` and the
 * `data-pressable-container` attribute every post card carries. A quoted post is a pressable
 * container inside another one: only the outermost counts.
 */
const ITEM = 'div[data-pressable-container]';

export const threadsSite = defineSite({
  key: 'threads',
  name: 'Threads',
  hosts: ['www.threads.net', 'www.threads.com', 'threads.net', 'threads.com'],
  domains: ['threads.net', 'threads.com'],
  adapter: {
    isFeedRoute(loc) {
      // Home tabs and search results; /@user/post/<code> is one thread.
      const p = cleanPath(loc);
      return p === '/' || p === '/for_you' || p === '/following' || p === '/search';
    },
    findContainer: (doc) => doc.querySelector('[role="main"]'),
    itemSelector: ITEM,
    isCountable: (item) => isOutermost(item, ITEM),
  },
});

export const threadsAdapter = threadsSite.adapter;
