#!/usr/bin/env node
// `npm run bench`: what Stillframe costs the page it runs on. Side by side, in the same run,
// order rotating: the bench feed (tests/fixtures/feeds/bench.html) at 1,000, 5,000 and 20,000
// posts and three site-shaped feeds built from the project's fixtures (an X-like virtualised
// timeline, a Reddit-like custom-element feed, a YouTube-like grid), scrolled at a fixed pace in
// Chromium without and with the extension (and, with --compare, with another extension), several
// rounds. Reads the page's main-thread metrics, long tasks, heap and a CPU profile through the
// DevTools Protocol; prints medians, with/without ratios and the budgets; writes JSON and
// Markdown to artifacts/bench/.
//
//   npm run bench                                   the full benchmark (~8 min on 2 cores)
//   npm run bench -- --rounds 1 --sizes 1000,5000   a quick look while developing
//   npm run bench -- --scenarios reddit,x           only these feeds (bench, x, reddit, youtube)
//   npm run bench -- --compare DIR                  also run any unpacked extension (its folder with
//                                                   manifest.json) and print its ratio beside ours
//   npm run bench -- --floor                        the peer is the floor: Stillframe's own frame after every
//                                                   25th post and nothing else (scripts/bench/floor/), the
//                                                   cost of having the frames at all
//   npm run bench -- --floor counting               the floor that also counts the posts the reader has seen
//                                                   (an IntersectionObserver on the next posts): the least any
//                                                   "a frame after N posts seen" extension costs
//   npm run bench -- --soak [--soak-minutes 10]     the soak: a 50,000-post feed for 10 minutes
//                    [--soak-baseline]               (also the same soak without the extension)
//   options: --no-build  --extension-dir DIR  --pace PX_PER_S  --distance PX  --idle-seconds S
//            --start deep|top (where the reader is on bench.html: deep in the feed, the default,
//            or at the top of N pre-rendered posts, the worst case)  --out DIR  --docs (also
//            write the tables into docs/PERFORMANCE.md)
import { devBuild } from './lib/dev-build.mjs';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFixtureServer } from './serve-fixtures.mjs';
import { ensureBrowser } from './find-browser.mjs';
import { DEFAULTS, measureRun, contentScriptSize } from './bench/harness.mjs';
import { summarise, budgets, table, budgetTable, ratioTable, callsTable, kb } from './bench/report.mjs';
import { SCENARIOS, SITE_SCENARIOS } from './bench/scenarios.mjs';
import { machine, load } from './bench/machine.mjs';
import { runSoak, soakTable } from './bench/soak.mjs';
import { buildFloor, FLOOR_KINDS } from './bench/floor/floor.mjs';

/**
 * The command line, as options for main().
 * @param {string[]} argv
 * @returns {Record<string, any>}
 */
