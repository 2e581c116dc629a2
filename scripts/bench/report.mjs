// Medians, with/without ratios, the budgets and the printed table of `npm run bench`.
import { median } from './harness.mjs';
import { round } from './profile.mjs';
import { rowKey, rowLabel } from './scenarios.mjs';

export const BUDGETS = {
  /** Task time with ÷ without, bench.html at 1k and 5k posts and every site-shaped feed. */
  taskRatio: 1.03,
  /** Our code's share of the page's own task time (profiler samples in extension scripts), every feed. */
  overheadPct: 2,
  /** Style + layout time with ÷ without, every feed. */
  styleLayoutRatio: 1.05,
  longTasksByExtension: 0,
  perPostFlatFactor: 1.5, // per-post cost at 20k ≤ 1.5 × per-post cost at 1k (plus 2 µs slack for noise)
  heapFlatBytes: 256 * 1024, // extension's heap growth at 20k within 256 KB of that at 1k
  contentGzipBytes: 15 * 1024,
  idleExtMs: 0,
};

/** Rows the task-time ratio is held to (the issue's list: bench.html at 1k and 5k, and the site-shaped feeds). */
const TASK_RATIO_ROWS = (key) => key === 'bench-1000' || key === 'bench-5000' || !key.startsWith('bench-');

export const VARIANTS = ['without', 'with', 'peer'];

const pick = (runs, f) => median(runs.map(f));

/** Row keys in display order: bench sizes ascending, then the site-shaped feeds. */
function rowOrder(keys) {
  const bench = keys.filter((k) => k.startsWith('bench-')).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  return [...bench, ...keys.filter((k) => !k.startsWith('bench-'))];
}

/** Medians per feed (row) and variant, and the comparisons with the baseline. */
export function summarise(runs) {
  const keys = rowOrder([...new Set(runs.map((r) => rowKey(r.scenario ?? 'bench', r.posts)))]);
  const out = {};
  for (const key of keys) {
    const inRow = runs.filter((r) => rowKey(r.scenario ?? 'bench', r.posts) === key);
    const row = { label: rowLabel(key), scenario: inRow[0].scenario ?? 'bench', posts: inRow[0].posts };
    for (const variant of VARIANTS) {
      const rs = inRow.filter((r) => r.variant === variant);
      if (!rs.length) continue;
      row[variant] = {
        runs: rs.length,
        taskMs: pick(rs, (r) => r.scroll.taskMs),
        scriptMs: pick(rs, (r) => r.scroll.scriptMs),
        layoutMs: pick(rs, (r) => r.scroll.layoutMs),
        styleMs: pick(rs, (r) => r.scroll.styleMs),
        styleLayoutMs: pick(rs, (r) => r.scroll.styleMs + r.scroll.layoutMs),
        layouts: pick(rs, (r) => r.scroll.layouts),
        styleRecalcs: pick(rs, (r) => r.scroll.styleRecalcs),
        longTasks: pick(rs, (r) => r.scroll.longTasks),
        longTasksCausedByExtension: Math.max(...rs.map((r) => r.scroll.longTasksCausedByExtension)),
        longTasksAtInsertion: Math.max(...rs.map((r) => r.scroll.longTasksAtInsertion ?? 0)),
        longestTaskAtInsertionMs: Math.max(...rs.map((r) => r.scroll.longestTaskAtInsertionMs ?? 0)),
        loadLongTasksCausedByExtension: Math.max(...rs.map((r) => r.load.longTasksCausedByExtension ?? 0)),
        heapEndBytes: pick(rs, (r) => r.heap.endBytes),
        heapGrowthBytes: pick(rs, (r) => r.heap.growthBytes),
        extMs: pick(rs, (r) => r.scroll.extMs),
        extThreadMs: pick(rs, (r) => r.scroll.extThreadMs ?? null),
        longestExtCallMs: Math.max(...rs.map((r) => Math.max(r.scroll.longestExtCallMs ?? 0, r.load.longestExtCallMs ?? 0))),
        loadExtThreadMs: pick(rs, (r) => r.load.extThreadMs ?? null),
        extUsPerPost: pick(rs, (r) => r.scroll.extUsPerPost),
        longestExtBurstMs: Math.max(...rs.map((r) => r.scroll.longestExtBurstMs)),
        postsPassed: pick(rs, (r) => r.scroll.postsPassed),
        frames: pick(rs, (r) => r.frames.count),
        framesAlone: pick(rs, (r) => r.scroll.framesInsertedAlone ?? null),
        loadTaskMs: pick(rs, (r) => r.load.taskMs),
        loadExtMs: pick(rs, (r) => r.load.extMs),
        loadLongestExtBurstMs: Math.max(...rs.map((r) => r.load.longestExtBurstMs)),
        listenersEnd: pick(rs, (r) => r.heap.listenersEnd),
      };
    }
    const wo = row.without;
    for (const variant of ['with', 'peer']) {
      const w = row[variant];
      if (!w || !wo) continue;
      const cmp = {
        ratio: {
          task: ratio(w.taskMs, wo.taskMs),
          script: ratio(w.scriptMs, wo.scriptMs),
          layout: ratio(w.layoutMs, wo.layoutMs),
          style: ratio(w.styleMs, wo.styleMs),
          styleLayout: ratio(w.styleLayoutMs, wo.styleLayoutMs),
          heapEnd: ratio(w.heapEndBytes, wo.heapEndBytes),
        },
        // Views of the overhead: the extension's calls in thread time (trace), what the sampling
        // profiler saw (wall clock: inflated by descheduling on a busy machine), and the difference
        // in the page's whole task time (which also catches style/layout it causes, but is noisy).
        overheadPct: {
          extScript: wo.taskMs && w.extThreadMs !== null ? round((100 * w.extThreadMs) / wo.taskMs, 2) : null,
          extProfiler: wo.taskMs ? round((100 * w.extMs) / wo.taskMs, 2) : null,
          taskDelta: wo.taskMs ? round((100 * (w.taskMs - wo.taskMs)) / wo.taskMs, 2) : null,
        },
        extHeapBytes: w.heapEndBytes - wo.heapEndBytes,
        extHeapGrowthBytes: w.heapGrowthBytes - wo.heapGrowthBytes,
      };
      if (variant === 'with') Object.assign(row, cmp);
      else row.peerCmp = cmp;
    }
    out[key] = row;
  }
  return out;
}

