#!/usr/bin/env node
// npm run study:validate <protocol.json> [more.json …] [--json]
//
// Checks a study protocol with the very schema the extension uses (utils/study/protocol.ts,
// bundled on the fly with esbuild), and prints every problem as "field: reason", then any
// warnings (a protocol that works but probably does not do what was meant). Exit code 0 when
// all files are valid (warnings or not), 1 when any is not, 2 on wrong usage.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importTs } from './lib/import-ts.mjs';

export { importTs };

function pct(w, total) {
  return `${Math.round((w / total) * 1000) / 10}%`;
}

function describeProtocol(p, { armPShow, decisionCadence }) {
  const total = p.arms.reduce((s, a) => s + a.weight, 0);
  const arms = p.arms
    .map((a) => {
      const when = decisionCadence(p, a);
      const every = when.everyPosts > 0 ? `every ~${when.everyPosts} posts` : `every ${when.everyMinutes} min`;
      const what = a.frames === false ? `no frames (decision points ${every})` : `${every}, p_show ${armPShow(a)}`;
      return `    ${a.id.padEnd(16)} ${pct(a.weight, total).padStart(6)}  ${what}`;
    })
    .join('\n');
  const es = p.experienceSampling;
  const sched = es?.schedule;
  const asked = es
    ? [
        es.probability !== undefined ? `${pct(es.probability, 1)} of shown frames` : null,
        sched?.everyPosts ? `every ${sched.everyPosts} posts` : null,
        sched?.everyMinutes ? `every ${sched.everyMinutes} min` : null,
        sched?.atDecisionPoints ? `${pct(sched.atDecisionPoints, 1)} of decision points` : null,
        sched?.maxPerDay ? `at most ${sched.maxPerDay} a day` : null,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const r = p.randomisation;
  const lines = [
    `  study     ${p.studyId} (version ${p.version}, format ${p.format})`,
    `  title     ${p.title.en}`,
    `  duration  ${p.durationDays} days`,
    `  arms      ${p.arms.length}, ${r.method === 'list' ? `allocation list of ${r.list.length} codes` : `stable hash (seed "${r.seed ?? p.studyId}") of ${p.enrolment.codes === 'none' ? 'participant id' : 'enrolment code, else participant id'}`}`,
    arms,
    `  dose      cadence ${p.lock.cadence ? 'fixed by the protocol' : 'participant\u2019s, with the arm on top'}; quiet hours ${p.lock.schedule ? 'fixed by the protocol' : 'participant\u2019s'}`,
    `  codes     ${p.enrolment.codes}`,
    `  measures  ${p.measures.join(', ')}`,
    es ? `  question  "${es.question.en}" ${es.min}–${es.max}: ${asked}` : `  question  none`,
    `  windows   ${p.velocityWindowSeconds} s before and after each decision point`,
    `  ethics    ${p.ethics ? `${p.ethics.board} · ${p.ethics.reference} (minimum age ${p.ethics.minimumAge})` : 'none'}`,
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
  const mod = await importTs('utils/study/protocol.ts');
  const { validateProtocol } = mod;
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
      console.log(describeProtocol(r.protocol, mod));
    } else {
      console.log(`✘ ${name}: ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}`);
      for (const e of r.errors) console.log(`    ${e.path}: ${e.message}`);
    }
    // Warnings: the protocol works, but probably does not do what was meant.
    if (r.warnings?.length) {
      console.log(`  ⚠ ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}:`);
      for (const w of r.warnings) console.log(`    ${w.path}: ${w.message}`);
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
