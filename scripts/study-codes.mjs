#!/usr/bin/env node
// npm run study:codes -- <protocol.json> --n 60 [--block 6] [--strata young,old] [--seed 42] [--out codes]
//
// Makes a researcher's allocation list: enrolment codes in permuted blocks over the protocol's
// arms (in proportion to their weights), per stratum. Writes
//   <out>.csv            code, arm, stratum, block — KEEP PRIVATE: it reveals every allocation
//   <out>.protocol.json  the protocol with randomisation { method: "list", list: [...] } and
//                        enrolment { codes: "required" }; the list holds only SHA-256 hashes of
//                        "studyId:CODE", so the protocol file participants get reveals no codes.
// Give each participant their code (e.g. at the end of a screening survey, by stratum). The same
// seed gives the same list, so the list itself can be pre-registered by its seed.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { importTs } from './study-validate.mjs';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function arg(argv, name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

/** One block: each arm as often as its weight allows in `size` slots (weights must divide evenly), shuffled. */
export function block(arms, size, rng) {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  const slots = [];
  for (const a of arms) {
    const k = (size * a.weight) / total;
    if (!Number.isInteger(k)) throw new Error(`block size ${size} cannot hold the arms in proportion to their weights (arm ${a.id} would get ${k})`);
    for (let i = 0; i < k; i++) slots.push(a.id);
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

export function code(rng, length = 8) {
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[Math.floor(rng() * 32)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

async function main(argv) {
  const file = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1]?.startsWith('--') !== true);
  if (!file) {
    console.error('usage: npm run study:codes -- <protocol.json> --n <codes per stratum> [--block <size>] [--strata a,b] [--seed <n>] [--out <prefix>]');
    return 2;
  }
  const { validateProtocol } = await importTs('utils/study/protocol.ts');
  const { codeSha256 } = await importTs('utils/study/allocation.ts');
  // The extension's own seeded generator: the list must be reproducible from its seed.
  const { mulberry32 } = await importTs('utils/frames/rng.ts');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const checked = validateProtocol({ ...raw, randomisation: { method: 'stable-hash' }, enrolment: { ...(raw.enrolment ?? {}), codes: 'optional' } });
  if (!checked.ok) {
    for (const e of checked.errors) console.error(`${e.path}: ${e.message}`);
    return 1;
  }
  const p = checked.protocol;
  const n = Number(arg(argv, 'n', '0'));
  const size = Number(arg(argv, 'block', String(p.arms.length)));
  const strata = arg(argv, 'strata', '').split(',').filter(Boolean);
  const seed = Number(arg(argv, 'seed', String(Math.floor(Math.random() * 2 ** 31))));
  const out = arg(argv, 'out', `${p.studyId}-codes`);
  if (!(n > 0)) {
    console.error('--n must be a positive number of codes (per stratum)');
    return 2;
  }
  const rng = mulberry32(seed);
  const rows = [];
  const seen = new Set();
  for (const stratum of strata.length ? strata : [null]) {
    let made = 0;
    for (let b = 0; made < n; b++) {
      for (const arm of block(p.arms, size, rng)) {
        if (made >= n) break;
        made++;
        let c;
        do c = code(rng);
        while (seen.has(c));
        seen.add(c);
        rows.push({ code: c, arm, stratum, block: b });
      }
    }
  }
  const list = [];
  for (const r of rows)
    list.push({ codeSha256: await codeSha256(p.studyId, r.code), arm: r.arm, ...(r.stratum ? { stratum: r.stratum } : {}), block: r.block });
  writeFileSync(`${out}.csv`, ['code,arm,stratum,block', ...rows.map((r) => `${r.code},${r.arm},${r.stratum ?? ''},${r.block}`)].join('\n') + '\n');
  const next = { ...raw, randomisation: { method: 'list', list }, enrolment: { ...(raw.enrolment ?? {}), codes: 'required' } };
  writeFileSync(`${out}.protocol.json`, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`${rows.length} codes (seed ${seed}, blocks of ${size}${strata.length ? `, strata ${strata.join(', ')}` : ''})`);
  console.log(`  ${out}.csv            codes and arms — keep private`);
  console.log(`  ${out}.protocol.json  the protocol with the hashed list; validate it with npm run study:validate`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (c) => process.exit(c),
    (err) => {
      console.error(err.message ?? err);
      process.exit(2);
    },
  );
}
