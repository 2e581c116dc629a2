import { parseCsv } from '@/utils/study/export';
import type { SafeZip } from './safe-zip';

/**
 * One participant's export, checked against its own data dictionary: every table the dictionary
 * lists is there as CSV and JSONL with exactly the dictionary's columns and the same number of
 * rows, and every row carries the participant's own study, protocol, id and arm. Tables are
 * handed to a callback one at a time, so a caller can stream them on and let them go.
 */

export type ColumnType = 'string' | 'integer' | 'number' | 'datetime' | 'boolean';

export interface ExportTableData {
  table: string;
  columns: string[];
  types: ColumnType[];
  rows: Record<string, string>[];
}

export interface ExportInfo {
  /** The participant row (table `participants`, or `participant` in exports before decision points). */
  participant: Record<string, string> | null;
  studyId: string;
  protocolVersion: string;
  protocolHash: string;
  participantId: string;
  arm: string;
  /** exported_at when the export has it, else ''. */
  exportedAt: string;
  /** The latest time in any datetime column (ISO 8601 UTC), for telling repeated exports apart. */
  latestTs: string;
  /** Rows per table. */
  rows: Record<string, number>;
  /** Tables and columns with their types, as the export's dictionary declares them. */
  dictionary: Record<string, { columns: string[]; types: ColumnType[] }>;
  protocolText: string;
  problems: string[];
}

export const PARTICIPANT_TABLES = ['participants', 'participant'] as const;
/** Columns that must be the same on every row of one export (when the table has them). */
const IDENTITY = ['study_id', 'protocol_version', 'protocol_hash', 'participant_id', 'arm'] as const;
const TYPES = new Set<ColumnType>(['string', 'integer', 'number', 'datetime', 'boolean']);

/** Whether a CSV cell is a value of its dictionary type (empty cells are "not measured" and always fine). */
const CELL: Record<ColumnType, RegExp | null> = {
  string: null,
  integer: /^-?\d{1,18}$/,
  number: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/,
  boolean: /^(true|false)$/,
  datetime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/,
};

/** 2026-02-31 is not a day, though it has the shape of one. */
function realDate(v: string): boolean {
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && (!v.endsWith('Z') || d.toISOString().slice(0, 10) === v.slice(0, 10));
}

/** The first few cells that are not of their column's type, as problems. */
export function typeProblems(table: string, columns: string[], types: ColumnType[], rows: Record<string, string>[], max = 3): string[] {
  const out: string[] = [];
  for (let r = 0; r < rows.length && out.length < max; r++) {
    for (let i = 0; i < columns.length && out.length < max; i++) {
      const re = CELL[types[i]];
      const v = rows[r][columns[i]];
      const bad = re && v !== '' && v !== undefined && (!re.test(v) || (types[i] === 'datetime' && !realDate(v)));
      if (bad) out.push(`csv/${table}.csv row ${r + 2}, ${columns[i]}: ${JSON.stringify(v.slice(0, 40))} is not a valid ${types[i]}`);
    }
  }
  return out;
}

export async function readStudyExport(zip: SafeZip, onTable?: (t: ExportTableData) => void | Promise<void>): Promise<ExportInfo> {
  const info: ExportInfo = {
    participant: null,
    studyId: '',
    protocolVersion: '',
    protocolHash: '',
    participantId: '',
    arm: '',
    exportedAt: '',
    latestTs: '',
    rows: {},
    dictionary: {},
    protocolText: '',
    problems: [],
  };
  if (!zip.has('data-dictionary.csv')) {
    info.problems.push('data-dictionary.csv is missing');
    return info;
  }
  if (zip.has('protocol.json')) info.protocolText = await zip.text('protocol.json');
  else info.problems.push('protocol.json is missing');
  for (const r of parseCsv(await zip.text('data-dictionary.csv'))) {
    if (!r.table) continue;
    const d = (info.dictionary[r.table] ??= { columns: [], types: [] });
    if (r.column === '') continue;
    d.columns.push(r.column);
    d.types.push(TYPES.has(r.type as ColumnType) ? (r.type as ColumnType) : 'string');
  }
  const tables = Object.keys(info.dictionary);
  const pTable = PARTICIPANT_TABLES.find((t) => tables.includes(t));
  if (!pTable) {
    info.problems.push('the data dictionary has no participants table');
    return info;
  }
  // The participant table first: every other row is checked against it.
  for (const t of [pTable, ...tables.filter((x) => x !== pTable)]) {
    const { columns, types } = info.dictionary[t];
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(t) || columns.some((c) => !/^[a-z][a-z0-9_]{0,63}$/.test(c))) {
      info.problems.push(`data dictionary: table or column names that are not snake_case in ${JSON.stringify(t.slice(0, 40))}`);
      continue;
    }
    if (!zip.has(`csv/${t}.csv`)) {
      info.problems.push(`csv/${t}.csv is missing`);
      continue;
    }
    const text = await zip.text(`csv/${t}.csv`);
    const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',');
    if (header.join(',') !== columns.join(',')) info.problems.push(`csv/${t}.csv columns differ from the data dictionary`);
    const rows = parseCsv(text);
    info.rows[t] = rows.length;
    if (!zip.has(`jsonl/${t}.jsonl`)) info.problems.push(`jsonl/${t}.jsonl is missing`);
    else if ((await zip.countLines(`jsonl/${t}.jsonl`)) !== rows.length)
      info.problems.push(`jsonl/${t}.jsonl has a different number of rows than csv/${t}.csv`);
    if (t === pTable) {
      if (rows.length !== 1) info.problems.push(`${t}: ${rows.length} rows, expected exactly one`);
      const p = rows[0] ?? null;
      info.participant = p;
      if (p) {
        info.studyId = p.study_id ?? '';
        info.protocolVersion = p.protocol_version ?? '';
        info.protocolHash = p.protocol_hash ?? '';
        info.participantId = p.participant_id ?? '';
        info.arm = p.arm ?? '';
        info.exportedAt = p.exported_at ?? '';
      }
    } else if (info.participant) {
      const p = info.participant;
      const keys = IDENTITY.filter((k) => columns.includes(k) && p[k] !== undefined);
      const foreign = rows.filter((r) => keys.some((k) => r[k] !== p[k])).length;
      if (foreign) info.problems.push(`${t}: ${foreign} row${foreign === 1 ? '' : 's'} of another participant, arm, study or protocol`);
    }
    info.problems.push(...typeProblems(t, columns, types, rows));
    const dt = columns.filter((_, i) => types[i] === 'datetime');
    for (const r of rows) for (const c of dt) if (r[c] && r[c] > info.latestTs) info.latestTs = r[c];
    if (onTable) await onTable({ table: t, columns, types, rows });
  }
  if (!info.participantId) info.problems.push('no participant id');
  return info;
}