function ratio(a, b) {
  return a !== null && b ? round(a / b, 3) : null;
}

/** Each budget of the issue, its value from this run, and whether it was met. */
export function budgets(summary, sizeInfo, idle) {
  const rows = Object.entries(summary).filter(([, r]) => r.with && r.without);
  const list = [];
  for (const [key, r] of rows.filter(([k]) => TASK_RATIO_ROWS(k))) {
    list.push({
      budget: `task time scrolling, ${r.label}`,
      limit: `≤ ${BUDGETS.taskRatio}× without`,
      value: `${r.ratio.task}× (${f1(r.without.taskMs)} → ${f1(r.with.taskMs)} ms)`,
      met: r.ratio.task !== null && r.ratio.task <= BUDGETS.taskRatio,
    });
  }
  if (rows.length) {
    const per = rows.map(([, r]) => `${short(r)} ${r.overheadPct.extScript} %`);
    const worst = Math.max(...rows.map(([, r]) => r.overheadPct.extScript ?? Infinity));
    list.push({
      budget: "our code's share of the page's task time, scrolling",
      limit: `≤ ${BUDGETS.overheadPct} % on every feed`,
      value: per.join('; '),
      met: worst <= BUDGETS.overheadPct,
    });
    const sl = rows.map(([, r]) => `${short(r)} ${r.ratio.styleLayout}×`);
    const worstSl = Math.max(...rows.map(([, r]) => r.ratio.styleLayout ?? Infinity));
    list.push({
      budget: 'style + layout time scrolling',
      limit: `≤ ${BUDGETS.styleLayoutRatio}× without, every feed`,
      value: sl.join('; '),
      met: worstSl <= BUDGETS.styleLayoutRatio,
    });
  }
  const all = Object.values(summary);
  const caused = Math.max(0, ...all.map((r) => r.with?.longTasksCausedByExtension ?? 0));
  const atLoad = Math.max(0, ...all.map((r) => r.with?.loadLongTasksCausedByExtension ?? 0));
  const atInsertion = Math.max(0, ...all.map((r) => r.with?.longTasksAtInsertion ?? 0));
  const longestAt = Math.max(0, ...all.map((r) => r.with?.longestTaskAtInsertionMs ?? 0));
  const burst = Math.max(0, ...all.map((r) => r.with?.longestExtCallMs ?? 0));
  list.push({
    budget: 'long tasks caused by the extension (every feed, scrolling and loading)',
    limit: '0 (and no burst of our code ≥ 50 ms)',
    value: `scrolling ${caused} (at a frame insertion: ${atInsertion}${atInsertion ? `, longest ${longestAt} ms` : ''}), loading ${atLoad}; longest call into our code ${round(burst, 1)} ms`,
    met: caused <= BUDGETS.longTasksByExtension && atLoad <= BUDGETS.longTasksByExtension && burst < 50,
  });
  const bench = rows.filter(([k]) => k.startsWith('bench-')).map(([, r]) => r);
  const lo = bench[0];
  const hi = bench[bench.length - 1];
  if (lo && hi && lo !== hi) {
    const a = lo.with.extUsPerPost;
    const b = hi.with.extUsPerPost;
    list.push({
      budget: `work per new post, ${lo.posts} → ${hi.posts} posts`,
      limit: `flat (≤ ${BUDGETS.perPostFlatFactor}×)`,
      value: `${a} → ${b} µs/post (${a ? round(b / a, 2) : '–'}×)`,
      met: a !== null && b !== null && b <= a * BUDGETS.perPostFlatFactor + 2,
    });
    const ga = lo.extHeapGrowthBytes;
    const gb = hi.extHeapGrowthBytes;
    list.push({
      budget: `heap growth while scrolling, ${lo.posts} → ${hi.posts} posts`,
      limit: 'independent of feed length (within 256 KB)',
      value: `${kb(ga)} → ${kb(gb)} (our share of the growth)`,
      met: ga !== undefined && gb !== undefined && Math.abs(gb - ga) <= BUDGETS.heapFlatBytes,
    });
  }
  const cs = sizeInfo.find((s) => s.role.startsWith('content script (every'));
  if (cs) {
    const lazy = sizeInfo.filter((s) => s.role.startsWith('lazy'));
    list.push({
      budget: 'content script size',
      limit: '≤ 15 KB gzipped',
      value: `${kb(cs.gzipBytes)} gzipped (${kb(cs.rawBytes)} raw)${lazy.length ? `; loaded later: ${lazy.map((l) => `${l.file} ${kb(l.gzipBytes)} gz (${l.role.replace(/^lazy \((.*)\)$/, '$1')})`).join(', ')}` : ''}`,
      met: cs.gzipBytes <= BUDGETS.contentGzipBytes,
    });
  }
  if (idle?.with) {
    list.push({
      budget: `idle cost (${idle.with.seconds} s still)`,
      limit: 'zero work: no samples in our code',
      value: `${idle.with.extMs} ms in our code (${idle.with.extSamples} samples); page task time ${idle.with.taskMs} ms with, ${idle.without?.taskMs ?? '–'} ms without`,
      met: idle.with.extSamples === 0,
    });
  }
  return list;
}