export function parseArgs(argv) {
  /** @type {Record<string, any>} */
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
    else if (a === '--scenarios')
      o.scenarios = next()
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    else if (a === '--compare') o.compareDir = resolve(next());
    else if (a === '--floor') o.floor = FLOOR_KINDS.includes(argv[i + 1]) ? argv[++i] : 'frames';
    else if (a === '--pace') o.pxPerSec = Number(next());
    else if (a === '--distance') o.distancePx = Number(next());
    else if (a === '--idle-seconds') o.idleSeconds = Number(next());
    else if (a === '--start') o.start = next();
    else if (a === '--extension-dir') (o.extensionDir = resolve(next())), (o.build = false);
    else if (a === '--out') o.out = resolve(next());
    else if (a === '-h' || a === '--help') {
      console.log(
        readFileSync(new URL(import.meta.url), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('//'))
          .map((l) => l.slice(3))
          .join('\n'),
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.floor && o.compareDir) throw new Error('--floor and --compare both name the peer: give one');
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
    // Sizes are what the store ships: the run's build also carries the development logging and the demo hosts.
    log('building the store build for its sizes…');
    const env = { ...process.env, STILLFRAME_OUT_DIR: join(out, 'store') };
    delete env.STILLFRAME_DEV_HOSTS;
    execSync('npx wxt build -b chrome', { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
  const sizeDir = args.build ? join(out, 'store', 'chrome-mv3') : extensionDir;
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`no built extension at ${extensionDir}`);
  const mach = machine(browserPath);
  const loadBefore = load();
  log(`${mach.nproc} × ${mach.cpu}, ${mach.memGiB} GiB, ${mach.browser}; load average ${loadBefore.join(' ')}`);
  const server = await startFixtureServer(0);
  try {
    if (args.soak) return await soak(args, { extensionDir, server, mach, loadBefore, out, t0 });
    const scenarios = args.scenarios ?? ['bench', ...SITE_SCENARIOS];
    for (const k of scenarios) if (!SCENARIOS[k]) throw new Error(`unknown scenario ${k} (known: ${Object.keys(SCENARIOS).join(', ')})`);
    if (args.floor) {
      log(`building the floor (${args.floor === 'counting' ? 'frames + counting' : 'frames only'}) as the peer…`);
      args.compareDir = await buildFloor(join(out, `floor-${args.floor}`), args.floor);
    }
    if (args.compareDir && !existsSync(join(args.compareDir, 'manifest.json')))
      throw new Error(`--compare: no manifest.json in ${args.compareDir} (give the unpacked extension's folder)`);
    const p = {
      scenarios,
      sizes: args.sizes ?? DEFAULTS.sizes,
      rounds: args.rounds ?? DEFAULTS.rounds,
      // Unset: each feed's own pace (bench.html 6,000 px/s over 30,000 px; the site-shaped feeds 4,000 over 24,000).
      pxPerSec: args.pxPerSec,
      distancePx: args.distancePx,
      idleSeconds: args.idleSeconds ?? DEFAULTS.idleSeconds,
      tailMs: DEFAULTS.tailMs,
      sampleIntervalUs: DEFAULTS.sampleIntervalUs,
      start: args.start ?? DEFAULTS.start,
    };
    const idleSize = p.sizes.includes(DEFAULTS.idleSize) ? DEFAULTS.idleSize : p.sizes[Math.floor(p.sizes.length / 2)];
    const result = await runBench({ ...p, idleSize, extensionDir, sizeDir, compareDir: args.compareDir, serverUrl: server.url, log });
    const loadAfter = load();
    Object.assign(result.meta, { machine: mach, loadBefore, loadAfter, seconds: Math.round((Date.now() - t0) / 1000) });
    report(result, out, args);
  } finally {
    await server.close();
  }
}

/** What --compare loaded: its manifest's name and version, and the folder. */
export function describeExtension(dir) {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    let name = typeof m.name === 'string' ? m.name : null;
    const msg = name?.match(/^__MSG_(\w+)__$/)?.[1];
    if (msg) {
      // A localised name: the default locale's messages say it.
      try {
        const messages = JSON.parse(readFileSync(join(dir, '_locales', m.default_locale ?? 'en', 'messages.json'), 'utf8'));
        name = Object.entries(messages).find(([k]) => k.toLowerCase() === msg.toLowerCase())?.[1]?.message ?? null;
      } catch {
        name = null;
      }
    }
    name ||= dir.split('/').filter(Boolean).pop();
    return { name, version: m.version ?? null, manifestVersion: m.manifest_version ?? null, dir };
  } catch {
    return { name: dir.split('/').filter(Boolean).pop(), version: null, manifestVersion: null, dir };
  }
}

/**
 * The rounds: for each round and feed, one run without and one with the extension (and one with
 * the --compare extension), the order rotating so no variant always goes first. Exported for the
 * harness test.
 * @param {{ scenarios?: string[], sizes: number[], rounds: number, pxPerSec?: number, distancePx?: number, tailMs?: number, idleSeconds: number, idleSize: number, sampleIntervalUs?: number, start?: string, extensionDir: string, compareDir?: string | null, serverUrl: string, log?: (m: string) => void }} o
 */
export async function runBench({
  scenarios = ['bench'],
  sizes,
  rounds,
  pxPerSec,
  distancePx,
  tailMs = DEFAULTS.tailMs,
  idleSeconds,
  idleSize,
  sampleIntervalUs = DEFAULTS.sampleIntervalUs,
  start = DEFAULTS.start,
  extensionDir,
  sizeDir = extensionDir,
  compareDir = null,
  serverUrl,
  log = () => {},
}) {
  const runs = [];
  const variants = compareDir ? ['without', 'with', 'peer'] : ['without', 'with'];
  const dirOf = { without: null, with: extensionDir, peer: compareDir };
  const feeds = scenarios.flatMap((sc) => (sc === 'bench' ? sizes.map((posts) => ({ sc, posts })) : [{ sc, posts: null }]));
  let k = 0;
  for (let round = 0; round < rounds; round++) {
    for (const { sc, posts } of feeds) {
      const shift = k++ % variants.length;
      const order = [...variants.slice(shift), ...variants.slice(0, shift)];
      for (const variant of order) {
        const idle = round === 0 && sc === 'bench' && posts === idleSize && variant !== 'peer' ? idleSeconds : 0;
        const r = await measureRun({
          scenario: sc,
          variant,
          extensionDir: dirOf[variant],
          serverUrl,
          posts,
          pxPerSec,
          distancePx,
          tailMs,
          sampleIntervalUs,
          start,
          idleSeconds: idle,
        });
        r.round = round;
        runs.push(r);
        log(
          `round ${round + 1}/${rounds} · ${sc === 'bench' ? `${posts} posts` : sc} · ${variant.padEnd(7)} task ${r.scroll.taskMs} ms, script ${r.scroll.scriptMs} ms, style ${r.scroll.styleMs} ms (${r.scroll.styleRecalcs}), layout ${r.scroll.layoutMs} ms (${r.scroll.layouts}), ext ${variant === 'without' ? '–' : `${r.scroll.extThreadMs} ms thread (${r.scroll.extMs} profiler)`}, ${r.scroll.postsPassed} posts, ${r.frames.count} frames${r.errors.length ? `, errors: ${r.errors.join(' | ')}` : ''}`,
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
  const size = contentScriptSize(sizeDir);
  return {
    meta: {
      date: new Date().toISOString(),
      peer: compareDir ? describeExtension(compareDir) : null,
      params: {
        scenarios,
        sizes,
        rounds,
        pxPerSec: pxPerSec ?? 'per feed',
        distancePx: distancePx ?? 'per feed',
        tailMs,
        idleSeconds,
        idleSize,
        sampleIntervalUs,
        start,
        cadence: 'default settings (a pause about every 25 posts)',
      },
    },
    contentScript: size,
    /** The sizes are the store build's (the bench built one), else those of the build it ran. */
    sizesFrom: sizeDir === extensionDir ? 'the measured build' : 'the store build',
    summary,
    idle,
    budgets: budgets(summary, size, idle),
    runs,
  };
}

function report(result, out, args) {
  const m = result.meta;
  const mach = m.machine;
  const peerName = m.peer ? `${m.peer.name}${m.peer.version ? ` ${m.peer.version}` : ''}` : null;
  const pace =
    typeof m.params.pxPerSec === 'number'
      ? `${m.params.distancePx ?? '?'} px at ${m.params.pxPerSec} px/s`
      : 'bench.html 30,000 px at 6,000 px/s, the site-shaped feeds 24,000 px at 4,000 px/s';
  const head = `${mach.nproc} cores (${mach.cpu}), ${mach.memGiB} GiB RAM, ${mach.os}, ${mach.browser}, Node ${mach.node}; load average ${m.loadBefore.join(' / ')} (1/5/15 min) before, ${m.loadAfter.join(' / ')} after; ${m.params.rounds} rounds, medians, order rotating; scroll ${pace}; bench.html reader ${m.params.start === 'top' ? 'at the top of N pre-rendered posts' : 'deep in the feed (N posts above, more appended)'}${peerName ? `; peer: ${peerName} (${m.peer.dir})` : ''}; ${m.seconds} s in all.`;
  const sizes = result.contentScript.map((s) => `${s.file} (${s.role}): ${kb(s.rawBytes)} raw, **${kb(s.gzipBytes)} gzipped**`).join('; ');
  const idle = result.idle.with
    ? `Idle ${result.idle.with.seconds} s, ${m.params.idleSize.toLocaleString('en')}-post feed after scrolling${result.idle.with.frameInView ? ' (a frame in view)' : ''}: our code ${result.idle.with.extMs} ms (${result.idle.with.extSamples} samples); page task time ${result.idle.with.taskMs} ms with the extension, ${result.idle.without?.taskMs ?? '–'} ms without.`
    : '';
  const md = [
    `Measured ${m.date.slice(0, 10)} on ${head}`,
    '',
    ratioTable(result.summary, peerName),
    '',
    table(result.summary, peerName ?? 'peer'),
    '',
    "Where our code's time went while scrolling (the extension's calls, by call site in the bench's build):",
    '',
    callsTable(result.runs),
    '',
    `Content script (${result.sizesFrom ?? 'the measured build'}): ${sizes}.`,
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
