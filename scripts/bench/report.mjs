// Medians, with/without ratios, the budgets and the printed table of `npm run bench`.
import { median } from './harness.mjs';
import { round } from './profile.mjs';

export const BUDGETS = {
  overheadPct: 2, // main-thread overhead while scrolling the 5,000-post feed, % of the page's own task time
  longTasksByExtension: 0,
  perPostFlatFactor: 1.5, // per-post cost at 20k ≤ 1.5 × per-post cost at 1k (plus 2 µs slack for noise)
  heapFlatBytes: 256 * 1024, // extension's heap growth at 20k within 256 KB of that at 1k
  contentGzipBytes: 15 * 1024,
  idleExtMs: 0,
};

const pick = (runs, f) => median(runs.map(f));

/** Medians per feed size and variant, and the with/without comparisons. */
export function summarise(runs) {
  const sizes = [...new Set(runs.map((r) => r.posts))].sort((a, b) => a - b);
  const out = {};
  for (const n of sizes) {
    const row = {};
    for (const variant of ['without', 'with']) {
      const rs = runs.filter((r) => r.posts === n && r.variant === variant);
      if (!rs.length) continue;
      row[variant] = {
        runs: rs.length,
        taskMs: pick(rs, (r) => r.scroll.taskMs),
        scriptMs: pick(rs, (r) => r.scroll.scriptMs),
        layoutMs: pick(rs, (r) => r.scroll.layoutMs),
        styleMs: pick(rs, (r) => r.scroll.styleMs),
        longTasks: pick(rs, (r) => r.scroll.longTasks),
        longTasksCausedByExtension: Math.max(...rs.map((r) => r.scroll.longTasksCausedByExtension)),
        longTasksAtInsertion: Math.max(...rs.map((r) => r.scroll.longTasksAtInsertion ?? 0)),
        longestTaskAtInsertionMs: Math.max(...rs.map((r) => r.scroll.longestTaskAtInsertionMs ?? 0)),
        heapEndBytes: pick(rs, (r) => r.heap.endBytes),
        heapGrowthBytes: pick(rs, (r) => r.heap.growthBytes),
        extMs: pick(rs, (r) => r.scroll.extMs),
        extUsPerPost: pick(rs, (r) => r.scroll.extUsPerPost),
        longestExtBurstMs: Math.max(...rs.map((r) => r.scroll.longestExtBurstMs)),
        postsPassed: pick(rs, (r) => r.scroll.postsPassed),
        frames: pick(rs, (r) => r.frames.count),
        loadTaskMs: pick(rs, (r) => r.load.taskMs),
        loadExtMs: pick(rs, (r) => r.load.extMs),
        loadLongestExtBurstMs: Math.max(...rs.map((r) => r.load.longestExtBurstMs)),
        listenersEnd: pick(rs, (r) => r.heap.listenersEnd),
      };
    }
    const w = row.with;
    const wo = row.without;
    if (w && wo) {
      row.ratio = {
        task: ratio(w.taskMs, wo.taskMs),
        script: ratio(w.scriptMs, wo.scriptMs),
        layout: ratio(w.layoutMs, wo.layoutMs),
        style: ratio(w.styleMs, wo.styleMs),
        heapEnd: ratio(w.heapEndBytes, wo.heapEndBytes),
      };
      // Two views of the overhead: what the profiler saw our scripts do, and the difference
      // in the page's whole task time (which also catches style/layout we cause, but is noisy).
      row.overheadPct = {
        extScript: wo.taskMs ? round((100 * w.extMs) / wo.taskMs, 2) : null,
        taskDelta: wo.taskMs ? round((100 * (w.taskMs - wo.taskMs)) / wo.taskMs, 2) : null,
      };
      row.extHeapBytes = w.heapEndBytes - wo.heapEndBytes;
      row.extHeapGrowthBytes = w.heapGrowthBytes - wo.heapGrowthBytes;
    }
    out[n] = row;
  }
  return out;
}

function ratio(a, b) {
  return a !== null && b ? round(a / b, 3) : null;
}

