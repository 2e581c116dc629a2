// Reading a CDP CPU profile (Profiler.stop) for the benchmark: how much of the page's main
// thread went to the extension's scripts, and in what bursts.

/** True for a call frame that belongs to an extension (its content script, or code it loaded). */
export const isExtensionUrl = (url) => typeof url === 'string' && url.startsWith('chrome-extension://');

/**
 * Attributes every sample to "extension" when any frame of its stack is an extension script
 * (inclusive time: the DOM and observer calls our code makes count as ours), and to "page"
 * otherwise. Idle and "(program)" samples are neither.
 *
 * @param {{ nodes: Array<{id:number, callFrame:{url:string, functionName:string}, children?:number[]}>, startTime:number, endTime:number, samples?:number[], timeDeltas?:number[] }} profile
 * @param {{ from?: number, to?: number }} [window] limits (µs, profile clock) to count within
 */
export function attribute(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<number, 'ext'|'page'|'idle'|'gc'|'program'>} */
  const kind = new Map();
  const classify = (id) => {
    if (kind.has(id)) return kind.get(id);
    const n = byId.get(id);
    const fn = n.callFrame.functionName;
    let k;
    if (fn === '(idle)') k = 'idle';
    else if (fn === '(program)') k = 'program';
    else if (fn === '(garbage collector)') k = 'gc';
    else if (isExtensionUrl(n.callFrame.url)) k = 'ext';
    else {
      const p = parent.get(id);
      const pk = p === undefined ? 'page' : classify(p);
      k = pk === 'ext' ? 'ext' : 'page';
    }
    kind.set(id, k);
    return k;
  };

  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  /** @type {Array<{t:number, dt:number, k:string}>} sample time (µs, profile clock), its duration, its kind */
  const timeline = [];
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    // A sample stands for the interval up to the next one.
    const dt = Math.max(0, (i + 1 < deltas.length ? deltas[i + 1] : 0) || 0);
    timeline.push({ t, dt, k: classify(samples[i]) });
  }
  const sum = (k) => timeline.reduce((a, s) => a + (s.k === k ? s.dt : 0), 0) / 1000;

  // The longest stretch of consecutive extension samples: an upper bound on how long our code
  // held the main thread in one go (a long task needs 50 ms).
  let longestBurst = 0;
  let burst = 0;
  for (const s of timeline) {
    if (s.k === 'ext') burst += s.dt;
    else burst = 0;
    if (burst > longestBurst) longestBurst = burst;
  }

  // Extension time by function (self time of the leaf frame inside the extension's stack).
  const topFns = new Map();
  for (let i = 0; i < samples.length; i++) {
    if (timeline[i].k !== 'ext') continue;
    let id = samples[i];
    let name = null;
    while (id !== undefined) {
      const n = byId.get(id);
      if (isExtensionUrl(n.callFrame.url)) {
        name = `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
        break;
      }
      id = parent.get(id);
    }
    const leaf = byId.get(samples[i]).callFrame;
    const key = `${name}${isExtensionUrl(leaf.url) ? '' : ` → ${leaf.functionName || '(native)'}`}`;
    topFns.set(key, (topFns.get(key) ?? 0) + timeline[i].dt / 1000);
  }

  return {
    extMs: sum('ext'),
    pageMs: sum('page'),
    gcMs: sum('gc'),
    programMs: sum('program'),
    idleMs: sum('idle'),
    longestExtBurstMs: longestBurst / 1000,
    samples: samples.length,
    timeline,
    top: [...topFns.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([fn, ms]) => ({ fn, ms: round(ms, 2) })),
  };
}

/**
 * Long tasks (page clock, ms) matched with the extension samples inside them. `offsetMs` maps
 * the page's performance.now() onto the profile clock (µs / 1000).
 */
export function longTasksWithExtension(longTasks, timeline, offsetMs) {
  return longTasks.map((lt) => {
    const from = (lt.start + offsetMs) * 1000;
    const to = from + lt.duration * 1000;
    let ext = 0;
    for (const s of timeline) if (s.k === 'ext' && s.t >= from && s.t < to) ext += s.dt;
    const extMs = ext / 1000;
    // "Caused by the extension": without our share the task would not have been long.
    return { ...lt, extMs: round(extMs, 1), causedByExtension: extMs > 0 && lt.duration - extMs < 50 };
  });
}

export function round(x, d = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return null;
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/**
 * Our code in thread time, from a `devtools.timeline` trace of the page: every call into an
 * extension script on the page's main thread (observer and event callbacks, message replies,
 * script evaluation), outermost calls only, summed by their thread duration (`tdur`). Unlike the
 * sampling profiler, whose samples are wall-clock apart, this does not count time the thread
 * spent descheduled on a busy machine. The page's main thread is the one that parsed and rendered
 * it (the service worker renders nothing).
 * @param {Array<{name:string, ph:string, pid:number, tid:number, ts:number, dur?:number, tdur?:number, args?:any}>} events
 */
export function traceAttribution(events) {
  const byThread = new Map();
  const rendering = new Set(['FireAnimationFrame', 'ParseHTML', 'UpdateLayoutTree', 'Layout']);
  for (const e of events) {
    if (!rendering.has(e.name)) continue;
    const k = `${e.pid}:${e.tid}`;
    byThread.set(k, (byThread.get(k) ?? 0) + 1);
  }
  const main = [...byThread].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const kinds = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.evaluateModule', 'TimerFire', 'FireIdleCallback']);
  const ext = events
    .filter((e) => e.ph === 'X' && kinds.has(e.name) && `${e.pid}:${e.tid}` === main && isExtensionUrl(e.args?.data?.url ?? e.args?.fileName ?? ''))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  let threadUs = 0;
  let wallUs = 0;
  let longestWallUs = 0;
  let calls = 0;
  let openUntil = -1;
  const byFn = new Map();
  for (const e of ext) {
    if (e.ts < openUntil) continue; // nested inside a call already counted
    openUntil = e.ts + (e.dur ?? 0);
    calls++;
    threadUs += e.tdur ?? e.dur ?? 0;
    wallUs += e.dur ?? 0;
    longestWallUs = Math.max(longestWallUs, e.dur ?? 0);
    // By call site: a minified build's anonymous callbacks differ only by where they are.
    const d = e.args?.data ?? {};
    const file = String(d.url ?? '')
      .split('/')
      .pop();
    const k = `${e.name === 'FunctionCall' ? d.functionName || '(anonymous)' : e.name} ${file}${d.lineNumber !== undefined ? `:${d.lineNumber + 1}:${(d.columnNumber ?? 0) + 1}` : ''}`;
    const f = byFn.get(k) ?? { n: 0, us: 0 };
    f.n++;
    f.us += e.tdur ?? e.dur ?? 0;
    byFn.set(k, f);
  }
  return {
    threadMs: threadUs / 1000,
    wallMs: wallUs / 1000,
    longestCallMs: longestWallUs / 1000,
    calls,
    top: [...byFn]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, 8)
      .map(([fn, f]) => ({ fn, calls: f.n, ms: round(f.us / 1000, 2) })),
  };
}
