// The benchmark's engine: one measured run of the bench feed in Chromium, with or without
// the extension, read through the Chrome DevTools Protocol. scripts/bench.mjs drives it
// (rounds, sizes, the table); tests/e2e/bench-harness.spec.ts runs it on a tiny feed.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExtensionBrowser } from '../lib/extension-browser.mjs';
import { attribute, longTasksWithExtension, round, traceAttribution } from './profile.mjs';
import { scenario as scenarioOf, routeFixture, siteDriver, SITE_PACE } from './scenarios.mjs';

export const DEFAULTS = {
  sizes: [1000, 5000, 20000],
  rounds: 3,
  /** A fast reader's flick, held steady: ~28 posts a second on the bench feed. */
  pxPerSec: 6000,
  /** ~140 posts of the bench feed: about five frames at the default cadence (every 25 posts). */
  distancePx: 30000,
  /** Quiet time after the scroll that still counts (frames settle, claims come back). */
  tailMs: 500,
  idleSeconds: 10,
  idleSize: 5000,
  /** Profiler sampling interval. Both variants are profiled alike, so its cost cancels out. */
  sampleIntervalUs: 250,
  viewport: { width: 1000, height: 800 },
  /**
   * Where the reader is: 'deep' (default) — N posts above and around, the feed appending more as
   * it is read, which is how an infinite feed is met after a long session; 'top' — N posts
   * rendered below the reader, a worst case no real feed has (every DOM insertion then re-lays
   * out all N posts below it).
   */
  start: 'deep',
};

const METRICS = [
  'TaskDuration',
  'ScriptDuration',
  'LayoutDuration',
  'RecalcStyleDuration',
  'JSHeapUsedSize',
  'Nodes',
  'JSEventListeners',
  'LayoutCount',
  'RecalcStyleCount',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const out = {};
  for (const m of list) if (METRICS.includes(m.name)) out[m.name] = m.value;
  return out;
}

/** Main-thread time between two metric snapshots, in ms (durations are reported in seconds). */
function durations(a, b) {
  return {
    taskMs: (b.TaskDuration - a.TaskDuration) * 1000,
    scriptMs: (b.ScriptDuration - a.ScriptDuration) * 1000,
    layoutMs: (b.LayoutDuration - a.LayoutDuration) * 1000,
    styleMs: (b.RecalcStyleDuration - a.RecalcStyleDuration) * 1000,
    layouts: b.LayoutCount - a.LayoutCount,
    styleRecalcs: b.RecalcStyleCount - a.RecalcStyleCount,
  };
}

/** Waits until the page's main thread has been quiet for a moment (or `maxMs` passed). */
async function settle(cdp, { minMs = 600, quietMs = 400, maxMs = 10000 } = {}) {
  const t0 = Date.now();
  let last = (await metrics(cdp)).TaskDuration;
  let quietSince = Date.now();
  while (Date.now() - t0 < maxMs) {
    await sleep(100);
    const now = (await metrics(cdp)).TaskDuration;
    // The metric polls themselves cost a little main-thread time; 5 ms per 100 ms is "quiet".
    if ((now - last) * 1000 > 5) quietSince = Date.now();
    last = now;
    if (Date.now() - t0 >= minMs && Date.now() - quietSince >= quietMs) return Date.now() - t0;
  }
  return Date.now() - t0;
}

async function gcAndHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const m = await metrics(cdp);
  const dom = await cdp.send('Memory.getDOMCounters').catch(() => null);
  return { heapBytes: m.JSHeapUsedSize, nodes: dom?.nodes ?? m.Nodes, listeners: dom?.jsEventListeners ?? m.JSEventListeners };
}

/**
 * A `devtools.timeline` trace (both variants alike) to attribute thread time to the extension's
 * scripts: see traceAttribution. start() returns stop(), which resolves with the events.
 */
async function startTrace(cdp) {
  const events = [];
  const onData = (d) => events.push(...d.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', onData);
    return events;
  };
}

