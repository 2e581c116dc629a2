#!/usr/bin/env node
// npm run study:summary <export.zip | folder> [more …] [--json]
//
// Sanity-checks participants' study exports and prints per-arm figures: participants, frames
// shown and seen, mean time in view, survey answers, and the pause effect (mean slow-down of
// scrolling after a frame compared with before it). Also checks each zip against its own data
// dictionary. Exit code 0 if every file could be read and checked, 1 otherwise.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';

/** RFC 4180 CSV → rows keyed by the header (the export's own format). */
export function parseCsv(text) {
  const records = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    records.push(row);
  }
  const [head, ...body] = records;
  return { header: head ?? [], rows: body.map((r) => Object.fromEntries((head ?? []).map((h, i) => [h, r[i] ?? '']))) };
}

const num = (s) => (s === '' || s === undefined ? null : Number(s));
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function median(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (x, digits = 1) => (x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));

/** Reads one export zip: tables, dictionary check, participant. */
export function readExport(bytes, name = 'export.zip') {
  const files = unzipSync(bytes);
  const text = (p) => (files[p] ? strFromU8(files[p]) : null);
  const problems = [];
  const dict = text('data-dictionary.csv');
  if (!dict) problems.push('data-dictionary.csv is missing');
  if (!text('protocol.json')) problems.push('protocol.json is missing');
  const dictRows = dict ? parseCsv(dict).rows : [];
  const tables = {};
  for (const t of [...new Set(dictRows.map((r) => r.table))]) {
    const csv = text(`csv/${t}.csv`);
    const jsonl = text(`jsonl/${t}.jsonl`);
    if (csv === null) {
      problems.push(`csv/${t}.csv is missing`);
      continue;
    }
    const parsed = parseCsv(csv);
    const expected = dictRows.filter((r) => r.table === t && r.column !== '').map((r) => r.column);
    if (parsed.header.join(',') !== expected.join(',')) problems.push(`csv/${t}.csv columns differ from the data dictionary`);
    if (jsonl === null) problems.push(`jsonl/${t}.jsonl is missing`);
    else if (jsonl.split('\n').filter(Boolean).length !== parsed.rows.length) problems.push(`jsonl/${t}.jsonl has a different number of rows than csv/${t}.csv`);
    tables[t] = parsed.rows;
  }
  const participant = tables.participant?.[0];
  if (!participant) problems.push('no participant row');
  for (const [t, rows] of Object.entries(tables)) {
    for (const r of rows) {
      if (participant && (r.participant_id !== participant.participant_id || r.arm !== participant.arm)) {
        problems.push(`${t}: rows of another participant or arm`);
        break;
      }
    }
  }
  return { name, participant, tables, problems };
}

/** Per-arm figures over any number of exports. */
export function summarise(exports) {
  const arms = new Map();
  for (const e of exports) {
    if (!e.participant) continue;
    const arm = e.participant.arm;
    if (!arms.has(arm)) arms.set(arm, { arm, participants: new Set(), studies: new Set(), shown: 0, seen: 0, visible: [], actions: {}, slowdowns: [], beforePx: [], afterPx: [], answers: [], offered: 0, sessions: 0, posts: 0 });
    const a = arms.get(arm);
    a.participants.add(e.participant.participant_id);
    a.studies.add(e.participant.study_id);
    for (const r of e.tables.impressions ?? []) {
      a.shown++;
      if (r.first_visible_at) a.seen++;
      if (num(r.visible_ms) !== null) a.visible.push(num(r.visible_ms) / 1000);
      a.actions[r.action || 'none'] = (a.actions[r.action || 'none'] ?? 0) + 1;
      if (r.survey_offered === 'true') a.offered++;
    }
    for (const r of e.tables.scroll_velocity ?? []) {
      if (num(r.slowdown_pct) !== null) a.slowdowns.push(num(r.slowdown_pct));
      a.beforePx.push(num(r.before_px_per_s) ?? 0);
      a.afterPx.push(num(r.after_px_per_s) ?? 0);
    }
    for (const r of e.tables.survey ?? []) if (num(r.answer) !== null) a.answers.push(num(r.answer));
    a.sessions += (e.tables.sessions ?? []).length;
    for (const r of e.tables.posts_per_minute ?? []) a.posts += num(r.posts) ?? 0;
  }
  return [...arms.values()]
    .sort((x, y) => x.arm.localeCompare(y.arm))
    .map((a) => ({
      arm: a.arm,
      studies: [...a.studies],
      participants: a.participants.size,
      sessions: a.sessions,
      posts: a.posts,
      pausesShown: a.shown,
      pausesSeen: a.seen,
      meanVisibleS: mean(a.visible),
      actions: a.actions,
      pausesWithVelocity: a.beforePx.length,
      meanBeforePxPerS: mean(a.beforePx),
      meanAfterPxPerS: mean(a.afterPx),
      meanSlowdownPct: mean(a.slowdowns),
      medianSlowdownPct: median(a.slowdowns),
      surveyOffered: a.offered,
      surveyAnswers: a.answers.length,
      meanAnswer: mean(a.answers),
    }));
}

