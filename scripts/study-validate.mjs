#!/usr/bin/env node
// npm run study:validate <protocol.json> [more.json …] [--json]
//
// Checks a study protocol with the very schema the extension uses (utils/study/protocol.ts,
// bundled on the fly with esbuild), and prints every problem as "field: reason". Exit code 0
// when all files are valid, 1 when any is not, 2 on wrong usage.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

export { importTs };

function pct(w, total) {
  return `${Math.round((w / total) * 1000) / 10}%`;
}

function describeProtocol(p) {
  const total = p.arms.reduce((s, a) => s + a.weight, 0);
  const arms = p.arms
    .map((a) => {
      const what = a.frames === false ? 'no frames' : a.cadence?.everyPosts !== undefined ? `every ${a.cadence.everyPosts} posts` : 'participant\u2019s cadence';
      return `    ${a.id.padEnd(16)} ${pct(a.weight, total).padStart(6)}  ${what}`;
    })
    .join('\n');
  const lines = [
    `  study     ${p.studyId} (version ${p.version}, format ${p.format})`,
    `  title     ${p.title.en}`,
    `  duration  ${p.durationDays} days`,
    `  arms      ${p.arms.length} (stable hash of participant id + study id → weighted arm)`,
    arms,
    `  measures  ${p.measures.join(', ')}`,
    p.experienceSampling
      ? `  question  "${p.experienceSampling.question.en}" ${p.experienceSampling.min}–${p.experienceSampling.max} on ${pct(p.experienceSampling.probability, 1)} of frames`
      : `  question  none`,
    `  velocity  ${p.velocityWindowSeconds} s windows before and after each frame`,
    `  endpoint  ${p.endpoint ?? 'none (participants export a zip and send it themselves)'}`,
  ];
  return lines.join('\n');
}

async function main(argv) {
  const json = argv.includes('--json');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    console.error('usage: npm run study:validate <protocol.json> [more.json …] [--json]');
    return 2;
  }
  const { validateProtocol } = await importTs('utils/study/protocol.ts');
  let bad = 0;
  const results = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      results.push({ file, ok: false, errors: [{ path: '(file)', message: `cannot be read: ${err.code ?? err.message}` }] });
      bad++;
      continue;
    }
    const res = validateProtocol(text);
    results.push({ file, ...res });
    if (!res.ok) bad++;
  }
  if (json) {
    console.log(JSON.stringify(results, null, 2));
    return bad ? 1 : 0;
  }
  for (const r of results) {
    const name = relative(process.cwd(), r.file) || r.file;
    if (r.ok) {
      console.log(`✔ ${name}: valid`);
      console.log(describeProtocol(r.protocol));
    } else {
      console.log(`✘ ${name}: ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}`);
      for (const e of r.errors) console.log(`    ${e.path}: ${e.message}`);
    }
  }
  return bad ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
