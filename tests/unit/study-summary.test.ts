// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import * as A from '@/utils/study/analysis';
import { assignArm } from '@/utils/study/arms';
import { parseCsv } from '@/utils/study/export';
import { simulateParticipant, simulateStudy } from '@/utils/study/analysis/simulate';
import { syntheticExportFiles, syntheticProtocolText, zipFiles } from '@/utils/study/analysis/synthetic-export';
import { StudyMergeError, summariseStudy } from '../../scripts/lib/study-merge.mjs';
import { STUDY, tempDir, writeStudy } from './study-sim-helpers';

const ROOT = join(__dirname, '..', '..');
const small = [
  { id: 'control', p: 0, participants: 3 },
  { id: 'mrt', p: 0.5, participants: 4 },
  { id: 'frames', p: 1, participants: 3 },
];

async function summary(dir: string, extra: Record<string, unknown> = {}) {
  return summariseStudy({ inputs: [join(dir, 'zips')], out: join(dir, 'out'), analysis: A, bootstrap: 49, ...extra });
}

// Each test merges real zips through DuckDB: seconds, not milliseconds, on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe('study:summary merges many participants', () => {
  it('one row per participant, repeated exports de-duplicated (the latest kept), tidy CSV with Parquet beside it', () =>
    withDir(async (dir) => {
      const ps = simulateStudy(5, small, { decisions: 20 });
      writeStudy(join(dir, 'zips'), ps);
      // An earlier export of the first participant (half their data), sent again under another name.
      const first = ps[0];
      const half = first.decisions[10].ts;
      writeFileSync(join(dir, 'zips', 'aaa-early-export.zip'), zipFiles(syntheticExportFiles(STUDY, first, { until: half, status: 'active' })));
      const r = await summary(dir);
      expect(r.participants).toHaveLength(10);
      const early = r.files.find((f: any) => f.file.endsWith('aaa-early-export.zip'))!;
      expect(early.status).toBe('superseded');
      expect(early.superseded_by).toContain(first.participantId);
      const row = r.participants.find((p: any) => p.participant_id === first.participantId);
      expect(Number(row.decision_points)).toBe(20);
      expect(Number(row.exports)).toBe(2);
      expect(row.status).toBe('finished');

      const out = join(dir, 'out');
      const files = readdirSync(out);
      for (const name of ['participant_summary', 'arms', 'effects', 'decision_points', 'attrition', 'compliance', 'files']) {
        expect(files).toContain(`${name}.csv`);
        expect(files).toContain(`${name}.parquet`);
      }
      const csv = parseCsv(readFileSync(join(out, 'participant_summary.csv'), 'utf8'));
      expect(csv).toHaveLength(10);
      expect(csv.map((x) => x.participant_id).sort()).toEqual(ps.map((p) => p.participantId).sort());
      const dp = parseCsv(readFileSync(join(out, 'decision_points.csv'), 'utf8'));
      expect(dp).toHaveLength(200); // the early export's rows are not counted twice
      expect(dp[0].ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Parquet holds the same rows (read back with DuckDB).
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await (await DuckDBInstance.create(':memory:')).connect();
      const n = (await db.runAndReadAll(`SELECT count(*) AS n FROM '${join(out, 'decision_points.parquet')}'`)).getRowObjectsJS()[0].n;
      expect(Number(n)).toBe(200);
      // Per-arm estimates carry 95 % intervals; p_show per arm is what the participants had.
      const arms = parseCsv(readFileSync(join(out, 'arms.csv'), 'utf8'));
      const share = arms.find((a) => a.arm === 'mrt' && a.measure === 'share_shown')!;
      expect(Number(share.ci_low)).toBeLessThan(Number(share.mean));
      expect(Number(share.ci_high)).toBeGreaterThan(Number(share.mean));
      expect(r.armProbabilities.map((a: any) => [a.arm, a.p_max])).toEqual([
        ['control', 0],
        ['frames', 1],
        ['mrt', 0.5],
      ]);
      // Estimands: primary, sensitivity analyses (survey_offered is logged here), arm contrasts, the old figure.
      expect(r.effects.map((e: any) => `${e.estimand}${e.treated_arm ? `:${e.treated_arm}` : ''}`)).toEqual([
        'excursion_effect',
        'excursion_effect_no_overlap',
        'excursion_effect_no_controls',
        'excursion_effect_no_survey',
        'between_arms:frames',
        'between_arms:mrt',
        'before_after_only',
      ]);
      const [primary, , , noSurvey] = r.effects;
      expect(noSurvey.decision_points).toBeLessThan(primary.decision_points);
      expect(noSurvey.decision_points).toBeGreaterThan(primary.decision_points / 2);
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      expect(report.indexOf('## Participants')).toBeLessThan(report.indexOf('## The pause effect'));
      // docs/STUDY.md section 8.5 documents every column of every output file.
      const doc = readFileSync(join(ROOT, 'docs', 'STUDY.md'), 'utf8');
      const section = doc.slice(doc.indexOf('### 8.5 The output files'), doc.indexOf('### 8.6'));
      for (const f of files.filter((x) => x.endsWith('.csv'))) {
        const header = readFileSync(join(out, f), 'utf8').split('\n', 1)[0].split(',');
        // decision_points.csv repeats the decisions table's own columns (documented in section 6).
        const own = readFileSync(join(out, 'merged', 'decisions.csv'), 'utf8')
          .split('\n', 1)[0]
          .split(',');
        const documented = f === 'decision_points.csv' ? header.filter((c) => !own.includes(c)) : header;
        for (const col of documented) expect(section, `${f}: ${col}`).toContain(`\`${col}\``);
      }
    }));

  it('refuses a mix of studies or of protocol versions, saying which files are which', () =>
    withDir(async (dir) => {
      writeStudy(join(dir, 'zips'), simulateStudy(6, small.slice(0, 1), { decisions: 5 }));
      writeStudy(join(dir, 'zips'), [simulateParticipant(7, 0, () => ({ id: 'mrt', p: 0.5 }), { decisions: 5 })], { ...STUDY, version: '2.0' });
      const err = await summary(dir).catch((e) => e);
      expect(err).toBeInstanceOf(StudyMergeError);
      expect(err.message).toMatch(/more than one study, protocol version or protocol text/);
      expect(err.message).toMatch(/protocol version 1\.0 .*: 3 files/);
      expect(err.message).toMatch(/protocol version 2\.0 .*: 1 file /);
      expect(readdirSync(dir)).not.toContain('out'); // nothing half-written
    }));

  it('refuses a zip bomb and a zip with unexpected files, and merges the rest', () =>
    withDir(async (dir) => {
      writeStudy(join(dir, 'zips'), simulateStudy(8, small.slice(1, 2), { decisions: 10 }));
      writeFileSync(join(dir, 'zips', 'bomb.zip'), zipSync({ 'csv/decisions.csv': new Uint8Array(24 * 2 ** 20) }, { level: 9 }));
      writeFileSync(join(dir, 'zips', 'odd.zip'), zipSync({ 'protocol.json': strToU8('{}'), 'run-me.sh': strToU8('rm -rf /') }));
      const r = await summary(dir, { limits: { maxEntryBytes: 8 * 2 ** 20 } });
      const status = Object.fromEntries(r.files.map((f: any) => [f.file.split('/').pop(), f]));
      expect(status['bomb.zip'].status).toBe('refused');
      expect(status['bomb.zip'].problems.join()).toMatch(/declares 24 MB uncompressed/);
      expect(status['odd.zip'].problems.join()).toMatch(/unexpected file "run-me.sh"/);
      expect(r.participants).toHaveLength(4);
    }));

  it('--protocol recomputes each allocation and flags the exports that do not match', () =>
    withDir(async (dir) => {
      const protocol = (A.validateProtocol(syntheticProtocolText(STUDY)) as any).protocol;
      const arms = [
        { id: 'control', p: 0, participants: 0 },
        { id: 'mrt', p: 0.5, participants: 0 },
        { id: 'frames', p: 1, participants: 0 },
      ];
      const ps = simulateStudy(9, arms, { decisions: 5 }, { total: 8, armOf: (id) => assignArm(id, STUDY.studyId, protocol.arms).id });
      // One participant whose export claims an arm the allocation did not give them.
      const right = assignArm(ps[0].participantId, STUDY.studyId, protocol.arms).id;
      ps[0] = { ...ps[0], arm: right === 'mrt' ? 'frames' : 'mrt' };
      writeStudy(join(dir, 'zips'), ps);
      const r = await summary(dir, { canonical: { protocol, json: JSON.parse(syntheticProtocolText(STUDY)) } });
      const bad = r.allocation.filter((a: any) => !a.ok);
      expect(bad.map((a: any) => a.participantId)).toEqual([ps[0].participantId]);
      expect(bad[0].problems.join()).toMatch(/recomputed/);
      const csv = parseCsv(readFileSync(join(dir, 'out', 'allocation.csv'), 'utf8'));
      expect(csv).toHaveLength(8);
      expect(csv.filter((x) => x.ok === 'false')).toHaveLength(1);
      expect(r.participants.filter((p: any) => p.allocation_ok === false)).toHaveLength(1);
    }));

  it('still reads exports made before decision points, with no pause effect to estimate', () =>
    withDir(async (dir) => {
      // A zip made by Stillframe 0.1.0's own store and export (participant table, no decisions):
      // such files exist in the wild, so the fixture is frozen rather than rebuilt from today's code.
      mkdirSync(join(dir, 'zips'));
      writeFileSync(join(dir, 'zips', 'p1.zip'), readFileSync(join(ROOT, 'tests', 'fixtures', 'study', 'export-before-decision-points.zip')));
      const r = await summary(dir);
      expect(r.files[0].status).toBe('used');
      expect(r.participants).toHaveLength(1);
      expect(r.participants[0]).toMatchObject({ participant_id: 'SF-AAAA-BBBB-CCCC-DDDD', arm: 'every-50', study_id: 'feed-friction-pilot' });
      expect(Number(r.participants[0].posts)).toBe(30);
      expect(Number(r.participants[0].impressions)).toBe(3);
      expect(Number(r.participants[0].survey_answers)).toBe(1);
      expect(r.effects).toEqual([]);
      expect(r.report).toMatch(/no decision points/);
      expect(readFileSync(join(dir, 'out', 'merged', 'scroll_velocity.csv'), 'utf8')).toContain('SF-AAAA-BBBB-CCCC-DDDD');
    }));

  it('refuses an export with a cell that is not of its column\u2019s type, instead of failing the whole merge', () =>
    withDir(async (dir) => {
      const ps = simulateStudy(13, small.slice(1, 2), { decisions: 5 });
      writeStudy(join(dir, 'zips'), ps.slice(1));
      const files = syntheticExportFiles(STUDY, ps[0]);
      files['csv/decisions.csv'] = files['csv/decisions.csv'].replace(/,0\.5,/, ',half,');
      writeFileSync(join(dir, 'zips', 'bad-cell.zip'), zipFiles(files));
      const r = await summary(dir);
      const bad = r.files.find((f: any) => f.file.endsWith('bad-cell.zip'))!;
      expect(bad.status).toBe('refused');
      expect(bad.problems.join()).toMatch(/csv\/decisions\.csv row 2, p_show: "half" is not a valid number/);
      expect(r.participants).toHaveLength(3);
    }));

  it('refuses an export whose columns differ from its own data dictionary', () =>
    withDir(async (dir) => {
      const [p] = simulateStudy(10, small.slice(1, 2), { decisions: 5 });
      const files = syntheticExportFiles(STUDY, p);
      files['csv/decisions.csv'] = files['csv/decisions.csv'].replace('p_show', 'probability');
      mkdirSync(join(dir, 'zips'));
      writeFileSync(join(dir, 'zips', 'p.zip'), zipFiles(files));
      const err = await summary(dir).catch((e) => e);
      expect(err).toBeInstanceOf(StudyMergeError);
      expect(err.message).toMatch(/csv\/decisions\.csv columns differ from the data dictionary/);
    }));
});

