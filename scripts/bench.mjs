#!/usr/bin/env node
// `npm run bench`: what Stillframe costs the page it runs on. Side by side, in the same run,
// alternating: the bench feed (tests/fixtures/feeds/bench.html) at 1,000, 5,000 and 20,000 posts,
// scrolled at a fixed pace in Chromium without and with the extension, several rounds. Reads the
// page's main-thread metrics, long tasks, heap and a CPU profile through the DevTools Protocol;
// prints medians, with/without ratios and the budgets; writes JSON and Markdown to artifacts/bench/.
//
//   npm run bench                                   the full benchmark (~4 min on 2 cores)
//   npm run bench -- --rounds 1 --sizes 1000,5000   a quick look while developing
//   npm run bench -- --soak [--soak-minutes 10]     the soak: a 50,000-post feed for 10 minutes
//                    [--soak-baseline]               (also the same soak without the extension)
//   options: --no-build  --extension-dir DIR  --pace PX_PER_S  --distance PX  --idle-seconds S
//            --start deep|top (where the reader is: deep in the feed, the default, or at the top
//            of N pre-rendered posts, the worst case)  --out DIR  --docs (also write the table
//            into docs/PERFORMANCE.md)
import { devBuild } from './lib/dev-build.mjs';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFixtureServer } from './serve-fixtures.mjs';
import { ensureBrowser } from './find-browser.mjs';
import { DEFAULTS, measureRun, contentScriptSize } from './bench/harness.mjs';
import { summarise, budgets, table, budgetTable, kb } from './bench/report.mjs';
import { machine, load } from './bench/machine.mjs';
import { runSoak, soakTable } from './bench/soak.mjs';

function parseArgs(argv) {
  const o = { build: true, docs: false, soak: false, soakMinutes: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--no-build') o.build = false;
    else if (a === '--docs') o.docs = true;
    else if (a === '--soak') o.soak = true;
    else if (a === '--soak-minutes') (o.soak = true), (o.soakMinutes = Number(next()));
    else if (a === '--soak-posts') o.soakPosts = Number(next());
    else if (a === '--soak-baseline') (o.soak = true), (o.soakBaseline = true);
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--sizes') o.sizes = next().split(',').map(Number);
    else if (a === '--pace') o.pxPerSec = Number(next());
    else if (a === '--distance') o.distancePx = Number(next());
    else if (a === '--idle-seconds') o.idleSeconds = Number(next());
    else if (a === '--start') o.start = next();
    else if (a === '--extension-dir') (o.extensionDir = resolve(next())), (o.build = false);
    else if (a === '--out') o.out = resolve(next());
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const log = (m) => console.log(`• ${m}`);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const out = args.out ?? resolve('artifacts/bench');
  mkdirSync(out, { recursive: true });
  const browserPath = ensureBrowser();
  // A build of our own, so that a test run elsewhere in the tree cannot swap it mid-benchmark.
  const extensionDir = args.extensionDir ?? join(out, 'build', 'chrome-mv3');
  if (args.build) {
    // Minified like a release, plus the demo hosts: the synthetic feed is served on 127.0.0.1.
    log('building the extension (production, chrome-mv3, with the demo hosts)…');
    devBuild({ outDir: join(out, 'build') });
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`no built extension at ${extensionDir}`);
  const mach = machine(browserPath);
  const loadBefore = load();
  log(`${mach.nproc} × ${mach.cpu}, ${mach.memGiB} GiB, ${mach.browser}; load average ${loadBefore.join(' ')}`);
  const server = await startFixtureServer(0);
  try {
    if (args.soak) return await soak(args, { extensionDir, server, mach, loadBefore, out, t0 });
    const p = {
      sizes: args.sizes ?? DEFAULTS.sizes,
      rounds: args.rounds ?? DEFAULTS.rounds,
      pxPerSec: args.pxPerSec ?? DEFAULTS.pxPerSec,
      distancePx: args.distancePx ?? DEFAULTS.distancePx,
      idleSeconds: args.idleSeconds ?? DEFAULTS.idleSeconds,
      tailMs: DEFAULTS.tailMs,
      sampleIntervalUs: DEFAULTS.sampleIntervalUs,
      start: args.start ?? DEFAULTS.start,
    };
    const idleSize = p.sizes.includes(DEFAULTS.idleSize) ? DEFAULTS.idleSize : p.sizes[Math.floor(p.sizes.length / 2)];
    const result = await runBench({ ...p, idleSize, extensionDir, serverUrl: server.url, log });
    const loadAfter = load();
    Object.assign(result.meta, { machine: mach, loadBefore, loadAfter, seconds: Math.round((Date.now() - t0) / 1000) });
    report(result, out, args);
  } finally {
    await server.close();
  }
}

/**
 * The rounds: for each round and size, one run without and one with the extension, the order
 * alternating so neither variant always goes first. Exported for the harness test.
 */
export async function runBench({ sizes, rounds, pxPerSec, distancePx, tailMs = DEFAULTS.tailMs, idleSeconds, idleSize, sampleIntervalUs = DEFAULTS.sampleIntervalUs, start = DEFAULTS.start, extensionDir, serverUrl, log = () => {} }) {
  const runs = [];
  let k = 0;
  for (let round = 0; round < rounds; round++) {
    for (const posts of sizes) {
      const order = k++ % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const variant of order) {
        const idle = round === 0 && posts === idleSize ? idleSeconds : 0;
        const r = await measureRun({ extensionDir: variant === 'with' ? extensionDir : null, serverUrl, posts, pxPerSec, distancePx, tailMs, sampleIntervalUs, start, idleSeconds: idle });
        r.round = round;
        runs.push(r);
        log(
          `round ${round + 1}/${rounds} · ${posts} posts · ${variant.padEnd(7)} task ${r.scroll.taskMs} ms, script ${r.scroll.scriptMs} ms, ours ${variant === 'with' ? `${r.scroll.extMs} ms` : '–'}, ${r.scroll.postsPassed} posts, ${r.frames.count} frames${r.errors.length ? `, errors: ${r.errors.join(' | ')}` : ''}`,
        );
      }
    }
  }
  const summary = summarise(runs);
  const idleRuns = runs.filter((r) => r.idle);
  const idle = {
    with: idleRuns.find((r) => r.variant === 'with')?.idle ?? null,
    without: idleRuns.find((r) => r.variant === 'without')?.idle ?? null,
  };
  const size = contentScriptSize(extensionDir);
  return {
    meta: { date: new Date().toISOString(), params: { sizes, rounds, pxPerSec, distancePx, tailMs, idleSeconds, idleSize, sampleIntervalUs, start, cadence: 'default settings (a pause about every 25 posts)' } },
    contentScript: size,
    summary,
    idle,
    budgets: budgets(summary, size, idle),
    runs,
  };
}

