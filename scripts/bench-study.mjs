#!/usr/bin/env node
// npm run bench:study: does `study:summary` scale past a lab study? Generates a synthetic study
// (default 10,000 participants, each an export zip with sessions, posts per minute and decision
// points from the simulated scrolling in utils/study/analysis/simulate.ts), then merges it with
// study:summary's own code in a fresh Node process and prints the merge time and that process's
// peak memory (resident set, which includes DuckDB's native memory).
//
//   npm run bench:study                                  10,000 participants, 60 decision points each
//   npm run bench:study -- --participants 2000 --decisions 30 --bootstrap 199
//   options: --dir DIR (where the zips go; default a temporary folder, removed after)
//            --out DIR (summary output; default inside the temporary folder)  --keep
//            --memory-limit SIZE (passed to DuckDB)  --seed N
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

function parseArgs(argv) {
  const o = { participants: 10_000, decisions: 60, bootstrap: 999, seed: 1, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--participants') o.participants = Number(next());
    else if (a === '--decisions') o.decisions = Number(next());
    else if (a === '--bootstrap') o.bootstrap = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--dir') o.dir = next();
    else if (a === '--out') o.out = next();
    else if (a === '--memory-limit') o.memoryLimit = next();
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Writes the synthetic study's zips: three arms (p_show 0, 0.5, 1), a true effect of −0.2. */
export async function generate(dir, { participants, decisions, seed }) {
  const S = await importTs('scripts/bench/study-synth.ts');
  mkdirSync(dir, { recursive: true });
  const study = {
    studyId: 'bench-study',
    version: '1',
    durationDays: 14,
    arms: [
      { id: 'control', weight: 1, frames: false },
      { id: 'mrt', weight: 1 },
      { id: 'every', weight: 1 },
    ],
  };
  const arms = [
    { id: 'control', p: 0, participants: 0 },
    { id: 'mrt', p: 0.5, participants: 0 },
    { id: 'every', p: 1, participants: 0 },
  ];
  let bytes = 0;
  for (let i = 0; i < participants; i++) {
    const arm = arms[i % 3];
    const p = S.simulateParticipant(seed, i, () => arm, { effect: -0.2, decisions });
    const zip = S.zipFiles(S.syntheticExportFiles(study, p));
    bytes += zip.length;
    writeFileSync(join(dir, `stillframe-study-bench-${p.participantId}.zip`), zip);
  }
  return bytes;
}

async function main(argv) {
  const o = parseArgs(argv);
  const root = mkdtempSync(join(tmpdir(), 'stillframe-bench-study-'));
  const dir = o.dir ?? join(root, 'zips');
  const out = o.out ?? join(root, 'summary');
  try {
    const existing = (() => {
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.zip')).length;
      } catch {
        return 0;
      }
    })();
    const t = Date.now();
    if (existing !== o.participants) {
      console.log(`Generating ${o.participants.toLocaleString('en')} participants' zips (${o.decisions} decision points each) in ${dir} …`);
      const bytes = await generate(dir, o);
      console.log(`  ${(bytes / 2 ** 20).toFixed(1)} MB of zips in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } else console.log(`Using the ${existing} zips already in ${dir}`);
    console.log('Merging with study:summary in a fresh process …');
    const child = fileURLToPath(new URL('./bench/study-merge-child.mjs', import.meta.url));
    const res = spawnSync(process.execPath, [child, JSON.stringify({ inputs: [dir], out, bootstrap: o.bootstrap, seed: o.seed, memoryLimit: o.memoryLimit })], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (res.status !== 0) throw new Error(`the merge failed (exit ${res.status})`);
    const m = JSON.parse(res.stdout.trim().split('\n').pop());
    const outBytes = readdirSync(out).reduce((s, f) => s + (statSync(join(out, f)).isFile() ? statSync(join(out, f)).size : 0), 0);
    console.log('');
    console.log(`participants       ${m.participants.toLocaleString('en')} (${m.files} files)`);
    console.log(`decision points    ${m.decisionPoints.toLocaleString('en')}`);
    const ph = Object.entries(m.phases)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ');
    console.log(`merge time         ${(m.totalMs / 1000).toFixed(1)} s (${ph})`);
    console.log(
      `machine            ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} after the merge`,
    );
    console.log(`peak memory        ${m.maxRssMb.toFixed(0)} MB resident (Node heap peak ${m.heapMb.toFixed(0)} MB)`);
    console.log(
      `pause effect       ${m.effect.estimate?.toFixed(3)} [${m.effect.ci_low?.toFixed(3)}, ${m.effect.ci_high?.toFixed(3)}] (simulated truth −0.2 while scrolling; ${o.bootstrap} bootstrap replicates)`,
    );
    console.log(`output             ${(outBytes / 2 ** 20).toFixed(1)} MB of CSV/Parquet in ${out}`);
    return 0;
  } finally {
    // --keep keeps what is in the temporary folder; an empty one (--dir and --out given) goes.
    if (!o.keep || readdirSync(root).length === 0) rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (c) => process.exit(c),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
