// The merge behind `npm run study:summary`: reads participants' export zips one at a time
// (checked by the safe zip reader before anything is inflated), streams their tables into
// temporary CSV files, loads those into an embedded DuckDB database, de-duplicates repeated
// exports, and refuses a mix of studies or protocol versions. The analysis module
// (utils/study/analysis, bundled with esbuild) supplies the zip reader, the CSV parser, the
// outcome and the estimator, so the numbers here are the numbers Insights computes.
import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { importTs } from './import-ts.mjs';
import { reportMarkdown } from './study-report.mjs';

export const loadAnalysis = () => importTs('utils/study/analysis/index.ts');

const SQL_TYPES = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', datetime: 'TIMESTAMPTZ', boolean: 'BOOLEAN' };
const q = (name) => `"${String(name).replace(/"/g, '""')}"`;
const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

export class StudyMergeError extends Error {}

/** Every .zip named, or inside a named folder (not recursive), in a stable order. */
export function expandInputs(paths) {
  const out = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.toLowerCase().endsWith('.zip')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/** Positional reads from a file: only the central directory and one entry at a time are in memory. */
function fileSource(fd) {
  return {
    size: fstatSync(fd).size,
    read(offset, length) {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return new Uint8Array(buf.buffer, buf.byteOffset, got);
    },
  };
}

/** RFC 4180 cell for the temporary files DuckDB reads (values are kept exactly as exported). */
function cell(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Appends to temporary CSV files, one per table and column layout. One export's rows are staged
 * and written only once the whole export passed its checks (commit), so a refused file never
 * reaches the database.
 */
class TableSink {
  constructor(dir) {
    this.dir = dir;
    this.files = new Map();
    this.types = new Map();
    this.staged = [];
  }
  write(fileId, t) {
    const lines = t.rows.map((r) => `${fileId},${t.columns.map((c) => cell(r[c])).join(',')}\n`);
    this.staged.push({ t, lines });
  }
  rollback() {
    this.staged = [];
  }
  commit() {
    for (const { t, lines } of this.staged) {
      const key = `${t.table}\u0000${t.columns.join(',')}`;
      let f = this.files.get(key);
      if (!f) {
        const path = join(this.dir, `${t.table}.${this.files.size}.csv`);
        f = { table: t.table, path, fd: openSync(path, 'w'), buf: [], size: 0 };
        this.files.set(key, f);
        this.push(f, `file_id,${t.columns.join(',')}\n`);
      }
      const types = this.types.get(t.table) ?? new Map();
      t.columns.forEach((c, i) => {
        const prev = types.get(c);
        types.set(c, prev && prev !== t.types[i] ? 'string' : t.types[i]);
      });
      this.types.set(t.table, types);
      for (const line of lines) this.push(f, line);
    }
    this.staged = [];
  }
  push(f, line) {
    f.buf.push(line);
    f.size += line.length;
    if (f.size > 1 << 20) this.flush(f);
  }
  flush(f) {
    if (f.buf.length) writeSync(f.fd, f.buf.join(''));
    f.buf = [];
    f.size = 0;
  }
  close() {
    for (const f of this.files.values()) {
      this.flush(f);
      closeSync(f.fd);
    }
  }
  tables() {
    const out = new Map();
    for (const f of this.files.values()) out.set(f.table, [...(out.get(f.table) ?? []), f.path]);
    return [...out.entries()].map(([table, paths]) => ({ table, paths, types: this.types.get(table) }));
  }
}

/** The protocol's content as a stable digest (key order and whitespace do not matter). */
function protocolDigest(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return `text:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  }
  const canon = (v) =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(value)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Reads every file into temporary CSVs and returns what each one was. Never throws for a bad
 * file: it is recorded as refused with the reason.
 */
export async function readAll(A, files, { tmp, limits, canonical, log = () => {} }) {
  const sink = new TableSink(tmp);
  const metas = [];
  const allocation = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const meta = { file_id: i + 1, file, status: 'used', superseded_by: '', problems: [], rows: 0 };
    let fd;
    try {
      fd = openSync(file, 'r');
      const zip = await A.SafeZip.open(fileSource(fd), limits);
      const info = await A.readStudyExport(zip, (t) => sink.write(meta.file_id, t));
      Object.assign(meta, {
        participant_id: info.participantId,
        study_id: info.studyId,
        protocol_version: info.protocolVersion,
        protocol_hash: info.protocolHash,
        protocol_digest: protocolDigest(info.protocolText),
        arm: info.arm,
        status_in_study: info.participant?.status ?? '',
        exported_at: info.exportedAt,
        latest_ts: info.latestTs,
        rows: Object.values(info.rows).reduce((s, n) => s + n, 0),
        duration_days: durationOf(info),
        window_s: protocolField(info.protocolText, 'velocityWindowSeconds'),
      });
      meta.problems.push(...info.problems);
      if (canonical && info.participant) {
        const check = await A.checkAllocation(canonical.protocol, canonical.json, info.participant, info.protocolText);
        allocation.push({ file_id: meta.file_id, ...check });
      }
    } catch (err) {
      meta.problems.push(err?.name === 'UnsafeZipError' ? `refused: ${err.message}` : `cannot be read as a Stillframe export: ${err?.message ?? err}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (meta.problems.length) {
      meta.status = 'refused';
      sink.rollback();
    } else sink.commit();
    metas.push(meta);
    if ((i + 1) % 1000 === 0) log(`  read ${i + 1} of ${files.length} files`);
  }
  sink.close();
  return { metas, tables: sink.tables(), allocation };
}

function protocolField(text, key) {
  try {
    const v = JSON.parse(text)[key];
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function durationOf(info) {
  const fromRow = Number(info.participant?.duration_days);
  if (Number.isFinite(fromRow) && fromRow > 0) return fromRow;
  try {
    const d = JSON.parse(info.protocolText).durationDays;
    return Number.isFinite(d) ? d : null;
  } catch {
    return null;
  }
}

/** Refuses a mix of studies, protocol versions or protocol texts among the readable files. */
export function checkOneStudy(metas) {
  const groups = new Map();
  for (const m of metas.filter((x) => x.status !== 'refused')) {
    const key = `${m.study_id}\u0000${m.protocol_version}\u0000${m.protocol_hash || m.protocol_digest}`;
    const g = groups.get(key) ?? { study_id: m.study_id, protocol_version: m.protocol_version, protocol: m.protocol_hash || m.protocol_digest, files: [] };
    g.files.push(m.file);
    groups.set(key, g);
  }
  if (groups.size <= 1) return;
  const lines = [...groups.values()].map(
    (g) =>
      `  study ${g.study_id} · protocol version ${g.protocol_version} · protocol ${g.protocol}: ${g.files.length} file${g.files.length === 1 ? '' : 's'} (e.g. ${basename(g.files[0])})`,
  );
  throw new StudyMergeError(
    `These exports belong to more than one study, protocol version or protocol text, and are not merged together:\n${lines.join('\n')}\n` +
      'Put each study and protocol version in its own folder and summarise them separately; compare them in your own analysis if the protocols allow it.',
  );
}

/** Keeps the latest export of each participant; earlier ones are marked superseded. */
export function deduplicate(metas) {
  const by = new Map();
  for (const m of metas.filter((x) => x.status !== 'refused')) by.set(m.participant_id, [...(by.get(m.participant_id) ?? []), m]);
  const rank = (a, b) =>
    (b.exported_at || '').localeCompare(a.exported_at || '') ||
    (b.latest_ts || '').localeCompare(a.latest_ts || '') ||
    b.rows - a.rows ||
    b.file.localeCompare(a.file);
  for (const list of by.values()) {
    list.sort(rank);
    const [keep, ...older] = list;
    keep.exports = list.length;
    for (const o of older) {
      o.status = 'superseded';
      o.superseded_by = keep.file;
      o.exports = list.length;
    }
    if (new Set(list.map((m) => m.arm)).size > 1)
      keep.problems.push(`exports of this participant disagree on the arm (${[...new Set(list.map((m) => m.arm))].join(', ')})`);
  }
}

// ---------------------------------------------------------------------------------------------
// DuckDB

export async function openDb(path) {
  let duck;
  try {
    duck = await import('@duckdb/node-api');
  } catch (err) {
    throw new StudyMergeError(`DuckDB's Node package (@duckdb/node-api) is not installed: run npm install. (${err.message})`);
  }
  const inst = await duck.DuckDBInstance.create(path);
  const conn = await inst.connect();
  await conn.run("SET TimeZone = 'UTC'");
  return { duck, inst, conn };
}

async function rows(conn, sql) {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS();
}

/** Loads each table's temporary CSVs into DuckDB, keeping only the rows of used files. */
async function loadTables(conn, tables, metas) {
  await conn.run('CREATE TABLE files (file_id INTEGER, file VARCHAR, status VARCHAR, participant_id VARCHAR, exports INTEGER)');
  const app = await conn.createAppender('files');
  for (const m of metas) {
    app.appendInteger(m.file_id);
    app.appendVarchar(m.file);
    app.appendVarchar(m.status);
    if (m.participant_id) app.appendVarchar(m.participant_id);
    else app.appendNull();
    app.appendInteger(m.exports ?? 0);
    app.endRow();
  }
  app.closeSync();
  const loaded = {};
  for (const t of tables) {
    const types = { file_id: 'INTEGER', ...Object.fromEntries([...t.types.entries()].map(([c, ty]) => [c, SQL_TYPES[ty] ?? 'VARCHAR'])) };
    const typeSql = `{${Object.entries(types)
      .map(([c, ty]) => `${lit(c)}: ${lit(ty)}`)
      .join(', ')}}`;
    try {
      await conn.run(
        `CREATE TABLE ${q(t.table)} AS SELECT * FROM read_csv([${t.paths.map(lit).join(', ')}], header = true, union_by_name = true, delim = ',', quote = '"', escape = '"', auto_detect = false, types = ${typeSql}) WHERE file_id IN (SELECT file_id FROM files WHERE status = 'used')`,
      );
    } catch (err) {
      throw new StudyMergeError(`the ${t.table} tables of the exports could not be merged: ${err.message}`);
    }
    loaded[t.table] = new Set(['file_id', ...t.types.keys()]);
  }
  return loaded;
}

/** Writes a query (or table) as CSV and Parquet side by side. */
async function writeOut(conn, select, dir, name) {
  const base = join(dir, name);
  await conn.run(`COPY (${select}) TO ${lit(`${base}.csv`)} (FORMAT CSV, HEADER, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%gZ')`);
  await conn.run(`COPY (${select}) TO ${lit(`${base}.parquet`)} (FORMAT PARQUET)`);
}

/** A table of plain JS objects into DuckDB (for results computed in JS), columns typed by `schema`. */
async function objectsTable(conn, name, schema, list) {
  await conn.run(
    `CREATE OR REPLACE TABLE ${q(name)} (${Object.entries(schema)
      .map(([c, t]) => `${q(c)} ${t}`)
      .join(', ')})`,
  );
  const app = await conn.createAppender(name);
  for (const o of list) {
    for (const [c, t] of Object.entries(schema)) {
      const v = o[c];
      // Empty text and non-finite numbers are "not applicable": NULL, so R and pandas read NA.
      if (v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) app.appendNull();
      else if (t === 'DOUBLE') app.appendDouble(Number(v));
      else if (t === 'BIGINT') app.appendBigInt(BigInt(Math.round(Number(v))));
      else if (t === 'BOOLEAN') app.appendBoolean(!!v);
      else app.appendVarchar(String(v));
    }
    app.endRow();
  }
  app.closeSync();
}

// ---------------------------------------------------------------------------------------------
// The analysis

const DECISION_COLUMNS = [
  'participant_id',
  'arm',
  'decision_id',
  'session_id',
  'ts',
  'p_show',
  'shown',
  'available',
  'censored',
  'overlaps_previous',
  'survey_offered',
  'after_ms',
  'velocity_before_px_s',
  'velocity_after_px_s',
  'posts_per_min_before',
  'posts_per_min_after',
];

/**
 * Streams decision points out of DuckDB in participant order, computes each outcome with the
 * analysis module, and builds the estimator's per-participant sums. Writes the outcomes to a
 * temporary CSV so they can be joined back for the analysis dataset.
 */
async function estimate(A, conn, has, o) {
  const acc = {
    wcls: new A.ClusterAccumulator('wcls'),
    wclsNoOverlap: new A.ClusterAccumulator('wcls'),
    wclsNoControls: new A.ClusterAccumulator('wcls'),
    wclsNoSurvey: has('decisions', 'survey_offered') ? new A.ClusterAccumulator('wcls') : null,
    arms: new A.ClusterAccumulator('equal'),
    naive: new A.ClusterAccumulator('equal'),
  };
  const outPath = join(o.tmp, 'outcomes.csv');
  const fd = openSync(outPath, 'w');
  writeSync(fd, 'file_id,decision_id,y,outcome_unit,included,exclusion,in_wcls\n');
  const counts = { rows: 0, included: 0, exclusions: Object.fromEntries(A.EXCLUSIONS.map((e) => [e, 0])), overlapping: 0 };
  const sel = DECISION_COLUMNS.map((c) =>
    has('decisions', c) ? (c === 'ts' || c === 'censored' ? `CAST(${q(c)} AS VARCHAR) AS ${q(c)}` : q(c)) : `NULL AS ${q(c)}`,
  ).join(', ');
  const result = await conn.stream(`SELECT file_id, ${sel} FROM decisions ORDER BY participant_id, ts, decision_id`);
  let buf = [];
  for await (const chunk of result.yieldRowObjectJs()) {
    for (const raw of chunk) {
      const r = A.parseDecisionRow(raw);
      counts.rows++;
      const res = A.analysisPoint(r, r.participant_id, r.arm, o.controls, o.outcome);
      if ('exclusion' in res) {
        counts.exclusions[res.exclusion]++;
        buf.push(`${raw.file_id},${cell(r.decision_id)},,,false,${res.exclusion},false\n`);
        continue;
      }
      counts.included++;
      const pt = res.point;
      const inW = pt.p > 0 && pt.p < 1;
      acc.wcls.add(pt);
      acc.wclsNoControls.add({ ...pt, g: [] });
      if (acc.wclsNoSurvey && !r.survey_offered) acc.wclsNoSurvey.add(pt);
      if (r.overlaps_previous) counts.overlapping++;
      else acc.wclsNoOverlap.add(pt);
      acc.arms.add(pt);
      if (pt.a === 1) acc.naive.add({ ...pt, g: [] });
      buf.push(`${raw.file_id},${cell(r.decision_id)},${pt.y},${res.unit},true,,${inW}\n`);
    }
    writeSync(fd, buf.join(''));
    buf = [];
  }
  closeSync(fd);
  await conn.run(
    `CREATE TABLE outcomes AS SELECT * FROM read_csv(${lit(outPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {'file_id': 'INTEGER', 'decision_id': 'VARCHAR', 'y': 'DOUBLE', 'outcome_unit': 'VARCHAR', 'included': 'BOOLEAN', 'exclusion': 'VARCHAR', 'in_wcls': 'BOOLEAN'})`,
  );
  return { acc, counts };
}

/** The arms' p_show: p = 0 arms are references, p > 0 arms are compared with them. */
async function armProbabilities(conn) {
  return rows(conn, `SELECT arm, min(p_show) AS p_min, max(p_show) AS p_max, avg(p_show) AS p_mean, count(*) AS n FROM decisions GROUP BY arm ORDER BY arm`);
}

function effectRow(A, estimand, description, e, extra = {}) {
  return {
    estimand,
    description,
    treated_arm: extra.treated ?? '',
    reference_arm: extra.reference ?? '',
    outcome: 'ln((v_after + c) / (v_before + c))',
    estimate: e.estimate,
    pct_change: A.pctChange(e.estimate),
    ci_low: e.ciLow,
    ci_high: e.ciHigh,
    pct_ci_low: A.pctChange(e.ciLow),
    pct_ci_high: A.pctChange(e.ciHigh),
    ci_method: e.bootstrapReps ? 'participant-clustered percentile bootstrap' : '',
    bootstrap_reps: e.bootstrapReps,
    bootstrap_failed: e.bootstrapFailed,
    seed: e.seed,
    boot_se: e.bootSe,
    se_sandwich: e.seSandwich,
    sandwich_ci_low: e.sandwichCiLow,
    sandwich_ci_high: e.sandwichCiHigh,
    per_shown_estimate: extra.pShow ? e.estimate / extra.pShow : null,
    per_shown_ci_low: extra.pShow && e.ciLow !== null ? e.ciLow / extra.pShow : null,
    per_shown_ci_high: extra.pShow && e.ciHigh !== null ? e.ciHigh / extra.pShow : null,
    participants: e.clusters,
    decision_points: e.points,
    shown: e.shown,
    withheld: e.withheld,
    p_tilde: e.pTilde,
    verdict: estimand === 'excursion_effect' ? A.verdictOf(e) : '',
    note: e.note,
  };
}

export const EFFECT_SCHEMA = {
  estimand: 'VARCHAR',
  description: 'VARCHAR',
  treated_arm: 'VARCHAR',
  reference_arm: 'VARCHAR',
  outcome: 'VARCHAR',
  estimate: 'DOUBLE',
  pct_change: 'DOUBLE',
  ci_low: 'DOUBLE',
  ci_high: 'DOUBLE',
  pct_ci_low: 'DOUBLE',
  pct_ci_high: 'DOUBLE',
  ci_method: 'VARCHAR',
  bootstrap_reps: 'BIGINT',
  bootstrap_failed: 'BIGINT',
  seed: 'BIGINT',
  boot_se: 'DOUBLE',
  se_sandwich: 'DOUBLE',
  sandwich_ci_low: 'DOUBLE',
  sandwich_ci_high: 'DOUBLE',
  per_shown_estimate: 'DOUBLE',
  per_shown_ci_low: 'DOUBLE',
  per_shown_ci_high: 'DOUBLE',
  participants: 'BIGINT',
  decision_points: 'BIGINT',
  shown: 'BIGINT',
  withheld: 'BIGINT',
  p_tilde: 'DOUBLE',
  verdict: 'VARCHAR',
  note: 'VARCHAR',
};

function effects(A, est, armsP, boot) {
  const { acc } = est;
  const k = acc.wcls.controls;
  const out = [
    effectRow(
      A,
      'excursion_effect',
      'Shown vs withheld at decision points with 0 < p_show < 1 (WCLS, control: ln velocity before). Primary.',
      A.wcls(acc.wcls.clusters(), k, boot),
    ),
    effectRow(
      A,
      'excursion_effect_no_overlap',
      'The same without decision points whose windows overlap the previous one (sensitivity).',
      A.wcls(acc.wclsNoOverlap.clusters(), acc.wclsNoOverlap.controls || k, boot),
    ),
    effectRow(A, 'excursion_effect_no_controls', 'The same with an intercept only (sensitivity).', A.wcls(acc.wclsNoControls.clusters(), 1, boot)),
  ];
  if (acc.wclsNoSurvey) {
    out.push(
      effectRow(
        A,
        'excursion_effect_no_survey',
        'The same without decision points that carried the experience-sampling question (sensitivity: the question itself may change scrolling).',
        A.wcls(acc.wclsNoSurvey.clusters(), acc.wclsNoSurvey.controls || k, boot),
      ),
    );
  }
  const refs = armsP.filter((a) => a.p_max === 0);
  const treated = armsP.filter((a) => a.p_min > 0);
  const armClusters = acc.arms.clusters();
  for (const t of treated) {
    for (const r of refs) {
      const e = A.betweenArms(armClusters, acc.arms.controls || 1, t.arm, r.arm, boot);
      const constant = Math.abs(t.p_max - t.p_min) < 1e-9;
      out.push(
        effectRow(
          A,
          'between_arms',
          `Decision points in arm ${t.arm} (p_show ${constant ? t.p_max : `${t.p_min}–${t.p_max}`}) vs arm ${r.arm} (p_show 0), control: ln velocity before; per shown = estimate / p_show.`,
          e,
          {
            treated: t.arm,
            reference: r.arm,
            pShow: constant ? t.p_max : null,
          },
        ),
      );
    }
  }
  out.push(
    effectRow(
      A,
      'before_after_only',
      'Mean outcome at shown decision points, with no comparison moments: the figure earlier versions reported. Biased by moment selection and trends (docs/STUDY.md); for comparison only.',
      A.beforeAfterOnly(acc.naive.clusters(), boot),
    ),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per participant, per arm, attrition, compliance

function participantSql(has, durationDays) {
  const pt = has('participants') ? 'participants' : has('participant') ? 'participant' : null;
  if (!pt) return null;
  const c = (t, col, alt = 'NULL::VARCHAR') => (has(t, col) ? `${t === pt ? 'p' : t}.${q(col)}` : alt);
  const enrolled = ['enrolled_at', 'started_at', 'consented_at'].filter((x) => has(pt, x)).map((x) => `p.${q(x)}`);
  const enrolledAt = enrolled.length ? `coalesce(${enrolled.join(', ')})` : 'NULL::TIMESTAMPTZ';
  const ctes = [];
  const joins = [];
  const cols = [];
  if (has('decisions')) {
    ctes.push(`d AS (SELECT file_id, count(*) AS decision_points, count(*) FILTER (WHERE ${has('decisions', 'available') ? 'available' : 'true'}) AS available, count(*) FILTER (WHERE shown) AS shown, count(*) FILTER (WHERE NOT shown AND ${has('decisions', 'available') ? 'available' : 'true'}) AS withheld,
      avg(p_show) AS mean_p_show, count(*) FILTER (WHERE coalesce(CAST(${has('decisions', 'censored') ? 'censored' : 'NULL'} AS VARCHAR), '') <> '') AS censored,
      count(*) FILTER (WHERE ${has('decisions', 'overlaps_previous') ? 'overlaps_previous' : 'false'}) AS overlapping, min(ts) AS first_decision_at, max(ts) AS last_decision_at FROM decisions GROUP BY file_id)`);
    ctes.push(`o AS (SELECT file_id, count(*) FILTER (WHERE included) AS included_points, count(*) FILTER (WHERE included AND in_wcls) AS randomised_points,
      avg(y) FILTER (WHERE included AND d2.shown) AS mean_outcome_shown, avg(y) FILTER (WHERE included AND NOT d2.shown) AS mean_outcome_withheld
      FROM outcomes JOIN (SELECT file_id, decision_id, shown FROM decisions) d2 USING (file_id, decision_id) GROUP BY file_id)`);
    joins.push('LEFT JOIN d USING (file_id)', 'LEFT JOIN o USING (file_id)');
    cols.push(
      'coalesce(d.decision_points, 0) AS decision_points',
      'coalesce(d.available, 0) AS available_points',
      'coalesce(d.shown, 0) AS shown',
      'coalesce(d.withheld, 0) AS withheld',
      'd.mean_p_show',
      'coalesce(d.censored, 0) AS censored_points',
      'coalesce(d.overlapping, 0) AS overlapping_points',
      'coalesce(o.included_points, 0) AS included_points',
      'coalesce(o.randomised_points, 0) AS randomised_points',
      'o.mean_outcome_shown',
      'o.mean_outcome_withheld',
    );
  }
  const activity = [];
  if (has('decisions', 'ts')) activity.push('SELECT file_id, ts AS act_at FROM decisions');
  if (has('sessions', 'start_at')) activity.push('SELECT file_id, start_at AS act_at FROM sessions');
  if (has('posts_per_minute', 'minute_start')) activity.push('SELECT file_id, minute_start AS act_at FROM posts_per_minute');
  if (activity.length) {
    ctes.push(`act AS (SELECT file_id, act_at FROM (${activity.join(' UNION ALL ')}) WHERE act_at IS NOT NULL)`);
    ctes.push(`a AS (SELECT act.file_id, min(act_at) AS first_activity_at, max(act_at) AS last_activity_at,
      count(DISTINCT floor(epoch(act_at - ${enrolledAt.replace(/p\./g, 'pp.')}) / 86400)) AS days_with_data
      FROM act JOIN ${pt} pp USING (file_id) GROUP BY act.file_id)`);
    joins.push('LEFT JOIN a USING (file_id)');
    cols.push('a.first_activity_at', 'a.last_activity_at', 'coalesce(a.days_with_data, 0) AS days_with_data');
  }
  if (has('sessions')) {
    ctes.push(
      `s AS (SELECT file_id, count(*) AS sessions, sum(${has('sessions', 'duration_s') ? 'duration_s' : '0'}) / 60 AS session_minutes, sum(${has('sessions', 'posts') ? 'posts' : '0'}) AS session_posts FROM sessions GROUP BY file_id)`,
    );
    joins.push('LEFT JOIN s USING (file_id)');
    cols.push('coalesce(s.sessions, 0) AS sessions', 'coalesce(s.session_minutes, 0) AS session_minutes');
  }
  if (has('posts_per_minute')) {
    ctes.push(`m AS (SELECT file_id, sum(posts) AS posts FROM posts_per_minute GROUP BY file_id)`);
    joins.push('LEFT JOIN m USING (file_id)');
    cols.push('coalesce(m.posts, 0) AS posts');
  } else if (has('sessions')) cols.push('coalesce(s.session_posts, 0) AS posts');
  if (has('impressions')) {
    const seen = has('impressions', 'seen') ? 'seen' : has('impressions', 'first_visible_at') ? 'first_visible_at IS NOT NULL' : 'NULL';
    const offered = has('impressions', 'survey_offered') ? 'survey_offered' : 'false';
    ctes.push(
      `i AS (SELECT file_id, count(*) AS impressions, count(*) FILTER (WHERE ${seen}) AS impressions_seen, count(*) FILTER (WHERE ${offered}) AS survey_offered FROM impressions GROUP BY file_id)`,
    );
    joins.push('LEFT JOIN i USING (file_id)');
    cols.push(
      'coalesce(i.impressions, 0) AS impressions',
      'coalesce(i.impressions_seen, 0) AS impressions_seen',
      'coalesce(i.survey_offered, 0) AS survey_offered',
    );
  }
  if (has('survey')) {
    ctes.push(`sv AS (SELECT file_id, count(answer) AS survey_answers, avg(answer) AS mean_answer FROM survey GROUP BY file_id)`);
    joins.push('LEFT JOIN sv USING (file_id)');
    cols.push('coalesce(sv.survey_answers, 0) AS survey_answers', 'sv.mean_answer');
  }
  const ref = ['exported_at'].filter((x) => has(pt, x)).map((x) => `p.${q(x)}`);
  const refTime = `coalesce(${[...ref, activity.length ? 'a.last_activity_at' : null, enrolledAt].filter(Boolean).join(', ')})`;
  const days = `greatest(1.0 / 24, least(${durationDays ?? 'NULL'}::DOUBLE, epoch(${refTime} - ${enrolledAt}) / 86400))`;
  const base = `SELECT p.file_id, p.participant_id, p.arm, ${c(pt, 'study_id')} AS study_id, ${c(pt, 'protocol_version')} AS protocol_version, ${c(pt, 'protocol_hash')} AS protocol_hash,
    ${has(pt, 'status') ? 'p.status' : 'NULL::VARCHAR'} AS status, ${c(pt, 'enrolment_code')} AS enrolment_code, ${c(pt, 'allocation_value', 'NULL::DOUBLE')} AS allocation_value,
    ${enrolledAt} AS enrolled_at, ${ref.length ? ref[0] : 'NULL::TIMESTAMPTZ'} AS exported_at, f.file, f.exports,
    ${days} AS days_in_study${cols.length ? `, ${cols.join(', ')}` : ''}
    FROM ${pt} p JOIN files f USING (file_id) ${joins.join(' ')}`;
  return `WITH ${ctes.length ? `${ctes.join(', ')}, ` : ''} base AS (${base})
    SELECT *${has('decisions') ? ', decision_points / days_in_study AS decision_points_per_day, shown::DOUBLE / nullif(available_points, 0) AS share_shown' : ''}
    ${has('posts_per_minute') || has('sessions') ? ', posts / days_in_study AS posts_per_day' : ''}
    ${has('sessions') ? ', sessions / days_in_study AS sessions_per_day, session_minutes / days_in_study AS minutes_per_day' : ''}
    ${has('impressions') ? ', impressions_seen::DOUBLE / nullif(impressions, 0) AS share_seen' : ''}
    ${has('impressions') && has('survey') ? ', survey_answers::DOUBLE / nullif(survey_offered, 0) AS survey_response_rate' : ''}
    FROM base ORDER BY arm, participant_id`;
}

/** Per-participant measures summarised per arm (each participant counts once). */
const ARM_MEASURES = [
  ['days_in_study', 'days', 'Days from enrolment to the export (or last activity), capped at the study length.'],
  ['days_with_data', 'days', 'Study days with any logged activity.'],
  ['decision_points_per_day', 'per day', 'Decision points per day in the study.'],
  ['share_shown', 'share', 'Share of available decision points at which the frame was shown.'],
  ['mean_outcome_shown', 'ln ratio', 'Mean outcome at shown decision points.'],
  ['mean_outcome_withheld', 'ln ratio', 'Mean outcome at withheld decision points.'],
  ['posts_per_day', 'posts/day', 'Posts that came into view per day in the study.'],
  ['sessions_per_day', 'sessions/day', 'Feed sessions per day in the study.'],
  ['minutes_per_day', 'min/day', 'Minutes in feed sessions per day in the study.'],
  ['share_seen', 'share', 'Share of shown frames that were seen (exposure).'],
  ['survey_response_rate', 'share', 'Answers per question offered.'],
  ['mean_answer', 'scale points', 'Mean answer to the experience-sampling question.'],
];

async function armEstimates(A, conn, participantCols) {
  const out = [];
  for (const [measure, unit, description] of ARM_MEASURES) {
    if (!participantCols.has(measure)) continue;
    const res = await rows(
      conn,
      `SELECT arm, count(${q(measure)}) AS n, avg(${q(measure)}) AS mean, stddev_samp(${q(measure)}) AS sd FROM participant_summary GROUP BY arm ORDER BY arm`,
    );
    for (const r of res) {
      const ci = A.meanCiFromMoments(Number(r.n), r.mean, r.sd);
      out.push({ arm: r.arm, measure, unit, description, participants: Number(r.n), mean: ci.mean, sd: ci.sd, ci_low: ci.ciLow, ci_high: ci.ciHigh });
    }
  }
  return out;
}

function attritionSql(has, durationDays) {
  if (!durationDays || !has('participant_summary', 'last_activity_at')) return null;
  return `WITH days AS (SELECT range + 1 AS study_day FROM range(${Math.ceil(durationDays)})),
    act AS (SELECT ps.arm, ps.participant_id, floor(epoch(x.act_at - ps.enrolled_at) / 86400) + 1 AS study_day
      FROM participant_summary ps JOIN (${[
        has('decisions', 'ts') ? 'SELECT file_id, ts AS act_at FROM decisions' : null,
        has('sessions', 'start_at') ? 'SELECT file_id, start_at AS act_at FROM sessions' : null,
        has('posts_per_minute', 'minute_start') ? 'SELECT file_id, minute_start AS act_at FROM posts_per_minute' : null,
      ]
        .filter(Boolean)
        .join(' UNION ALL ')}) x USING (file_id)),
    arms AS (SELECT arm, count(*) AS enrolled FROM participant_summary GROUP BY arm),
    last AS (SELECT arm, participant_id, floor(epoch(last_activity_at - enrolled_at) / 86400) + 1 AS last_day FROM participant_summary)
    SELECT arms.arm, days.study_day, arms.enrolled,
      (SELECT count(DISTINCT participant_id) FROM act WHERE act.arm = arms.arm AND act.study_day = days.study_day) AS with_data,
      (SELECT count(*) FROM last WHERE last.arm = arms.arm AND last.last_day >= days.study_day) AS retained,
      (SELECT count(*) FROM last WHERE last.arm = arms.arm AND last.last_day >= days.study_day)::DOUBLE / arms.enrolled AS retained_share
    FROM arms CROSS JOIN days ORDER BY arms.arm, days.study_day`;
}

function complianceSql(has) {
  const parts = ['arm', 'count(*) AS participants'];
  if (has('participant_summary', 'status')) {
    for (const s of ['active', 'finished', 'withdrawn']) parts.push(`count(*) FILTER (WHERE status = '${s}') AS status_${s}`);
  }
  if (has('decisions')) {
    parts.push('sum(decision_points) AS decision_points', 'sum(available_points) AS available_points', 'sum(shown) AS shown');
  }
  if (has('impressions'))
    parts.push(
      'sum(impressions) AS impressions',
      'sum(impressions_seen)::DOUBLE / nullif(sum(impressions), 0) AS share_seen',
      'sum(survey_offered) AS survey_offered',
    );
  if (has('survey')) parts.push('sum(survey_answers) AS survey_answers');
  const dec = has('decisions')
    ? `LEFT JOIN (SELECT arm, sum(p_show) FILTER (WHERE ${has('decisions', 'available') ? 'available' : 'true'}) AS shown_expected,
        avg(p_show) AS mean_p_show,
        count(*) FILTER (WHERE shown AND coalesce(CAST(${has('decisions', 'censored') ? 'censored' : 'NULL'} AS VARCHAR), '') <> '')::DOUBLE / nullif(count(*) FILTER (WHERE shown), 0) AS censored_share_shown,
        count(*) FILTER (WHERE NOT shown AND ${has('decisions', 'available') ? 'available' : 'true'} AND coalesce(CAST(${has('decisions', 'censored') ? 'censored' : 'NULL'} AS VARCHAR), '') <> '')::DOUBLE / nullif(count(*) FILTER (WHERE NOT shown AND ${has('decisions', 'available') ? 'available' : 'true'}), 0) AS censored_share_withheld
        FROM decisions GROUP BY arm) dd USING (arm)`
    : '';
  return `SELECT ps.*${dec ? ', dd.mean_p_show, dd.shown_expected, dd.censored_share_shown, dd.censored_share_withheld' : ''}
    FROM (SELECT ${parts.join(', ')} FROM participant_summary GROUP BY arm) ps ${dec} ORDER BY arm`;
}

// ---------------------------------------------------------------------------------------------

/**
 * The whole summary. Returns the results (also written to `out`) or throws StudyMergeError
 * (mixed studies, no usable file).
 */
export async function summariseStudy(opts) {
  const A = opts.analysis ?? (await loadAnalysis());
  const log = opts.log ?? (() => {});
  const files = expandInputs(opts.inputs);
  if (!files.length) throw new StudyMergeError('no .zip files found');
  const tmp = mkdtempSync(join(opts.tmpdir ?? tmpdir(), 'stillframe-merge-'));
  const started = Date.now();
  let db;
  try {
    const limits = { ...A.DEFAULT_LIMITS, ...(opts.limits ?? {}) };
    const { metas, tables, allocation } = await readAll(A, files, { tmp, limits, canonical: opts.canonical, log });
    const readMs = Date.now() - started;
    const phase = { read: readMs };
    let mark = Date.now();
    const lap = (name) => {
      phase[name] = Date.now() - mark;
      mark = Date.now();
    };
    const usable = metas.filter((m) => m.status !== 'refused');
    if (!usable.length) {
      const err = new StudyMergeError(
        `none of the ${files.length} files could be used:\n${metas.map((m) => `  ${basename(m.file)}: ${m.problems.join('; ')}`).join('\n')}`,
      );
      err.metas = metas;
      throw err;
    }
    checkOneStudy(metas);
    deduplicate(metas);
    const used = metas.filter((m) => m.status === 'used');
    const durationDays = used.find((m) => m.duration_days)?.duration_days ?? null;

    db = await openDb(join(tmp, 'merge.duckdb'));
    const { conn } = db;
    if (opts.memoryLimit) await conn.run(`SET memory_limit = ${lit(opts.memoryLimit)}`);
    await conn.run(`SET temp_directory = ${lit(join(tmp, 'spill'))}`);
    const loaded = await loadTables(conn, tables, metas);
    lap('load');
    const has = (t, c) => (loaded[t] ? (c ? loaded[t].has(c) : true) : false);

    const boot = { reps: opts.bootstrap ?? A.DEFAULT_BOOTSTRAP.reps, seed: opts.seed ?? A.DEFAULT_BOOTSTRAP.seed, level: 0.95 };
    const outcome = { ...A.DEFAULT_OUTCOME, ...(opts.outcome ?? {}) };
    let est = null;
    let armsP = [];
    if (has('decisions')) {
      est = await estimate(A, conn, has, { tmp, controls: opts.controls ?? 'log-before', outcome });
      armsP = (await armProbabilities(conn)).map((r) => ({ ...r, p_min: Number(r.p_min), p_max: Number(r.p_max), p_mean: Number(r.p_mean), n: Number(r.n) }));
    }
    if (est) lap('outcomes');
    const effectRows = est ? effects(A, est, armsP, boot) : [];
    lap('estimate');

    const out = opts.out;
    mkdirSync(out, { recursive: true });
    mkdirSync(join(out, 'merged'), { recursive: true });

    const pSql = participantSql(has, durationDays);
    if (pSql) await conn.run(`CREATE TABLE participant_summary AS ${pSql}`);
    if (opts.canonical) {
      await objectsTable(
        conn,
        'allocation',
        {
          file_id: 'BIGINT',
          file: 'VARCHAR',
          participant_id: 'VARCHAR',
          recorded_arm: 'VARCHAR',
          expected_arm: 'VARCHAR',
          recorded_value: 'DOUBLE',
          expected_value: 'DOUBLE',
          same_protocol: 'BOOLEAN',
          ok: 'BOOLEAN',
          problems: 'VARCHAR',
        },
        allocation.map((a) => ({
          file_id: a.file_id,
          file: metas[a.file_id - 1].file,
          participant_id: a.participantId,
          recorded_arm: a.recordedArm,
          expected_arm: a.expectedArm,
          recorded_value: a.recordedValue,
          expected_value: a.expectedValue,
          same_protocol: a.sameProtocol,
          ok: a.ok,
          problems: a.problems.join('; '),
        })),
      );
      await writeOut(conn, 'SELECT * EXCLUDE (file_id) FROM allocation ORDER BY ok, participant_id', out, 'allocation');
      if (pSql) {
        await conn.run('ALTER TABLE participant_summary ADD COLUMN allocation_ok BOOLEAN');
        await conn.run('UPDATE participant_summary ps SET allocation_ok = al.ok FROM allocation al WHERE al.file_id = ps.file_id');
      }
    }
    loaded.participant_summary = pSql ? new Set((await rows(conn, 'DESCRIBE participant_summary')).map((r) => r.column_name)) : undefined;
    if (pSql) {
      await conn.run(`UPDATE participant_summary SET file = regexp_replace(file, '^.*/', '')`);
      await writeOut(conn, 'SELECT * EXCLUDE (file_id) FROM participant_summary ORDER BY arm, participant_id', out, 'participant_summary');
    }

    const armRows = pSql ? await armEstimates(A, conn, loaded.participant_summary) : [];
    await objectsTable(
      conn,
      'arm_estimates',
      {
        arm: 'VARCHAR',
        measure: 'VARCHAR',
        unit: 'VARCHAR',
        description: 'VARCHAR',
        participants: 'BIGINT',
        mean: 'DOUBLE',
        sd: 'DOUBLE',
        ci_low: 'DOUBLE',
        ci_high: 'DOUBLE',
      },
      armRows,
    );
    await writeOut(conn, 'SELECT * FROM arm_estimates', out, 'arms');

    await objectsTable(conn, 'effects', EFFECT_SCHEMA, effectRows);
    await writeOut(conn, 'SELECT * FROM effects', out, 'effects');

    if (has('decisions')) {
      await writeOut(
        conn,
        `SELECT d.* EXCLUDE (file_id), o.y AS outcome, o.outcome_unit, o.included, o.exclusion, o.in_wcls FROM decisions d JOIN outcomes o USING (file_id, decision_id) ORDER BY d.arm, d.participant_id, d.ts`,
        out,
        'decision_points',
      );
    }
    const attrition = pSql ? attritionSql(has, durationDays) : null;
    let attritionRows = [];
    if (attrition) {
      await conn.run(`CREATE TABLE attrition AS ${attrition}`);
      await writeOut(conn, 'SELECT * FROM attrition', out, 'attrition');
      attritionRows = await rows(conn, 'SELECT * FROM attrition');
    }
    let complianceRows = [];
    if (pSql) {
      await conn.run(`CREATE TABLE compliance AS ${complianceSql(has)}`);
      await writeOut(conn, 'SELECT * FROM compliance', out, 'compliance');
      complianceRows = await rows(conn, 'SELECT * FROM compliance');
    }
    await objectsTable(
      conn,
      'file_list',
      {
        file: 'VARCHAR',
        status: 'VARCHAR',
        superseded_by: 'VARCHAR',
        participant_id: 'VARCHAR',
        arm: 'VARCHAR',
        study_id: 'VARCHAR',
        protocol_version: 'VARCHAR',
        protocol_hash: 'VARCHAR',
        exported_at: 'VARCHAR',
        latest_ts: 'VARCHAR',
        rows: 'BIGINT',
        problems: 'VARCHAR',
      },
      metas.map((m) => ({ ...m, protocol_hash: m.protocol_hash || m.protocol_digest, problems: m.problems.join('; ') })),
    );
    await writeOut(conn, 'SELECT * FROM file_list', out, 'files');
    for (const t of Object.keys(loaded)) {
      if (t === 'participant_summary' || !tables.some((x) => x.table === t)) continue;
      await writeOut(conn, `SELECT * EXCLUDE (file_id) FROM ${q(t)}`, join(out, 'merged'), t);
    }
    const participants = pSql ? await rows(conn, 'SELECT * EXCLUDE (file_id) FROM participant_summary ORDER BY arm, participant_id') : [];
    const result = {
      files: metas,
      participants,
      arms: armRows,
      effects: effectRows,
      attrition: attritionRows,
      compliance: complianceRows,
      allocation,
      armProbabilities: armsP,
      counts: est?.counts ?? null,
      clusters: est ? { wcls: est.acc.wcls.clusters(), arms: est.acc.arms.clusters(), naive: est.acc.naive.clusters() } : null,
      durationDays,
      windowS: used.find((m) => m.window_s)?.window_s ?? 10,
      options: { bootstrap: boot, outcome, controls: opts.controls ?? 'log-before', limits },
      timing: { readMs, totalMs: Date.now() - started, phases: (lap('write'), phase) },
      report: '',
    };
    result.report = reportMarkdown(result, { generatedAt: new Date().toISOString(), windowS: result.windowS });
    writeFileSync(join(out, 'report.md'), result.report);
    return result;
  } finally {
    if (db) {
      db.conn.closeSync?.();
      db.inst.closeSync?.();
    }
    if (!opts.keepTemp) rmSync(tmp, { recursive: true, force: true });
  }
}
