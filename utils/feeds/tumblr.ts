import { defineSite } from './types';
import { cleanPath, isOutermost } from './dom';

/**
 * Tumblr. The dashboard timeline is the element with a `data-timeline` attribute (its value is
 * the API path, e.g. /v2/timeline/dashboard); each post is an `article` inside it. Other
 * timelines can exist on the page (sidebar "radar"), so the dashboard one is preferred.
 */

export const tumblrSite = defineSite({
  key: 'tumblr',
  name: 'Tumblr',
  hosts: ['www.tumblr.com'],
  domains: ['tumblr.com'],
  hooks: ['[data-timeline*="dashboard"]'],
  adapter: {
    // /dashboard and its tabs (/dashboard/following, /dashboard/stuff_for_you…).
    isFeedRoute: (loc) => /^\/dashboard(?:\/|$)/.test(cleanPath(loc)),
    findContainer(doc) {
      const timelines = Array.from(doc.querySelectorAll('[data-timeline]'));
      const dashboard = timelines.find((t) => t.getAttribute('data-timeline')?.includes('dashboard'));
      if (dashboard) return dashboard;
      // No dashboard-named timeline: the one holding the most posts.
      let best: Element | null = null;
      let most = 0;
      for (const t of timelines) {
        const n = t.querySelectorAll('article').length;
        if (n > most) [best, most] = [t, n];
      }
      return best;
    },
    itemSelector: 'article',
    isCountable: (item) => isOutermost(item, 'article'),
  },
});

export const tumblrAdapter = tumblrSite.adapter;