function table(rows) {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (r) => cols.map((c, i) => String(r[c]).padEnd(width[i])).join('  ');
  return [line(Object.fromEntries(cols.map((c) => [c, c]))), line(Object.fromEntries(cols.map((c, i) => [c, '-'.repeat(width[i])]))), ...rows.map(line)].join('\n');
}

function expand(paths) {
  const out = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.zip')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

async function main(argv) {
  const json = argv.includes('--json');
  const inputs = argv.filter((a) => !a.startsWith('--'));
  if (!inputs.length) {
    console.error('usage: npm run study:summary <export.zip | folder of zips> [more …] [--json]');
    return 2;
  }
  let failed = 0;
  const exports = [];
  for (const file of expand(inputs)) {
    try {
      const e = readExport(new Uint8Array(readFileSync(file)), basename(file));
      exports.push(e);
      if (e.problems.length) failed++;
    } catch (err) {
      failed++;
      exports.push({ name: basename(file), participant: null, tables: {}, problems: [`cannot be read as a Stillframe export: ${err.message}`] });
    }
  }
  const perArm = summarise(exports);
  if (json) {
    console.log(JSON.stringify({ files: exports.map((e) => ({ file: e.name, participant: e.participant ?? null, rows: Object.fromEntries(Object.entries(e.tables).map(([t, r]) => [t, r.length])), problems: e.problems })), perArm }, null, 2));
    return failed ? 1 : 0;
  }
  console.log('Files');
  for (const e of exports) {
    const p = e.participant;
    const rows = Object.entries(e.tables)
      .filter(([t]) => t !== 'participant')
      .map(([t, r]) => `${t} ${r.length}`)
      .join(', ');
    console.log(`  ${e.problems.length ? '✘' : '✔'} ${e.name}`);
    if (p) console.log(`      ${p.participant_id} · study ${p.study_id} v${p.protocol_version} · arm ${p.arm} · ${p.started_at.slice(0, 10)} → ${p.ends_at.slice(0, 10)} · Stillframe ${p.extension_version}`);
    if (rows) console.log(`      rows: ${rows}`);
    for (const pr of e.problems) console.log(`      problem: ${pr}`);
  }
  if (perArm.length) {
    console.log('\nPer arm');
    console.log(
      table(
        perArm.map((a) => ({
          arm: a.arm,
          participants: a.participants,
          sessions: a.sessions,
          posts: a.posts,
          'pauses shown': a.pausesShown,
          'pauses seen': a.pausesSeen,
          'mean in view s': fmt(a.meanVisibleS),
          'with velocity': a.pausesWithVelocity,
          'px/s before': fmt(a.meanBeforePxPerS, 0),
          'px/s after': fmt(a.meanAfterPxPerS, 0),
          'mean slow-down %': fmt(a.meanSlowdownPct),
          'median slow-down %': fmt(a.medianSlowdownPct),
          answers: a.surveyAnswers,
          'mean answer': fmt(a.meanAnswer, 2),
        })),
      ),
    );
    console.log('\nslow-down % = (speed before a frame − speed after) / speed before × 100, per frame (px/s where the page scrolls, else posts/min); see data-dictionary.csv.');
  }
  return failed ? 1 : 0;
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
