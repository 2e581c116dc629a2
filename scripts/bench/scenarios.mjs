// The feeds `npm run bench` scrolls. `bench` is the synthetic feed (tests/fixtures/feeds/bench.html,
// N posts, a reader deep in it); the others are the project's own site-shaped fixtures
// (tests/fixtures/feeds/*.html) served at their real origins, so the manifest's matches and the
// real site adapters apply, exactly as in the e2e tests:
//   x        a virtualised timeline: absolutely positioned cells, a ResizeObserver, cells unmounted
//            when far off screen (the frame goes inside a cell, as on X)
//   reddit   a custom-element feed, not virtualised: <article><shreddit-post></article><hr> …,
//            10 posts appended near the end
//   youtube  a flex-wrap grid of custom elements (four to a row), a frame takes a whole row
// Each starts as the fixture does (20 posts, more appended as the reader nears the end) and is
// scrolled for a fixed time at a fixed pace. The page is instrumented by `siteDriver` (an init
// script in the page's main world, in both variants alike): long tasks, frame insertions, the
// scroll, and which post has been reached.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures', 'feeds');

/**
 * @typedef {{ key: string, label: string, fixture?: string, url?: string, postSelector?: string,
 *   pxPerSec?: number, distancePx?: number }} Scenario
 */

/** @type {Record<string, Scenario>} */
export const SCENARIOS = {
  bench: { key: 'bench', label: 'bench.html' },
  x: {
    key: 'x',
    label: 'X-like timeline (virtualised)',
    fixture: 'x.html',
    url: 'https://x.com/home',
    postSelector: 'article[data-testid="tweet"]',
  },
  reddit: {
    key: 'reddit',
    label: 'Reddit-like feed (custom elements)',
    fixture: 'reddit.html',
    url: 'https://www.reddit.com/',
    postSelector: 'shreddit-post',
  },
  youtube: {
    key: 'youtube',
    label: 'YouTube-like grid',
    fixture: 'youtube.html',
    url: 'https://www.youtube.com/',
    postSelector: 'ytd-rich-item-renderer',
  },
};

export const SITE_SCENARIOS = ['x', 'reddit', 'youtube'];

/** Site-shaped feeds grow as they are read (10 posts ~150 ms after the end comes near): a pace they keep up with. */
export const SITE_PACE = { pxPerSec: 4000, distancePx: 24000 };

export function scenario(key) {
  const s = SCENARIOS[key];
  if (!s) throw new Error(`unknown scenario ${key} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return s;
}

/** The row a run belongs to: 'bench-5000', 'x', … */
export function rowKey(scenarioKey, posts) {
  return scenarioKey === 'bench' ? `bench-${posts}` : scenarioKey;
}

export function rowLabel(key) {
  if (key.startsWith('bench-')) return `bench.html, ${Number(key.slice(6)).toLocaleString('en')} posts`;
  return SCENARIOS[key]?.label ?? key;
}

/** Serves a site fixture at its real origin in this browser context (documents only; anything else 404s). */
export async function routeFixture(context, s) {
  const html = readFileSync(join(FIXTURES, s.fixture), 'utf8');
  const origin = new URL(s.url).origin;
  await context.route(`${origin}/**`, (route) => {
    if (route.request().resourceType() === 'document') return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
    return route.fulfill({ status: 404, body: '' });
  });
}

/**
 * Installed in the page's main world before its own scripts (both variants alike). Gives the
 * harness the same window.__bench that bench.html has: scroll, passed, state.
 * @param {{ postSelector: string }} cfg
 */
export function siteDriver(cfg) {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long task API */
  }
  /** Frame hosts as they were added (they may leave again: X unmounts far cells, a frame with them). */
  // `shared`: the page had changed the DOM since its last rendering (this observer is created before
  // the extension's, so it sees the page's change before the extension's insertion): one layout pass for both.
  const inserted = [];
  let pageChanged = false;
  const pageChange = (el) => {
    if (pageChanged || el.nodeType !== 1 || String(el.localName).startsWith('stillframe')) return;
    pageChanged = true;
    requestAnimationFrame(() => (pageChanged = false));
  };
  new MutationObserver((records) => {
    for (const r of records) {
      // A virtualised list moves its cells by their style every frame: a layout of its own too.
      if (r.type === 'attributes') pageChange(r.target);
      for (const n of r.addedNodes) {
        if (n.localName === 'stillframe-pause') inserted.push({ t: Math.round(performance.now()), host: n, after: after(n), shared: pageChanged });
        else pageChange(n);
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['style'] }); // no documentElement yet at this point

  const postNo = (el) => {
    const m = el && /Post (\d+)/.exec(el.textContent || '');
    return m ? Number(m[1]) : null;
  };
  let maxPassed = 0;
  const passed = () => {
    for (const el of document.querySelectorAll(cfg.postSelector)) {
      const n = postNo(el);
      if (n !== null && n > maxPassed && el.getBoundingClientRect().top < innerHeight) maxPassed = n;
    }
    return maxPassed;
  };
  /** The post a frame follows: its previous sibling (a post, a post's wrapper), or the cell it sits in. */
  const after = (host) => {
    let prev = host.previousElementSibling;
    while (prev && prev.localName === 'stillframe-pause') prev = prev.previousElementSibling;
    return postNo(prev) ?? postNo(host.parentElement);
  };
  window.__bench = {
    scroll({ pxPerSec = 4000, distancePx = 20000 } = {}) {
      // Fixed pace for a fixed time: a feed that has not appended yet holds the reader at its end,
      // as on the site; the run still lasts distance / pace in both variants.
      return new Promise((resolve) => {
        const y0 = scrollY;
        let t0 = null;
        let frames = 0;
        const step = (now) => {
          if (t0 === null) t0 = now;
          frames++;
          const want = Math.min(distancePx, ((now - t0) / 1000) * pxPerSec);
          scrollTo(0, y0 + want);
          if (want >= distancePx) resolve({ frames, ms: Math.round(now - t0), px: Math.round(scrollY - y0) });
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    passed,
    state() {
      const hosts = Array.from(document.querySelectorAll('stillframe-pause'));
      return {
        posts: document.querySelectorAll(cfg.postSelector).length,
        passed: passed(),
        scrollY: Math.round(scrollY),
        scrollHeight: document.documentElement.scrollHeight,
        longTasks: longTasks.slice(),
        inserted: inserted.map((i) => i.t),
        insertedAlone: inserted.filter((i) => !i.shared).map((i) => i.t),
        // Every frame inserted so far, still in the page or not.
        frames: inserted.map(({ host, after: a }) => {
          const r = host.isConnected ? host.getBoundingClientRect() : null;
          return { after: a, inView: r ? r.bottom > 0 && r.top < innerHeight : false, connected: host.isConnected };
        }),
        framesInPage: hosts.length,
      };
    },
  };
}