function short(r) {
  return r.scenario === 'bench' ? `${r.posts >= 1000 ? `${r.posts / 1000}k` : r.posts}` : r.scenario;
}

export function kb(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  const sign = bytes < 0 ? '−' : '';
  const a = Math.abs(bytes);
  return a >= 1024 * 1024 ? `${sign}${round(a / 1048576, 2)} MB` : `${sign}${round(a / 1024, 1)} KB`;
}

const f1 = (x) => (x === null || x === undefined ? '–' : String(round(x, 1)));

/**
 * The Markdown table the bench prints (and that docs/PERFORMANCE.md shows). `peerName` names the --compare column.
 * @param {Record<string, any>} summary
 * @param {string} [peerName]
 */
export function table(summary, peerName = 'peer') {
  const lines = [
    '| feed | variant | task ms | script ms | style ms (recalcs) | layout ms (layouts) | long tasks (ours) | heap end | heap growth | our code ms (profiler) | µs / post | frames (by themselves) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of Object.values(summary)) {
    for (const variant of VARIANTS) {
      const r = row[variant];
      if (!r) continue;
      const ext = variant !== 'without';
      const name = variant === 'peer' ? peerName : variant;
      lines.push(
        `| ${row.label} | ${name} | ${f1(r.taskMs)} | ${f1(r.scriptMs)} | ${f1(r.styleMs)} (${f0(r.styleRecalcs)}) | ${f1(r.layoutMs)} (${f0(r.layouts)}) | ${f1(r.longTasks)}${ext ? ` (${r.longTasksCausedByExtension})` : ''} | ${kb(r.heapEndBytes)} | ${kb(r.heapGrowthBytes)} | ${ext ? `${f1(r.extThreadMs)} (${f1(r.extMs)})` : '–'} | ${ext ? f1(r.extUsPerPost) : '–'} | ${variant === 'with' || (variant === 'peer' && r.frames > 0) ? `${f1(r.frames)}${r.framesAlone !== null && r.framesAlone !== undefined ? ` (${f1(r.framesAlone)})` : ''}` : '–'} |`,
      );
    }
    for (const [cmp, name] of [
      [row.ratio ? row : null, 'with'],
      [row.peerCmp, peerName],
    ]) {
      if (!cmp?.ratio) continue;
      lines.push(
        `| | **${name} ÷ without** | **${cmp.ratio.task}** | ${cmp.ratio.script} | ${cmp.ratio.style} | ${cmp.ratio.layout} | | ${cmp.ratio.heapEnd} | ${name === 'with' ? 'ours' : 'its'}: ${kb(cmp.extHeapGrowthBytes)} | **${cmp.overheadPct.extScript} %** of task | | style + layout ${cmp.ratio.styleLayout}× |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The short table: task time with ÷ without per feed, and the peer's beside it (what the README quotes).
 * @param {Record<string, any>} summary
 * @param {string | null} [peerName]
 */
export function ratioTable(summary, peerName = null) {
  const hasPeer = Object.values(summary).some((r) => r.peerCmp);
  const head = hasPeer ? `| feed | Stillframe ÷ without | ${peerName ?? 'peer'} ÷ without |` : '| feed | Stillframe ÷ without |';
  const lines = [head, hasPeer ? '|---|---:|---:|' : '|---|---:|'];
  for (const row of Object.values(summary)) {
    if (!row.ratio) continue;
    const ours = `${row.ratio.task} (our code ${row.overheadPct.extScript} %)`;
    lines.push(
      hasPeer
        ? `| ${row.label} | ${ours} | ${row.peerCmp ? `${row.peerCmp.ratio.task} (its code ${row.peerCmp.overheadPct.extScript} %)` : '–'} |`
        : `| ${row.label} | ${ours} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Where our code's time went, per feed: the calls into our scripts while scrolling, by call site
 * (a callback's name as V8 infers it, and where it is in the build), their number and thread time
 * per run, averaged over the runs with the extension. Calls are what to cut: each one enters the
 * content script's world, however little it does.
 * @param {Array<any>} runs
 * @param {number} [n] call sites per feed
 */
export function callsTable(runs, n = 5) {
  const lines = ['| feed | calls into our code a run | thread ms a run | heaviest call sites: name (calls a run, ms a run) |', '|---|---:|---:|---|'];
  const keys = rowOrder([...new Set(runs.map((r) => rowKey(r.scenario ?? 'bench', r.posts)))]);
  for (const key of keys) {
    const rs = runs.filter((r) => r.variant === 'with' && rowKey(r.scenario ?? 'bench', r.posts) === key && r.scroll.topThread);
    if (!rs.length) continue;
    const sites = new Map();
    for (const r of rs)
      for (const t of r.scroll.topThread) {
        const s = sites.get(t.fn) ?? { calls: 0, ms: 0 };
        s.calls += t.calls ?? 0;
        s.ms += t.ms;
        sites.set(t.fn, s);
      }
    const top = [...sites]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, n)
      .map(([fn, s]) => `\`${fn}\` (${Math.round(s.calls / rs.length)}, ${(s.ms / rs.length).toFixed(1)})`)
      .join('; ');
    const calls = rs.reduce((a, r) => a + (r.scroll.extCalls ?? 0), 0) / rs.length;
    const ms = rs.reduce((a, r) => a + (r.scroll.extThreadMs ?? 0), 0) / rs.length;
    lines.push(`| ${rowLabel(key)} | ${Math.round(calls)} | ${ms.toFixed(1)} | ${top} |`);
  }
  return lines.join('\n');
}

const f0 = (x) => (x === null || x === undefined ? '–' : String(Math.round(x)));

export function budgetTable(list) {
  return [
    '| budget | limit | this run | met |',
    '|---|---|---|:-:|',
    ...list.map((b) => `| ${b.budget} | ${b.limit} | ${b.value} | ${b.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}
