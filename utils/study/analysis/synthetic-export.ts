import { zipSync, strToU8 } from 'fflate';
import { hash53 } from '@/utils/study/arms';
import { DATA_DICTIONARY, type ColumnDef } from '@/utils/study/dictionary';
import { csvCell } from '@/utils/study/export';
import type { Scalar } from '@/utils/study/types';
import type { SimParticipant } from './simulate';

/**
 * Export zips for simulated participants, in the export's layout (csv/ + jsonl/ per table,
 * data-dictionary.csv/.json, protocol.json, README.txt) and with the `participants` and
 * `decisions` columns of the decision-point contract (docs/STUDY.md). The sessions and
 * posts_per_minute tables use the extension's own dictionary and CSV quoting. Used by the
 * simulated-study tests and the merge bench. Pure.
 */

const c = (name: string, type: ColumnDef['type'], description: string, unit?: string): ColumnDef => ({ name, type, description, ...(unit ? { unit } : {}) });

const IDENTITY: ColumnDef[] = [
  c('study_id', 'string', 'studyId of the protocol.'),
  c('protocol_version', 'string', 'version of the protocol.'),
  c('protocol_hash', 'string', 'Hash of the protocol text.'),
  c('participant_id', 'string', 'Pseudonymous participant id.'),
];

export const CONTRACT_PARTICIPANTS: ColumnDef[] = [
  ...IDENTITY,
  c('arm', 'string', 'Arm.'),
  c('allocation_value', 'number', 'The allocation draw in [0, 1).'),
  c('allocation_seed', 'string', 'Seed of the allocation.'),
  c('enrolled_at', 'datetime', 'Enrolment (UTC).'),
  c('status', 'string', 'active, finished or withdrawn.'),
  c('enrolment_code', 'string', 'Researcher-issued enrolment code, if any.'),
];

export const CONTRACT_DECISIONS: ColumnDef[] = [
  ...IDENTITY,
  c('arm', 'string', 'Arm.'),
  c('session_id', 'string', 'Session.'),
  c('decision_id', 'string', 'Decision point.'),
  c('ts', 'datetime', 'When the frame was due (UTC).'),
  c('utc_offset_min', 'integer', 'Local UTC offset at that moment.', 'minutes'),
  c('site_key', 'string', 'Feed.'),
  c('p_show', 'number', 'Probability of showing.'),
  c('shown', 'boolean', 'Whether the frame was shown.'),
  c('available', 'boolean', 'Whether the decision point was available.'),
  c('impression_id', 'string', 'The impression (empty when withheld).'),
  c('before_ms', 'integer', 'Before window length.', 'ms'),
  c('before_posts', 'integer', 'Posts in the before window.', 'posts'),
  c('before_px_travelled', 'number', 'Distance scrolled in the before window.', 'px'),
  c('before_px_net', 'number', 'Net displacement in the before window.', 'px'),
  c('after_ms', 'integer', 'After window length.', 'ms'),
  c('after_posts', 'integer', 'Posts in the after window.', 'posts'),
  c('after_px_travelled', 'number', 'Distance scrolled in the after window.', 'px'),
  c('after_px_net', 'number', 'Net displacement in the after window.', 'px'),
  c('velocity_before_px_s', 'number', 'Speed before.', 'px/s'),
  c('velocity_after_px_s', 'number', 'Speed after.', 'px/s'),
  c('posts_per_min_before', 'number', 'Posts per minute before.', 'posts/min'),
  c('posts_per_min_after', 'number', 'Posts per minute after.', 'posts/min'),
  c('overlaps_previous', 'boolean', 'Before window overlaps the previous after window.'),
  c('censored', 'string', 'Cause of censoring, or empty.'),
  c('survey_offered', 'boolean', 'The experience-sampling question came with this decision point.'),
];

export interface SyntheticStudy {
  studyId: string;
  version: string;
  arms: Array<{ id: string; weight: number; frames?: boolean }>;
  durationDays: number;
}

/** A protocol the extension's schema accepts, for the simulated study. */
export function syntheticProtocolText(s: SyntheticStudy): string {
  const consent = 'This is a simulated study used to test the analysis. Nothing here is about a real person; every number is made up by a program.';
  return `${JSON.stringify(
    {
      format: 1,
      studyId: s.studyId,
      version: s.version,
      title: { en: 'Simulated study', zh_CN: '模拟研究' },
      researchers: [{ name: 'Simulation' }],
      contact: { email: 'sim@example.org' },
      consent: { en: consent, zh_CN: `${consent}（模拟）` },
      durationDays: s.durationDays,
      arms: s.arms,
      measures: ['sessions', 'posts_per_minute'],
      velocityWindowSeconds: 10,
    },
    null,
    2,
  )}\n`;
}

const iso = (ms: number) => new Date(ms).toISOString();

function csv(columns: ColumnDef[], rows: Record<string, Scalar>[]): string {
  return [columns.map((x) => x.name).join(','), ...rows.map((r) => columns.map((col) => csvCell(col, r[col.name] ?? null)).join(','))].join('\r\n') + '\r\n';
}