/** Starts the CPU profiler and returns how to map the page's clock onto the profile's. */
async function startProfile(cdp, page, intervalUs) {
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
  const pageNow = await page.evaluate(() => performance.now());
  return pageNow;
}

async function stopProfile(cdp, pageNowAtStart) {
  const { profile } = await cdp.send('Profiler.stop');
  const a = attribute(profile);
  // performance.now() at start ≈ the profile's start: the offset maps long tasks onto samples.
  a.offsetMs = profile.startTime / 1000 - pageNowAtStart;
  return a;
}

function spacing(frames) {
  const after = frames
    .map((f) => f.after)
    .filter((n) => n !== null)
    .sort((a, b) => a - b);
  const gaps = after.slice(1).map((n, i) => n - after[i]);
  return { after, gaps };
}

/**
 * One measured run: open a feed (`scenario`: the bench feed with `posts` posts, or a site-shaped
 * fixture), let it (and the extension) settle, scroll `distancePx` at `pxPerSec`, keep `tailMs`,
 * and read everything. `extensionDir` null is the baseline; `variant` names the run in the table
 * ('without', 'with', 'peer').
 * @param {{ extensionDir: string|null, variant?: string, scenario?: string, serverUrl: string, posts?: number, start?: 'deep'|'top', pxPerSec?: number, distancePx?: number, tailMs?: number, sampleIntervalUs?: number, viewport?: {width:number,height:number}, idleSeconds?: number }} o
 */
