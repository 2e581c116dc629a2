// `npm run bench -- --soak`: a long feed scrolled for a long time with the extension loaded.
// Memory must stay flat and frames must keep their cadence. Heap (after a full GC), DOM
// nodes, event listeners, our CPU time and the frames are sampled after every segment.
// The feed is an infinite one: 200 posts at load, 20 more whenever the end comes near, up to
// `posts` (50,000) — the page's DOM grows as it is read, as on a real site; `--soak-baseline`
// runs the same scroll without the extension to tell the page's growth from ours.
import { ExtensionBrowser } from '../lib/extension-browser.mjs';
import { attribute, round } from './profile.mjs';
import { kb } from './report.mjs';
import { median, readerHand } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ extensionDir: string|null, serverUrl: string, minutes: number, posts?: number, pxPerSec?: number, segments?: number, log?: (m: string) => void }} o
 */
export async function runSoak(o) {
  const posts = o.posts ?? 50000;
  const pxPerSec = o.pxPerSec ?? 3000;
  const totalMs = Math.max(10, o.minutes * 60) * 1000;
  const segments = o.segments ?? Math.max(4, Math.min(40, Math.round(totalMs / 15000)));
  const segMs = totalMs / segments;
  const log = o.log ?? (() => {});
  const browser = new ExtensionBrowser({ extensionDir: o.extensionDir });
  await browser.launch();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await cdp.send('Profiler.enable');
    await cdp.send('HeapProfiler.enable');
    log(`soak: loading a ${posts.toLocaleString('en')}-post feed…`);
    await page.goto(`${o.serverUrl}/bench.html?posts=${posts}&initial=${Math.min(200, posts)}`, { waitUntil: 'load', timeout: 120000 });
    await sleep(2000);
    const sample = async (t, extMs = null, taskMs = null) => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const dom = await cdp.send('Memory.getDOMCounters');
      const st = await page.evaluate(() => {
        const s = window.__bench.state();
        return { passed: s.passed, frames: s.frames.map((f) => f.after), scrollY: s.scrollY, longTasks: s.longTasks.length };
      });
      return {
        t: Math.round(t / 1000),
        heapBytes: m.JSHeapUsedSize,
        nodes: dom.nodes,
        listeners: dom.jsEventListeners,
        passed: st.passed,
        frames: st.frames.length,
        framesAfter: st.frames,
        longTasks: st.longTasks,
        extMs,
        taskMs,
      };
    };
    const series = [await sample(0)];
    log(`soak: ${segments} segments of ${Math.round(segMs / 1000)} s at ${pxPerSec} px/s`);
    const start = Date.now();
    for (let i = 0; i < segments; i++) {
      const a = (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration').value;
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
      const hand = readerHand(page);
      const res = await page.evaluate((p) => window.__bench.scroll(p), { pxPerSec, distancePx: (pxPerSec * segMs) / 1000 });
      hand.stop();
      const prof = attribute((await cdp.send('Profiler.stop')).profile);
      const b = (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration').value;
      const s = await sample(Date.now() - start, round(prof.extMs, 1), round((b - a) * 1000, 0));
      s.longestExtBurstMs = round(prof.longestExtBurstMs, 1);
      delete s.framesAfter;
      series.push(s);
      const prev = series[series.length - 2];
      log(
        `soak ${s.t}s: heap ${kb(s.heapBytes)}, nodes ${s.nodes}, listeners ${s.listeners}, posts passed ${s.passed} (+${s.passed - prev.passed}), frames ${s.frames} (+${s.frames - prev.frames}), ours ${s.extMs} ms`,
      );
      if (res.px < (pxPerSec * segMs) / 1000 - 10) {
        log('soak: reached the end of the feed');
        break;
      }
    }
    const last = await page.evaluate(() => window.__bench.state().frames.map((f) => f.after));
    const after = last.filter((n) => n !== null).sort((x, y) => x - y);
    const gaps = after.slice(1).map((n, i) => n - after[i]);
    const half = Math.floor(gaps.length / 2);
    // Memory: the slope of the heap over the second half (after warm-up), per minute and per frame.
    const tail = series.slice(Math.floor(series.length / 2));
    const slope = linearSlope(tail.map((s) => [s.t / 60, s.heapBytes]));
    const first = series[1] ?? series[0];
    const end = series[series.length - 1];
    const framesAdded = end.frames - first.frames;
    return {
      variant: o.extensionDir ? 'with' : 'without',
      params: { posts, minutes: o.minutes, pxPerSec, segments, segmentSeconds: Math.round(segMs / 1000) },
      series,
      heap: {
        startBytes: series[0].heapBytes,
        endBytes: end.heapBytes,
        slopeBytesPerMinute: Math.round(slope),
        bytesPerFrame: framesAdded > 0 ? Math.round((end.heapBytes - first.heapBytes) / framesAdded) : null,
        nodesPerFrame: framesAdded > 0 ? round((end.nodes - first.nodes) / framesAdded, 1) : null,
        listenersPerFrame: framesAdded > 0 ? round((end.listeners - first.listeners) / framesAdded, 2) : null,
      },
      frames: {
        count: after.length,
        gapMedian: median(gaps),
        gapMin: gaps.length ? Math.min(...gaps) : null,
        gapMax: gaps.length ? Math.max(...gaps) : null,
        gapMedianFirstHalf: median(gaps.slice(0, half)),
        gapMedianSecondHalf: median(gaps.slice(half)),
        gaps,
      },
      perPost: series
        .slice(1)
        .map((s, i) => (s.passed > series[i].passed && s.extMs !== null ? round((s.extMs * 1000) / (s.passed - series[i].passed), 1) : null)),
      errors,
    };
  } finally {
    await browser.close();
  }
}