export interface SyntheticExportOptions {
  /** Keep only decision points and sessions before this time (an earlier export of the same person). */
  until?: number;
  status?: 'active' | 'finished' | 'withdrawn';
}

/** The files of one participant's export. */
export function syntheticExportFiles(s: SyntheticStudy, p: SimParticipant, o: SyntheticExportOptions = {}): Record<string, string> {
  const protocolText = syntheticProtocolText(s);
  const id = { study_id: s.studyId, protocol_version: s.version, protocol_hash: hash53(protocolText).toString(16), participant_id: p.participantId };
  const until = o.until ?? Infinity;
  const participants: Record<string, Scalar>[] = [
    {
      ...id,
      arm: p.arm,
      allocation_value: hash53(`${s.studyId}\u0000${p.participantId}`) / 2 ** 53,
      allocation_seed: '',
      enrolled_at: iso(p.enrolledAt),
      status: o.status ?? 'finished',
      enrolment_code: '',
    },
  ];
  const perSec = (w: { ms: number; pxTravelled: number } | null) => (w && w.ms > 0 ? (w.pxTravelled * 1000) / w.ms : null);
  const perMin = (w: { ms: number; posts: number } | null) => (w && w.ms > 0 ? (w.posts * 60_000) / w.ms : null);
  const decisions: Record<string, Scalar>[] = p.decisions
    .filter((d) => d.ts < until)
    .map((d) => ({
      ...id,
      arm: p.arm,
      session_id: d.sessionId,
      decision_id: d.decisionId,
      ts: iso(d.ts),
      utc_offset_min: 60,
      site_key: 'x',
      p_show: d.p,
      shown: d.shown,
      available: d.available,
      impression_id: d.shown ? `imp-${d.decisionId.slice(4)}` : null,
      before_ms: d.before.ms,
      before_posts: d.before.posts,
      before_px_travelled: d.before.pxTravelled,
      before_px_net: d.before.pxNet,
      after_ms: d.after?.ms ?? null,
      after_posts: d.after?.posts ?? null,
      after_px_travelled: d.after?.pxTravelled ?? null,
      after_px_net: d.after?.pxNet ?? null,
      velocity_before_px_s: perSec(d.before),
      velocity_after_px_s: perSec(d.after),
      posts_per_min_before: perMin(d.before),
      posts_per_min_after: perMin(d.after),
      overlaps_previous: d.overlapsPrevious,
      censored: d.censored || null,
      // About one decision point in four carries the question (fixed by its id).
      survey_offered: hash53(d.decisionId) % 4 === 0,
    }));
  const sessions = p.sessions
    .filter((x) => x.start < until)
    .map((x) => ({
      ...id,
      arm: p.arm,
      session_id: x.sessionId,
      site_key: 'x',
      start_at: iso(x.start),
      end_at: iso(x.end),
      duration_s: (x.end - x.start) / 1000,
      posts: x.posts,
    }));
  const ppm = p.sessions
    .filter((x) => x.start < until)
    .flatMap((x) => [...x.perMinute.entries()].map(([m, n]) => ({ ...id, arm: p.arm, minute_start: iso(m), site_key: 'x', posts: n })));
  const tables: Array<[string, ColumnDef[], Record<string, Scalar>[], string]> = [
    ['participants', CONTRACT_PARTICIPANTS, participants, 'The participant and their enrolment (one row).'],
    ['sessions', DATA_DICTIONARY.sessions.columns, sessions, DATA_DICTIONARY.sessions.row],
    ['posts_per_minute', DATA_DICTIONARY.posts_per_minute.columns, ppm, DATA_DICTIONARY.posts_per_minute.row],
    ['decisions', CONTRACT_DECISIONS, decisions, 'One decision point.'],
  ];
  const files: Record<string, string> = {};
  const dict: Record<string, Scalar>[] = [];
  const meta = ['table', 'column', 'type', 'unit', 'description'].map((name) => c(name, 'string', ''));
  for (const [t, cols, rows, row] of tables) {
    files[`csv/${t}.csv`] = csv(cols, rows);
    files[`jsonl/${t}.jsonl`] =
      rows.map((r) => JSON.stringify(Object.fromEntries(cols.map((col) => [col.name, r[col.name] ?? null])))).join('\n') + (rows.length ? '\n' : '');
    dict.push({ table: t, column: '', type: '', unit: '', description: `One row: ${row}` });
    for (const col of cols) dict.push({ table: t, column: col.name, type: col.type, unit: col.unit ?? '', description: col.description });
  }
  files['data-dictionary.csv'] = csv(meta, dict);
  files['data-dictionary.json'] = `${JSON.stringify(Object.fromEntries(tables.map(([t, cols, , row]) => [t, { row, columns: cols }])), null, 2)}\n`;
  files['protocol.json'] = protocolText;
  files['README.txt'] = `Stillframe study export (simulated)\nParticipant: ${p.participantId}\nArm: ${p.arm}\n`;
  return files;
}

export function zipFiles(files: Record<string, string>, mtime = new Date(Date.UTC(2026, 2, 2))): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, text] of Object.entries(files)) entries[path] = [strToU8(text), { mtime }];
  return zipSync(entries, { level: 6 });
}
