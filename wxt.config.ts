import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CONTENT_MATCHES } from './utils/feeds/registry';
import { DEV_HOSTS } from './utils/feeds/dev-hosts';

/**
 * The manifest is the store review's first read, so every line here is deliberate and
 * tests/unit/manifest.test.ts pins it: a new permission is a change to that test too.
 *
 * - MV3 for every browser, Firefox included (docs/STORE.md says why): one manifest shape,
 *   `optional_host_permissions` for custom sites, `action` everywhere. WXT turns the background
 *   into a service worker for Chrome/Edge and into an event page (`background.scripts`) for
 *   Firefox; IndexedDB and `browser.alarms` work in both.
 * - Permissions: `activeTab` (when the person clicks the toolbar icon on a page Stillframe does
 *   not run on, the popup may read that one tab's address to offer "Add this site"; no install
 *   warning, nothing read otherwise), `alarms` (the scheduler's wake-ups: snooze end, quiet hours,
 *   a new day, a break's end) and
 *   `scripting` (custom sites and Mastodon servers the user switches on get the content script
 *   through registerContentScripts; after an update, open feed tabs get the new script at once).
 *   No `storage`: settings, state, frames and study data all live in the extension's IndexedDB,
 *   which needs no permission, and nothing calls `browser.storage` — the Chrome Web Store rejects
 *   permissions a package does not use. Add it back (and to the test) the day something does.
 *   Host access: the supported feeds only, exactly the content script's matches; any other site
 *   through `optional_host_permissions`, asked at run time from the options page or the popup.
 * - Release vs development: `STILLFRAME_DEV_HOSTS=1` at build time (set by `npm run demo`, the
 *   e2e suite and the benchmark) adds the local demo feed on 127.0.0.1/localhost to the matches
 *   and the settings; `npm run zip` / `npm run release` build without it. One flag, read in
 *   utils/feeds/dev-hosts.ts and baked into the bundle here.
 * - Browser floors: Chrome/Edge 102 — the first with MV3 `optional_host_permissions`, which the
 *   custom sites need (everything else we call is older: scripting's registered content scripts
 *   96, structuredClone 98; messages are answered through sendResponse, which every version
 *   supports); Firefox 140 (see below). The JavaScript is built for the same floors, so syntax
 *   newer than they run never slips into the bundle.
 * - Icons: generated from public/icon.svg by modules/icons.ts at every size.
 */
export const GECKO_ID = 'stillframe@stillframe.app';
export const OPTIONAL_HOSTS = ['https://*/*', 'http://*/*'];
/** The oldest browsers we declare and build for (README "Supported browsers"). */
export const MIN_CHROME = '102';
export const MIN_FIREFOX = '140';
export const MIN_FIREFOX_ANDROID = '142';

export default defineConfig({
  manifestVersion: 3,
  // Tests build into a folder of their own so they never pull .output/ from under another run.
  outDir: process.env.STILLFRAME_OUT_DIR || '.output',
  // preset-vite's types name its own copy of Vite's Plugin type; the plugin itself is fine.
  vite: () =>
    ({
      plugins: [preact()],
      define: { __STILLFRAME_DEV_HOSTS__: JSON.stringify(DEV_HOSTS) },
      build: { target: [`chrome${MIN_CHROME}`, `firefox${MIN_FIREFOX}`], rollupOptions: { treeshake: { propertyReadSideEffects: false } } },
    }) as any,
  hooks: {
    // The content script's matches: the supported sites' (entrypoints/content.ts says why here).
    'entrypoints:resolved': (_wxt, entrypoints) => {
      for (const e of entrypoints) if (e.type === 'content-script' && e.name === 'content') e.options.matches = [...CONTENT_MATCHES];
    },
    // Store packages are release builds: a zip that asked for 127.0.0.1 would go to review as such.
    'zip:start': () => {
      if (DEV_HOSTS) throw new Error('STILLFRAME_DEV_HOSTS=1 is set: store zips are release builds. Unset it and zip again.');
    },
  },
  // WXT's own packaging: `wxt zip` (Chrome/Edge) and `wxt zip -b firefox` (+ the sources zip AMO asks for).
  zip: {
    name: 'stillframe',
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    // WXT already leaves out node_modules, dot-files/folders, *.test/*.spec files and .output.
    // The rest that a reviewer does not need to rebuild the add-on:
    excludeSources: ['artifacts/**', 'test-results/**', 'playwright-report/**', 'dist/**', 'tests/**', 'docs/screenshots/**', '**/*.log', 'stats.html'],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['activeTab', 'alarms', 'scripting'],
    host_permissions: [...CONTENT_MATCHES],
    optional_host_permissions: OPTIONAL_HOSTS,
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // 140: the first Firefox (and ESR) with the built-in data-collection consent that
              // reads data_collection_permissions; MV3 optional_host_permissions need 128.
              strict_min_version: `${MIN_FIREFOX}.0`,
              // Nothing is collected or sent. A future study upload would add `optional` entries.
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: `${MIN_FIREFOX_ANDROID}.0` },
          },
        }
      : { minimum_chrome_version: MIN_CHROME }),
  }),
});
