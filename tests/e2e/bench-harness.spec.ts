import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXTENSION_DIR, ExtensionBrowser } from '../../scripts/lib/extension-browser.mjs';
import { startFixtureServer } from '../../scripts/serve-fixtures.mjs';
import { runBench, parseArgs } from '../../scripts/bench.mjs';
import { runSoak } from '../../scripts/bench/soak.mjs';
import { ratioTable, table } from '../../scripts/bench/report.mjs';
import { buildFloor, FLOOR_NAME, COUNTING_FLOOR_NAME } from '../../scripts/bench/floor/floor.mjs';
import { FRAME_HOST_TAG } from '../../utils/content/frame-ui-contract';

/**
 * Keeps `npm run bench` from rotting: the harness runs end to end on tiny feeds (one round) and
 * produces every field the tables and the budgets are made of. No timing is asserted here —
 * budgets live in the benchmark's output, not in pass/fail tests.
 */

const SCROLL_FIELDS = ['taskMs', 'scriptMs', 'layoutMs', 'styleMs', 'layouts', 'styleRecalcs', 'extMs', 'extThreadMs', 'longTasks', 'postsPassed'];

test('the benchmark harness measures the bench feed and the three site-shaped feeds, with and without the extension', async () => {
  test.setTimeout(240_000);
  const server = await startFixtureServer(0);
  try {
    const result = await runBench({
      scenarios: ['bench', 'x', 'reddit', 'youtube'],
      sizes: [60],
      rounds: 1,
      pxPerSec: 6000,
      distancePx: 3000,
      tailMs: 200,
      idleSeconds: 1,
      idleSize: 60,
      extensionDir: DEFAULT_EXTENSION_DIR,
      serverUrl: server.url,
    });
    const runs = result.runs as any[];
    expect(runs.map((r) => `${r.scenario}:${r.variant}`).sort()).toEqual(['bench', 'reddit', 'x', 'youtube'].flatMap((s) => [`${s}:with`, `${s}:without`]));
    for (const r of runs) {
      const label = `${r.scenario} ${r.variant}`;
      for (const k of SCROLL_FIELDS) expect(r.scroll[k], `${label}: scroll.${k}`).toEqual(expect.any(Number));
      expect(r.heap.endBytes, label).toBeGreaterThan(0);
      // The feed really moved under the reader and its posts were counted by the page's driver.
      expect(r.scroll.postsPassed, `${label}: posts passed`).toBeGreaterThan(0);
      expect(r.scroll.px, `${label}: px scrolled`).toBeGreaterThan(1000);
      expect(r.load.longTasksCausedByExtension, `${label}: load.longTasksCausedByExtension`).toEqual(expect.any(Number));
      expect(r.errors, label).toEqual([]);
    }
    for (const r of runs.filter((x) => x.variant === 'with')) {
      // The content script really ran on every feed: the trace saw calls into our scripts.
      expect(r.load.extThreadMs + r.scroll.extThreadMs, `${r.scenario}: our code`).toBeGreaterThan(0);
    }
    expect(runs.find((r) => r.scenario === 'bench' && r.variant === 'with').idle.extSamples).toEqual(expect.any(Number));
    const summary = result.summary as Record<string, any>;
    expect(Object.keys(summary)).toEqual(['bench-60', 'x', 'reddit', 'youtube']);
    for (const row of Object.values(summary)) {
      expect(row.ratio.task, row.label).toEqual(expect.any(Number));
      // (A tiny feed may need no style or layout at all without us: then there is no ratio.)
      for (const v of ['with', 'without']) expect(row[v].styleLayoutMs, `${row.label} ${v}`).toEqual(expect.any(Number));
      expect(row.ratio).toHaveProperty('styleLayout');
      expect(row.overheadPct.extScript, row.label).toEqual(expect.any(Number));
    }
    const budgets = result.budgets.map((b: any) => b.budget).join('\n');
    for (const b of [
      'task time scrolling, X-like timeline',
      'task time scrolling, Reddit-like feed',
      'task time scrolling, YouTube-like grid',
      "our code's share",
      'style + layout',
      'long tasks',
      'content script size',
    ]) {
      expect(budgets).toContain(b);
    }
    expect(ratioTable(summary)).toMatch(/YouTube-like grid \| [\d.]+ \(our code/);
    expect(JSON.parse(JSON.stringify(result)).summary).toBeTruthy(); // it serialises: the JSON file
  } finally {
    await server.close();
  }
});

/** The bench feed (60 posts, one round) without the extension, with it, and with the unpacked extension in `dir` as the peer. */
function benchWithPeer(dir: string, serverUrl: string, distancePx: number) {
  return runBench({
    scenarios: ['bench'],
    sizes: [60],
    rounds: 1,
    pxPerSec: 6000,
    distancePx,
    tailMs: 200,
    idleSeconds: 0,
    idleSize: 60,
    extensionDir: DEFAULT_EXTENSION_DIR,
    compareDir: dir,
    serverUrl,
  });
}

test('--compare runs any unpacked extension by path beside ours and prints its ratio in a peer column', async () => {
  test.setTimeout(180_000);
  expect(parseArgs(['--compare', '/some/extension']).compareDir).toBe('/some/extension');
  // A stand-in for "the extension you would otherwise run": a content script on every page that
  // does a little work on each change of the page (no service worker, as many extensions).
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Bench peer',
      version: '0.0.1',
      content_scripts: [{ matches: ['<all_urls>'], js: ['peer.js'], run_at: 'document_idle' }],
    }),
  );
  writeFileSync(
    join(dir, 'peer.js'),
    `(() => {
  let seen = 0;
  const look = () => {
    const posts = document.querySelectorAll('article');
    for (let i = seen; i < posts.length; i++) posts[i].dataset.peerSeen = String((posts[i].textContent || '').length);
    seen = posts.length;
  };
  new MutationObserver(look).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener('scroll', look, { passive: true });
  look();
})();`,
  );
  const server = await startFixtureServer(0);
  try {
    const result = await benchWithPeer(dir, server.url, 3000);
    expect((result.runs as any[]).map((r) => r.variant).sort()).toEqual(['peer', 'with', 'without']);
    const peer = (result.runs as any[]).find((r) => r.variant === 'peer');
    expect(peer.errors).toEqual([]);
    // The peer's own script ran and was attributed to it (its calls, in thread time).
    expect(peer.load.extThreadMs + peer.scroll.extThreadMs).toBeGreaterThan(0);
    expect(result.meta.peer).toMatchObject({ name: 'Bench peer', version: '0.0.1', dir });
    const row = (result.summary as Record<string, any>)['bench-60'];
    expect(row.peer.taskMs).toEqual(expect.any(Number));
    expect(row.peerCmp.ratio.task).toEqual(expect.any(Number));
    expect(row.peerCmp.overheadPct.extScript).toEqual(expect.any(Number));
    const short = ratioTable(result.summary, 'Bench peer 0.0.1');
    expect(short).toContain('| feed | Stillframe ÷ without | Bench peer 0.0.1 ÷ without |');
    expect(short).toMatch(/bench\.html, 60 posts \| [\d.]+ \(our code [\d.]+ %\) \| [\d.]+ \(its code [\d.]+ %\) \|/);
    expect(table(result.summary, 'Bench peer 0.0.1')).toContain('**Bench peer 0.0.1 ÷ without**');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--floor builds the frames-only extension as the peer, and it shows frames in the feed', async () => {
  test.setTimeout(180_000);
  expect(parseArgs(['--floor']).floor).toBe('frames');
  expect(parseArgs(['--floor', '--rounds', '2']).floor).toBe('frames');
  expect(() => parseArgs(['--floor', '--compare', '/x'])).toThrow(/give one/);
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const server = await startFixtureServer(0);
  try {
    await buildFloor(dir);
    const result = await benchWithPeer(dir, server.url, 12000);
    const floor = (result.runs as any[]).find((r) => r.variant === 'peer');
    expect(floor.errors).toEqual([]);
    expect(result.meta.peer).toMatchObject({ name: FLOOR_NAME });
    // Its frames went into the feed (the page's driver counts them like ours), in the page's own mutation turn.
    expect(floor.frames.count).toBeGreaterThan(0);
    expect(floor.scroll.framesInsertedAlone).toBe(0);
    expect(floor.load.extThreadMs + floor.scroll.extThreadMs).toBeGreaterThan(0);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--floor counting builds the floor that also counts the posts the reader has seen', async () => {
  test.setTimeout(120_000);
  expect(parseArgs(['--floor', 'counting']).floor).toBe('counting');
  await expect(buildFloor(mkdtempSync(join(tmpdir(), 'bench-floor-')), 'nothing' as any)).rejects.toThrow(/unknown kind nothing/);
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-counting-'));
  const server = await startFixtureServer(0);
  const browser = new ExtensionBrowser({ extensionDir: dir });
  try {
    await buildFloor(dir, 'counting');
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).name).toBe(COUNTING_FLOOR_NAME);
    await browser.launch();
    const page = await browser.context!.newPage();
    // 40 posts at load, the rest appended as the reader nears the end: the floor frames what the page adds.
    await page.goto(`${server.url}/bench.html?posts=300&initial=40`);
    // Scroll a step at a time so that every post comes into view: the count is of posts seen, not added.
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(30);
    }
    await expect.poll(() => page.evaluate(() => Number(document.documentElement.dataset.floorSeen ?? 0))).toBeGreaterThanOrEqual(20);
    // Posts seen, not posts added: the page's own count of posts whose top came into view (the
    // floor writes its count every tenth post, so it trails by up to nine and by the posts whose top is in view but not yet their body).
    const counts = () =>
      page.evaluate(() => ({
        seen: Number(document.documentElement.dataset.floorSeen),
        passed: (window as any).__bench.passed() as number,
        posts: document.querySelectorAll('article.post').length,
      }));
    await expect.poll(async () => ((c) => c.passed - c.seen)(await counts())).toBeLessThan(10);
    const { seen, passed, posts } = await counts();
    expect(passed).toBeLessThan(posts);
    expect(seen).toBeLessThanOrEqual(passed);
    expect(await page.locator(FRAME_HOST_TAG).count()).toBeGreaterThan(0);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the soak runs on a tiny feed and samples heap and frames', async () => {
  test.setTimeout(120_000);
  const server = await startFixtureServer(0);
  try {
    const r = await runSoak({ extensionDir: DEFAULT_EXTENSION_DIR, serverUrl: server.url, minutes: 0.1, posts: 300, pxPerSec: 4000, segments: 2 });
    expect(r.series.length).toBeGreaterThanOrEqual(2);
    for (const s of r.series) expect(s.heapBytes).toBeGreaterThan(0);
    expect(r.series[r.series.length - 1].passed).toBeGreaterThan(r.series[0].passed);
    expect(r.frames.count).toEqual(expect.any(Number));
    expect(r.errors).toEqual([]);
  } finally {
    await server.close();
  }
});
