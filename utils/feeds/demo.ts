import { defineSite } from './types';
import { hostIs } from './dom';

/**
 * The bundled demo feed (tests/fixtures/feeds/demo.html, served by `npm run demo` on
 * localhost). Matched by host *and* by its own markup, so that other local pages a developer
 * opens are not mistaken for it.
 */
const HOSTS = ['127.0.0.1', 'localhost'];

// Pure: a release build never reads demoSite (registry.ts leaves it out), so the bundler drops it.
export const demoSite = /* @__PURE__ */ defineSite({
  key: 'demo',
  name: 'Demo feed',
  hosts: HOSTS,
  // [::1] too: the popup names the demo by URL however it was opened.
  domains: [...HOSTS, '[::1]'],
  scheme: 'http',
  devOnly: true,
  hooks: ['#feed'],
  adapter: {
    matches: (loc, doc) =>
      hostIs(loc, HOSTS) && (doc.querySelector('meta[name="stillframe-demo"]') !== null || doc.querySelector('main#feed > article.post') !== null),
    // The feed is whatever page it is served as (/, /demo.html); /post/<n> shows one post.
    isFeedRoute: (loc) => !loc.pathname.startsWith('/post/'),
    findContainer: (doc) => doc.querySelector('#feed'),
    itemSelector: 'article.post',
    // One column in the page's own flow: a frame's place far below the fold can be found by count.
    stacked: true,
  },
});