/** Each budget of the issue, its value from this run, and whether it was met. */
export function budgets(summary, sizeInfo, idle) {
  const sizes = Object.keys(summary).map(Number).sort((a, b) => a - b);
  const mid = summary[5000] ?? summary[sizes[Math.floor(sizes.length / 2)]];
  const lo = summary[sizes[0]];
  const hi = summary[sizes[sizes.length - 1]];
  const list = [];
  if (mid?.overheadPct) {
    const v = Math.max(mid.overheadPct.extScript ?? 0, 0);
    list.push({
      budget: `main-thread overhead scrolling the ${Object.entries(summary).find(([, r]) => r === mid)[0]}-post feed`,
      limit: `≤ ${BUDGETS.overheadPct} % of the page's task time`,
      value: `${mid.overheadPct.extScript} % (our scripts); task-time difference ${mid.overheadPct.taskDelta} %`,
      met: v <= BUDGETS.overheadPct,
    });
  }
  const caused = Math.max(...Object.values(summary).map((r) => r.with?.longTasksCausedByExtension ?? 0));
  const atInsertion = Math.max(...Object.values(summary).map((r) => r.with?.longTasksAtInsertion ?? 0));
  const longestAt = Math.max(...Object.values(summary).map((r) => r.with?.longestTaskAtInsertionMs ?? 0));
  const burst = Math.max(...Object.values(summary).map((r) => Math.max(r.with?.longestExtBurstMs ?? 0, r.with?.loadLongestExtBurstMs ?? 0)));
  list.push({
    budget: 'long tasks caused by the extension (any feed size, scrolling and loading)',
    limit: '0 (and no burst of our code ≥ 50 ms)',
    value: `${caused} (at a frame insertion: ${atInsertion}${atInsertion ? `, longest ${longestAt} ms` : ''}); longest burst of our code ${round(burst, 1)} ms`,
    met: caused <= BUDGETS.longTasksByExtension && burst < 50,
  });
  if (lo?.with && hi?.with && lo !== hi) {
    const a = lo.with.extUsPerPost;
    const b = hi.with.extUsPerPost;
    list.push({
      budget: `work per new post, ${sizes[0]} → ${sizes[sizes.length - 1]} posts`,
      limit: `flat (≤ ${BUDGETS.perPostFlatFactor}×)`,
      value: `${a} → ${b} µs/post (${a ? round(b / a, 2) : '–'}×)`,
      met: a !== null && b !== null && b <= a * BUDGETS.perPostFlatFactor + 2,
    });
    const ga = lo.extHeapGrowthBytes;
    const gb = hi.extHeapGrowthBytes;
    list.push({
      budget: `heap growth while scrolling, ${sizes[0]} → ${sizes[sizes.length - 1]} posts`,
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
      value: `${kb(cs.gzipBytes)} gzipped (${kb(cs.rawBytes)} raw)${lazy.length ? `; loaded at the first frame: ${lazy.map((l) => `${kb(l.gzipBytes)} gz`).join(', ')}` : ''}`,
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

export function kb(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  const sign = bytes < 0 ? '−' : '';
  const a = Math.abs(bytes);
  return a >= 1024 * 1024 ? `${sign}${round(a / 1048576, 2)} MB` : `${sign}${round(a / 1024, 1)} KB`;
}

const f1 = (x) => (x === null || x === undefined ? '–' : String(round(x, 1)));

/** The Markdown table the bench prints (and that docs/PERFORMANCE.md and the README show). */
export function table(summary) {
  const lines = [
    '| posts | variant | task ms | script ms | layout ms | style ms | long tasks (ours) | heap end | heap growth | our code ms | µs / post | frames |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [n, row] of Object.entries(summary)) {
    for (const variant of ['without', 'with']) {
      const r = row[variant];
      if (!r) continue;
      lines.push(
        `| ${Number(n).toLocaleString('en')} | ${variant} | ${f1(r.taskMs)} | ${f1(r.scriptMs)} | ${f1(r.layoutMs)} | ${f1(r.styleMs)} | ${f1(r.longTasks)}${variant === 'with' ? ` (${r.longTasksCausedByExtension})` : ''} | ${kb(r.heapEndBytes)} | ${kb(r.heapGrowthBytes)} | ${variant === 'with' ? f1(r.extMs) : '–'} | ${variant === 'with' ? f1(r.extUsPerPost) : '–'} | ${variant === 'with' ? f1(r.frames) : '–'} |`,
      );
    }
    if (row.ratio) {
      lines.push(
        `| | **with ÷ without** | **${row.ratio.task}** | ${row.ratio.script} | ${row.ratio.layout} | ${row.ratio.style} | | ${row.ratio.heapEnd} | ours: ${kb(row.extHeapGrowthBytes)} | **${row.overheadPct.extScript} %** of task | | |`,
      );
    }
  }
  return lines.join('\n');
}

export function budgetTable(list) {
  return ['| budget | limit | this run | met |', '|---|---|---|:-:|', ...list.map((b) => `| ${b.budget} | ${b.limit} | ${b.value} | ${b.met ? 'yes' : '**no**'} |`)].join('\n');
}
