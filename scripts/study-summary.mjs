#!/usr/bin/env node
// npm run study:summary <export.zip | folder> [more …] [options]
//
// Merges participants' study exports into one analysis: a per-participant table, per-arm
// estimates with 95 % CIs, the pause effect from decision points (shown vs withheld, weighted
// and centred least squares with a participant-clustered bootstrap), attrition and compliance.
// Writes tidy CSV with Parquet beside it and a short Markdown report (docs/STUDY.md, section 8).
// Zips are read one at a time and checked before anything is inflated; repeated exports of a
// participant are de-duplicated (the latest is kept); a mix of studies or protocol versions is
// refused. Exit code 0: all files used; 1: some file refused, an allocation mismatch, or a mixed
// study; 2: wrong usage.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { StudyMergeError, loadAnalysis, summariseStudy } from './lib/study-merge.mjs';

const USAGE = `usage: npm run study:summary -- <export.zip | folder of zips> [more …]
  --out DIR              where to write the results (default: study-summary)
  --protocol FILE        the canonical protocol: recompute each allocation and flag exports that differ
  --seed N               bootstrap seed (default 1)          --bootstrap N   replicates (default 999)
  --controls log-before|none   control covariates of the estimator (default log-before)
  --offset-px N          c of the outcome on px/s (default 10)   --offset-posts N   on posts/min (default 1)
  --max-entry-mb N       largest file inside a zip, uncompressed (default 64)
  --max-total-mb N       largest zip, uncompressed (default 256)
  --memory-limit SIZE    DuckDB memory limit, e.g. 2GB (default: DuckDB's)
  --json                 print the results as JSON instead of the report`;

export function parseArgs(argv) {
  const o = { inputs: [], out: 'study-summary', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(next());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--out') o.out = next();
    else if (a === '--protocol') o.protocol = next();
    else if (a === '--seed') o.seed = number();
    else if (a === '--bootstrap') o.bootstrap = Math.round(number());
    else if (a === '--controls') {
      o.controls = next();
      if (!['log-before', 'none'].includes(o.controls)) throw new Error('--controls is log-before or none');
    } else if (a === '--offset-px') (o.outcome ??= {}).offsetPxS = number();
    else if (a === '--offset-posts') (o.outcome ??= {}).offsetPostsMin = number();
    else if (a === '--max-entry-mb') (o.limits ??= {}).maxEntryBytes = number() * 2 ** 20;
    else if (a === '--max-total-mb') (o.limits ??= {}).maxTotalBytes = number() * 2 ** 20;
    else if (a === '--memory-limit') o.memoryLimit = next();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.inputs.push(a);
  }
  return o;
}

async function main(argv) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (!o.inputs.length) {
    console.error(USAGE);
    return 2;
  }
  const A = await loadAnalysis();
  if (o.protocol) {
    let text;
    try {
      text = readFileSync(o.protocol, 'utf8');
    } catch (err) {
      console.error(`--protocol ${o.protocol}: cannot be read (${err.code ?? err.message})`);
      return 2;
    }
    const res = A.validateProtocol(text);
    if (!res.ok) {
      console.error(`--protocol ${o.protocol} is not a valid protocol:\n${res.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
      return 2;
    }
    o.canonical = { protocol: res.protocol, json: JSON.parse(text) };
  }
  let r;
  try {
    r = await summariseStudy({ ...o, analysis: A, log: o.json ? () => {} : (m) => console.error(m) });
  } catch (err) {
    if (err instanceof StudyMergeError) {
      console.error(`✘ ${err.message}`);
      return 1;
    }
    throw err;
  }
  const md = r.report;
  const refused = r.files.filter((f) => f.status === 'refused');
  const badAllocation = r.allocation.filter((a) => !a.ok);
  if (o.json) {
    const { clusters, report, ...rest } = r;
    console.log(JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2));
  } else {
    console.log(md);
    for (const f of refused) console.error(`✘ ${f.file}: ${f.problems.join('; ')}`);
    for (const a of badAllocation) console.error(`✘ allocation of ${a.participantId}: ${a.problems.join('; ')}`);
    console.error(`Wrote ${o.out}/ (report.md, CSV and Parquet) in ${(r.timing.totalMs / 1000).toFixed(1)} s.`);
  }
  return refused.length || badAllocation.length ? 1 : 0;
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