function report(result, out, args) {
  const m = result.meta;
  const mach = m.machine;
  const head = `${mach.nproc} cores (${mach.cpu}), ${mach.memGiB} GiB RAM, ${mach.os}, ${mach.browser}, Node ${mach.node}; load average ${m.loadBefore[0]} before, ${m.loadAfter[0]} after; ${m.params.rounds} rounds, medians; scroll ${m.params.distancePx} px at ${m.params.pxPerSec} px/s, reader ${m.params.start === "top" ? "at the top of N pre-rendered posts" : "deep in the feed (N posts above, more appended)"}; ${m.seconds} s in all.`;
  const sizes = result.contentScript.map((s) => `${s.file} (${s.role}): ${kb(s.rawBytes)} raw, **${kb(s.gzipBytes)} gzipped**`).join('; ');
  const idle = result.idle.with
    ? `Idle ${result.idle.with.seconds} s, ${m.params.idleSize.toLocaleString('en')}-post feed after scrolling${result.idle.with.frameInView ? ' (a frame in view)' : ''}: our code ${result.idle.with.extMs} ms (${result.idle.with.extSamples} samples); page task time ${result.idle.with.taskMs} ms with the extension, ${result.idle.without?.taskMs ?? '–'} ms without.`
    : '';
  const md = [
    `Measured ${m.date.slice(0, 10)} on ${head}`,
    '',
    table(result.summary),
    '',
    `Content script: ${sizes}.`,
    idle,
    '',
    budgetTable(result.budgets),
  ].join('\n');
  console.log(`\n${md}\n`);
  const stamp = m.date.replace(/[:.]/g, '-');
  writeFileSync(join(out, `bench-${stamp}.json`), JSON.stringify(result, null, 2));
  writeFileSync(join(out, 'latest.json'), JSON.stringify(result, null, 2));
  writeFileSync(join(out, 'latest.md'), `${md}\n`);
  console.log(`JSON: ${join(out, `bench-${stamp}.json`)} (and latest.json, latest.md)`);
  if (args.docs) writeDocs('docs/PERFORMANCE.md', md);
}

/** Replaces the text between the bench markers of a doc (nothing else in the file changes). */
function writeDocs(path, md) {
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`${path} has no ${begin} … ${end} markers; left as it was.`);
    return;
  }
  writeFileSync(path, `${text.slice(0, a + begin.length)}\n${md}\n${text.slice(b)}`);
  console.log(`updated ${path}`);
}

async function soak(args, { extensionDir, server, mach, loadBefore, out, t0 }) {
  const o = { serverUrl: server.url, minutes: args.soakMinutes, posts: args.soakPosts ?? 50000, pxPerSec: args.pxPerSec, log };
  const r = await runSoak({ ...o, extensionDir });
  if (args.soakBaseline) {
    log('soak: the same again without the extension…');
    r.baseline = await runSoak({ ...o, extensionDir: null });
  }
  r.meta = { date: new Date().toISOString(), machine: mach, loadBefore, loadAfter: load(), seconds: Math.round((Date.now() - t0) / 1000) };
  const md = soakTable(r);
  console.log(`\n${md}\n`);
  const stamp = r.meta.date.replace(/[:.]/g, '-');
  writeFileSync(join(out, `soak-${stamp}.json`), JSON.stringify(r, null, 2));
  writeFileSync(join(out, 'soak-latest.json'), JSON.stringify(r, null, 2));
  writeFileSync(join(out, 'soak-latest.md'), `${md}\n`);
  console.log(`JSON: ${join(out, `soak-${stamp}.json`)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(`bench failed: ${process.env.DEBUG ? e.stack : e.message}`);
    process.exit(1);
  });
}