describe('npm run study:summary (the command)', () => {
  it(
    'writes the report and exits 0; exits 1 with a clear message for a mixed study',
    () =>
      withDir(async (dir) => {
        writeStudy(join(dir, 'zips'), simulateStudy(11, small, { decisions: 8 }));
        const ok = spawnSync(
          process.execPath,
          [join(ROOT, 'scripts', 'study-summary.mjs'), join(dir, 'zips'), '--out', join(dir, 'out'), '--bootstrap', '49'],
          { encoding: 'utf8', cwd: ROOT },
        );
        expect(ok.stderr).toMatch(/Wrote /);
        expect(ok.status).toBe(0);
        expect(ok.stdout).toMatch(/# Study summary: sim-study \(protocol version 1\.0\)/);
        expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toMatch(/### Methods/);
        writeStudy(join(dir, 'zips'), [simulateParticipant(12, 0, () => ({ id: 'mrt', p: 0.5 }), { decisions: 5 })], { ...STUDY, studyId: 'other-study' });
        const mixed = spawnSync(process.execPath, [join(ROOT, 'scripts', 'study-summary.mjs'), join(dir, 'zips'), '--out', join(dir, 'out2')], {
          encoding: 'utf8',
          cwd: ROOT,
        });
        expect(mixed.status).toBe(1);
        expect(mixed.stderr).toMatch(/study other-study/);
        const usage = spawnSync(process.execPath, [join(ROOT, 'scripts', 'study-summary.mjs'), '--seed'], { encoding: 'utf8', cwd: ROOT });
        expect(usage.status).toBe(2);
      }),
    60_000,
  );

  it('does not carry its own CSV parser (it uses the export module\u2019s)', () => {
    const src = readFileSync(join(ROOT, 'scripts', 'study-summary.mjs'), 'utf8') + readFileSync(join(ROOT, 'scripts', 'lib', 'study-merge.mjs'), 'utf8');
    expect(src).not.toMatch(/function parseCsv/);
  });
});