function linearSlope(points) {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : 0;
}

export function soakTable(r) {
  const lines = [
    `Soak: ${r.params.posts.toLocaleString('en')}-post feed, ${r.params.minutes} min at ${r.params.pxPerSec} px/s, measured ${r.meta?.date?.slice(0, 10) ?? ''} (load average ${r.meta?.loadBefore?.[0] ?? '?'} before, ${r.meta?.loadAfter?.[0] ?? '?'} after).`,
    '',
    '| t (s) | heap | DOM nodes | listeners | posts passed | frames | our code ms | µs / post | longest burst ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  r.series.forEach((s, i) => {
    lines.push(
      `| ${s.t} | ${kb(s.heapBytes)} | ${s.nodes} | ${s.listeners} | ${s.passed} | ${s.frames} | ${s.extMs ?? '–'} | ${i ? (r.perPost[i - 1] ?? '–') : '–'} | ${s.longestExtBurstMs ?? '–'} |`,
    );
  });
  const f = r.frames;
  lines.push(
    '',
    `Heap: ${kb(r.heap.startBytes)} → ${kb(r.heap.endBytes)}; slope over the second half ${kb(r.heap.slopeBytesPerMinute)}/min; per frame inserted ${kb(r.heap.bytesPerFrame)}, ${r.heap.nodesPerFrame} DOM nodes, ${r.heap.listenersPerFrame} listeners.`,
    `Frames: ${f.count}; posts between frames median ${f.gapMedian} (min ${f.gapMin}, max ${f.gapMax}); first half ${f.gapMedianFirstHalf}, second half ${f.gapMedianSecondHalf}.`,
    r.errors.length ? `Page errors: ${r.errors.join(' | ')}` : 'Page errors: none.',
  );
  if (r.baseline) {
    const b = r.baseline;
    const last = b.series[b.series.length - 1];
    const mine = r.series[Math.min(r.series.length, b.series.length) - 1];
    lines.push(
      '',
      `Without the extension, same scroll: heap ${kb(b.heap.startBytes)} → ${kb(b.heap.endBytes)} (slope ${kb(b.heap.slopeBytesPerMinute)}/min), DOM nodes ${b.series[0].nodes} → ${last.nodes}, listeners ${b.series[0].listeners} → ${last.listeners}, posts passed ${last.passed}.`,
      `Ours at the same point: ${kb(mine.heapBytes - b.series[Math.min(r.series.length, b.series.length) - 1].heapBytes)} of heap, ${mine.nodes - b.series[Math.min(r.series.length, b.series.length) - 1].nodes} DOM nodes, ${mine.listeners - b.series[Math.min(r.series.length, b.series.length) - 1].listeners} listeners.`,
    );
    const o = ourGrowthPerFrame(r);
    if (o)
      lines.push(
        `Our heap growth per frame shown (with minus without, from the first sample to the last both have): ${kb(o.bytesPerFrame)} over ${o.frames} frames; our listeners per frame ${o.listenersPerFrame}.`,
      );
  }
  return lines.join('\n');
}

/**
 * Our own heap growth per frame shown: the heap growth with the extension minus the growth
 * without it over the same scroll (the page's own posts), divided by the frames inserted.
 */
export function ourGrowthPerFrame(r) {
  const b = r.baseline;
  if (!b) return null;
  const n = Math.min(r.series.length, b.series.length) - 1;
  if (n < 2) return null;
  const w0 = r.series[1];
  const w1 = r.series[n];
  const b0 = b.series[1];
  const b1 = b.series[n];
  const frames = w1.frames - w0.frames;
  if (frames <= 0) return null;
  return {
    frames,
    bytesPerFrame: Math.round((w1.heapBytes - w0.heapBytes - (b1.heapBytes - b0.heapBytes)) / frames),
    listenersPerFrame: Math.round(((w1.listeners - w0.listeners - (b1.listeners - b0.listeners)) / frames) * 100) / 100,
  };
}
