/**
 * The one build-time switch between a release build and a development/test build.
 *
 * Release builds (`npm run zip`, `npm run release`) know nothing of the local demo feed: the
 * manifest asks for no 127.0.0.1/localhost access, the content script never runs there (a
 * router's admin page on 127.0.0.1 is not a feed), and the settings show no "Demo feed" row.
 * Development and test builds (`npm run demo`, `npm test`, `STILLFRAME_DEV_HOSTS=1 npm run
 * build`) add the demo site on those hosts, which the demo and the end-to-end suite need: the
 * sites marked `devOnly` in their definition (utils/feeds/demo.ts), which registry.ts keeps only
 * when this flag is on.
 *
 * wxt.config.ts replaces `__STILLFRAME_DEV_HOSTS__` in the bundle, so a release bundle carries
 * `false` and the minifier drops the demo code. Where nothing replaced it (wxt.config.ts itself,
 * WXT reading an entrypoint's options in Node, Vitest) the environment variable decides.
 */
declare const __STILLFRAME_DEV_HOSTS__: boolean | undefined;

export const DEV_HOSTS: boolean =
  typeof __STILLFRAME_DEV_HOSTS__ === 'boolean' ? __STILLFRAME_DEV_HOSTS__ : typeof process !== 'undefined' && process.env?.STILLFRAME_DEV_HOSTS === '1';