export async function measureRun(o) {
  const sc = scenarioOf(o.scenario ?? 'bench');
  const site = sc.key !== 'bench';
  const p = { ...DEFAULTS, ...(site ? SITE_PACE : {}), ...dropUndefined(o) };
  const browser = new ExtensionBrowser({ extensionDir: p.extensionDir, viewport: p.viewport });
  await browser.launch();
  try {
    const ctx = browser.context;
    let url;
    if (site) {
      await routeFixture(ctx, sc);
      await ctx.addInitScript(siteDriver, { postSelector: sc.postSelector });
      url = sc.url;
    } else {
      // Deep: N posts at load, the reader at post N-4, room for the scroll to append more.
      const extra = Math.ceil(p.distancePx / 120) + 40;
      const q = p.start === 'top' ? `posts=${p.posts}` : `posts=${p.posts + extra}&initial=${p.posts}&start=${Math.max(1, p.posts - 4)}`;
      url = `${p.serverUrl}/bench.html?${q}`;
    }
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await ctx.newCDPSession(page);
    // Thread time, not wall time: on a shared machine, time the thread spent descheduled is not ours.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await cdp.send('Profiler.enable');
    await cdp.send('HeapProfiler.enable');

    // Load: from navigation until the page and the content script are quiet (attach cost).
    const m0 = await metrics(cdp);
    const stopLoadTrace = await startTrace(cdp);
    await cdp.send('Profiler.setSamplingInterval', { interval: p.sampleIntervalUs });
    await cdp.send('Profiler.start');
    await page.goto(url, { waitUntil: 'load' });
    const settleMs = await settle(cdp, { minMs: p.extensionDir ? 1200 : 600 });
    const pageNowAtLoadStop = await page.evaluate(() => performance.now());
    const loadProf = (await cdp.send('Profiler.stop')).profile;
    const loadProfile = attribute(loadProf);
    const loadTrace = traceAttribution(await stopLoadTrace());
    const m1 = await metrics(cdp);
    const st00 = await page.evaluate(() => window.__bench.state());
    // The page's clock started at navigation; the profile's end ≈ the moment we read performance.now().
    const loadLongTasks = longTasksWithExtension(st00.longTasks, loadProfile.timeline, loadProf.endTime / 1000 - pageNowAtLoadStop);
    const load = {
      ...durations(m0, m1),
      url: site ? sc.url : url.slice(url.indexOf('bench.html')),
      extMs: loadProfile.extMs,
      extThreadMs: loadTrace.threadMs,
      longestExtCallMs: loadTrace.longestCallMs,
      longestExtBurstMs: loadProfile.longestExtBurstMs,
      settleMs,
      longTasks: loadLongTasks.length,
      longTasksCausedByExtension: loadLongTasks.filter((t) => t.causedByExtension).length,
      longTaskList: loadLongTasks,
      top: loadProfile.top,
    };

    // Scroll at a fixed pace.
    const before = await gcAndHeap(cdp);
    const passed0 = await page.evaluate(() => window.__bench.passed());
    const st0 = await page.evaluate(() => window.__bench.state());
    const lt0 = st0.longTasks.length;
    const ins0 = st0.inserted.length;
    const alone0 = (st0.insertedAlone ?? st0.inserted).length;
    const stopTrace = await startTrace(cdp);
    const m2 = await metrics(cdp);
    const pageNow0 = await startProfile(cdp, page, p.sampleIntervalUs);
    const hand = readerHand(page);
    const scroll = await page.evaluate((a) => window.__bench.scroll(a), { pxPerSec: p.pxPerSec, distancePx: p.distancePx });
    hand.stop();
    await sleep(p.tailMs);
    const prof = await stopProfile(cdp, pageNow0);
    const m3 = await metrics(cdp);
    const events = await stopTrace();
    // Developer aid: STILLFRAME_BENCH_TRACE_DIR=dir keeps each run's scroll trace (open it in DevTools' Performance panel).
    if (process.env.STILLFRAME_BENCH_TRACE_DIR)
      writeFileSync(
        join(process.env.STILLFRAME_BENCH_TRACE_DIR, `${p.scenario ?? 'bench'}-${p.variant ?? 'run'}-${Date.now()}.json`),
        JSON.stringify({ traceEvents: events }),
      );
    const trace = traceAttribution(events);
    const state = await page.evaluate(() => window.__bench.state());
    const after = await gcAndHeap(cdp);
    const inserted = state.inserted.slice(ins0);
    // Frames that went in by themselves, not with a change of the page's own that was waiting for
    // its layout (older drivers: all of them).
    const alone = (state.insertedAlone ?? state.inserted).slice(alone0);
    // A long task right after we inserted a frame by itself is ours even with little of our JS in
    // it: it is the browser laying out and painting the feed around the new frame. One at a frame
    // that went in with the page's append is the page's own layout of it (there without us too).
    const longTasks = longTasksWithExtension(state.longTasks.slice(lt0), prof.timeline, prof.offsetMs).map((t) => {
      const atInsertion = alone.some((i) => i >= t.start - 50 && i <= t.start + t.duration);
      return { ...t, atInsertion, causedByExtension: t.causedByExtension || atInsertion };
    });
    const postsPassed = state.passed - passed0;
    const d = durations(m2, m3);
    const sp = spacing(state.frames);

    const run = {
      scenario: sc.key,
      posts: site ? null : p.posts,
      variant: p.variant ?? (p.extensionDir ? 'with' : 'without'),
      load: roundAll(load),
      scroll: {
        ...roundAll(d),
        // Our code: thread time of our calls (trace), and the profiler's wall-clock view of it.
        extThreadMs: round(trace.threadMs, 2),
        extCalls: trace.calls,
        longestExtCallMs: round(trace.longestCallMs, 2),
        extUsPerPost: postsPassed > 0 ? round((trace.threadMs * 1000) / postsPassed, 1) : null,
        extMs: round(prof.extMs, 2),
        longestExtBurstMs: round(prof.longestExtBurstMs, 2),
        topThread: trace.top,
        gcMs: round(prof.gcMs, 1),
        longTasks: longTasks.length,
        longTasksCausedByExtension: longTasks.filter((t) => t.causedByExtension).length,
        longTasksAtInsertion: longTasks.filter((t) => t.atInsertion).length,
        longestTaskAtInsertionMs: longTasks.filter((t) => t.atInsertion).reduce((m, t) => Math.max(m, t.duration), 0),
        longTaskList: longTasks,
        framesInsertedDuringScroll: inserted.length,
        framesInsertedAlone: alone.length,
        maxExtMsInLongTask: longTasks.reduce((m, t) => Math.max(m, t.extMs), 0),
        postsPassed,
        px: scroll.px,
        ms: scroll.ms,
        rafFrames: scroll.frames,
        pxPerSec: p.pxPerSec,
        distancePx: p.distancePx,
        top: prof.top,
      },
      heap: {
        beforeBytes: before.heapBytes,
        endBytes: after.heapBytes,
        growthBytes: after.heapBytes - before.heapBytes,
        nodesEnd: after.nodes,
        listenersEnd: after.listeners,
      },
      frames: { count: state.frames.length, after: sp.after, gaps: sp.gaps },
      errors,
    };

    if (p.idleSeconds > 0) run.idle = await measureIdle(cdp, page, p.idleSeconds, p.sampleIntervalUs, state);
    await cdp.detach().catch(() => {});
    return run;
  } finally {
    await browser.close();
  }
}

function dropUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** CPU while the page sits still: no input, no scrolling, for `seconds`. */
async function measureIdle(cdp, page, seconds, intervalUs, state) {
  await settle(cdp, { minMs: 500, quietMs: 500, maxMs: 5000 });
  const a = await metrics(cdp);
  const pageNow = await startProfile(cdp, page, intervalUs);
  await sleep(seconds * 1000);
  const prof = await stopProfile(cdp, pageNow);
  const b = await metrics(cdp);
  return {
    seconds,
    ...roundAll(durations(a, b)),
    extMs: round(prof.extMs, 2),
    extSamples: prof.timeline.filter((s) => s.k === 'ext').length,
    frameInView: state.frames.some((f) => f.inView),
    top: prof.top,
  };
}

function roundAll(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? round(v, 2) : v;
  return out;
}

/** The built content script(s): raw and gzipped bytes. */
export function contentScriptSize(extensionDir) {
  const dir = join(extensionDir, 'content-scripts');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')) : [];
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8'));
  const listed = new Set((manifest.content_scripts ?? []).flatMap((c) => c.js ?? []));
  const war = new Set((manifest.web_accessible_resources ?? []).flatMap((w) => w.resources ?? []));
  const out = [];
  const measure = (rel, role) => {
    const buf = readFileSync(join(extensionDir, rel));
    out.push({ file: rel, role, rawBytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length });
  };
  for (const f of files) measure(`content-scripts/${f}`, listed.has(`content-scripts/${f}`) ? 'content script (every page)' : 'content script');
  // The frame UI, injected by the background when a tab is about to show its first frame
  // (utils/content/frame-ui-loader.ts), and any web-accessible script loaded the same way; the
  // adapter kit (generic detector, coverage probe), injected when a site has no adapter or at an idle moment once a feed is found (utils/content/adapter-kit-loader.ts).
  const lazy = new Set([...war].filter((r) => r.endsWith('.js') && !r.startsWith('content-scripts/')));
  if (existsSync(join(extensionDir, 'frame-ui.js'))) lazy.add('frame-ui.js');
  for (const r of lazy) if (existsSync(join(extensionDir, r))) measure(r, 'lazy (first frame only)');
  if (existsSync(join(extensionDir, 'adapter-kit.js')))
    measure('adapter-kit.js', 'lazy (no site adapter: at once; else when a look finds no feed, or idle once one is found)');
  return out;
}

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * The reader's hand on the keyboard while the page scrolls itself at a fixed pace: Stillframe
 * counts posts only within seconds of trusted input (utils/content/input-gate.ts), and a
 * scripted scroll alone is exactly what a hostile page does. A Shift press every second is real
 * input that scrolls nothing; both variants get it, so it costs the same on both sides.
 */
export function readerHand(page, everyMs = 1000) {
  let live = true;
  const press = () => (live ? page.keyboard.press('Shift').catch(() => {}) : undefined);
  void press();
  const timer = setInterval(press, everyMs);
  return {
    stop() {
      live = false;
      clearInterval(timer);
    },
  };
}
