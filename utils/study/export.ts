import { strToU8, zipSync } from 'fflate';
import { DATA_DICTIONARY, type ColumnDef, type ExportTable } from './dictionary';
import type { Scalar, StudyExportData, StudyLogRecord } from './types';
import { utcOffsetMin } from './rows';

/**
 * The export: one zip with a CSV and a JSONL file per table, the data dictionary, the protocol
 * the participant agreed to, and a README. `buildExport` is pure (records in, file texts out),
 * so the columns can be tested against the dictionary without a browser.
 */
export interface BuiltExport {
  /** Path inside the zip → file text. */
  files: Record<string, string>;
  /** Tables in the export (participant + the protocol's measures), in dictionary order. */
  tables: ExportTable[];
  /** Rows per table. */
  rows: Record<string, number>;
  /** Keys found in records that the dictionary does not describe (dropped; should be empty). */
  undocumented: string[];
  /** Records left out because they were damaged (not shaped like a row). */
  skipped: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A cell for JSONL: typed per the dictionary. */
function jsonValue(col: ColumnDef, raw: Scalar | undefined): Scalar {
  if (raw === undefined || raw === null || raw === '') return null;
  switch (col.type) {
    case 'datetime':
      return typeof raw === 'number' ? iso(raw) : String(raw);
    case 'boolean':
      return raw === true || raw === 'true' || raw === 1;
    case 'integer':
      return typeof raw === 'number' ? Math.round(raw) : Number(raw);
    case 'number': {
      if (typeof raw !== 'number') return Number(raw);
      if (col.digits !== undefined && col.digits >= 15) return raw;
      const f = 10 ** (col.digits ?? 3);
      return Math.round(raw * f) / f;
    }
    default:
      return String(raw);
  }
}

/** RFC 4180 quoting; a text cell that a spreadsheet would read as a formula gets a leading apostrophe. */
export function csvCell(col: ColumnDef, value: Scalar): string {
  if (value === null) return '';
  let s = String(value);
  if (col.type === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(columns: ColumnDef[], rows: Record<string, Scalar>[]): string {
  const head = columns.map((c) => c.name).join(',');
  const body = rows.map((r) => columns.map((c) => csvCell(c, r[c.name] ?? null)).join(','));
  return [head, ...body].join('\r\n') + '\r\n';
}

function dictionaryCsv(tables: ExportTable[]): string {
  const cols: ColumnDef[] = ['table', 'column', 'type', 'unit', 'description'].map((name) => ({ name, type: 'string', description: '' }));
  const rows: Record<string, Scalar>[] = [];
  for (const t of tables) {
    rows.push({ table: t, column: '', type: '', unit: '', description: `One row: ${DATA_DICTIONARY[t].row}` });
    for (const c of DATA_DICTIONARY[t].columns) rows.push({ table: t, column: c.name, type: c.type, unit: c.unit ?? '', description: c.description });
  }
  return toCsv(cols, rows);
}

function readme(data: StudyExportData, tables: ExportTable[], rows: Record<string, number>, skipped: number): string {
  const e = data.enrolment;
  return [
    `Stillframe study export`,
    ``,
    `Study:       ${e.protocol.studyId} (protocol version ${e.protocol.version}) — ${e.protocol.title.en}`,
    `Protocol:    sha256 ${e.protocolHash}`,
    `Participant: ${e.participantId}`,
    `Arm:         ${e.arm} (${e.allocation.method}, value ${e.allocation.value}, seed ${e.allocation.seed})`,
    `Status:      ${studyExportStatus(e, data.exportedAt)}`,
    `Exported:    ${iso(data.exportedAt)} by Stillframe ${data.extensionVersion}`,
    ``,
    `csv/<table>.csv     one file per table (UTF-8, comma-separated, header row, RFC 4180 quoting)`,
    `jsonl/<table>.jsonl the same rows as JSON Lines (one object per line, typed values)`,
    `data-dictionary.csv every column of every table: type, unit, meaning (also as data-dictionary.json)`,
    `protocol.json       the protocol exactly as the participant agreed to it`,
    ``,
    `Tables: ${tables.map((t) => `${t} (${rows[t]} rows)`).join(', ')}`,
    ...(skipped > 0 ? [`Left out: ${skipped} record(s) damaged on the device (unreadable).`] : []),
    ``,
    `Nothing in these files contains a web address, post text, account name or anything typed.`,
    `Times are UTC, ISO 8601. Summarise with: npm run study:summary <this zip>`,
    ``,
  ].join('\n');
}

/** active while the study runs, finished after its last day (never "withdrawn": withdrawing deletes the data). */
export function studyExportStatus(e: Pick<StudyExportData['enrolment'], 'endsAt'>, at: number): 'active' | 'finished' {
  return at < e.endsAt ? 'active' : 'finished';
}

function participantRow(data: StudyExportData): Record<string, Scalar> {
  const e = data.enrolment;
  return {
    allocation_method: e.allocation.method,
    allocation_value: e.allocation.value,
    allocation_seed: e.allocation.seed,
    allocation_key: e.allocation.key,
    stratum: e.allocation.stratum,
    enrolment_code: e.enrolmentCode,
    status: studyExportStatus(e, data.exportedAt),
    enrolled_at: e.consentedAt,
    ends_at: e.endsAt,
    duration_days: e.protocol.durationDays,
    consent_locale: e.consentLocale,
    eligibility_confirmed: e.eligibilityConfirmed,
    upload_consent: e.uploadConsent,
    previous_withdrawal_at: e.previousWithdrawalAt,
    extension_version: data.extensionVersion,
    exported_at: data.exportedAt,
    utc_offset_min: utcOffsetMin(data.exportedAt),
  };
}

/** The five columns every row starts with, from the enrolment the whole store belongs to. */
function whoColumns(e: StudyExportData['enrolment']): Record<string, Scalar> {
  return { study_id: e.protocol.studyId, protocol_version: e.protocol.version, protocol_hash: e.protocolHash, participant_id: e.participantId, arm: e.arm };
}

/** Builds every file of the export from the study records. Pure. */
export function buildExport(data: StudyExportData): BuiltExport {
  const e = data.enrolment;
  const tables: ExportTable[] = [
    'participants',
    ...(Object.keys(DATA_DICTIONARY) as ExportTable[]).filter((t) => t !== 'participants' && e.protocol.measures.includes(t as never)),
  ];
  const byTable = new Map<ExportTable, StudyLogRecord[]>();
  let skipped = 0;
  for (const r of data.records) {
    // A record damaged on disk is left out (and counted in the README), never a crash.
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !Number.isFinite(r.ts) || !r.data || typeof r.data !== 'object' || Array.isArray(r.data)) {
      skipped++;
      continue;
    }
    if (!tables.includes(r.table)) continue;
    const list = byTable.get(r.table) ?? [];
    list.push(r);
    byTable.set(r.table, list);
  }
  const files: Record<string, string> = {};
  const rows: Record<string, number> = {};
  const who = whoColumns(e);
  const undocumented = new Set<string>();
  for (const t of tables) {
    const columns = DATA_DICTIONARY[t].columns;
    const known = new Set(columns.map((c) => c.name));
    const raw: Record<string, Scalar>[] =
      t === 'participants'
        ? [participantRow(data)]
        : (byTable.get(t) ?? []).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => r.data);
    const typed = raw.map((data0) => {
      for (const k of Object.keys(data0)) if (!known.has(k)) undocumented.add(`${t}.${k}`);
      const full: Record<string, Scalar> = { ...data0, ...who };
      const out: Record<string, Scalar> = {};
      for (const c of columns) out[c.name] = jsonValue(c, full[c.name]);
      return out;
    });
    rows[t] = typed.length;
    files[`csv/${t}.csv`] = toCsv(columns, typed);
    files[`jsonl/${t}.jsonl`] = typed.map((r) => JSON.stringify(r)).join('\n') + (typed.length ? '\n' : '');
  }
  files['data-dictionary.csv'] = dictionaryCsv(tables);
  files['data-dictionary.json'] =
    JSON.stringify(Object.fromEntries(tables.map((t) => [t, { file: [`csv/${t}.csv`, `jsonl/${t}.jsonl`], ...DATA_DICTIONARY[t] }])), null, 2) + '\n';
  files['protocol.json'] = e.protocolText.endsWith('\n') ? e.protocolText : `${e.protocolText}\n`;
  files['README.txt'] = readme(data, tables, rows, skipped);
  return { files, tables, rows, undocumented: [...undocumented].sort(), skipped };
}

/** The zip's bytes (deflate; fixed timestamps so the same data gives the same file). */
export function zipExport(built: BuiltExport, exportedAt: number): Uint8Array {
  const mtime = new Date(exportedAt);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, text] of Object.entries(built.files)) entries[path] = [strToU8(text), { mtime }];
  return zipSync(entries, { level: 6 });
}

export function exportFileName(data: StudyExportData): string {
  const day = iso(data.exportedAt).slice(0, 10).replace(/-/g, '');
  return `stillframe-study-${data.enrolment.protocol.studyId}-${data.enrolment.participantId}-${day}.zip`;
}

/** Parses CSV text (RFC 4180) into header-keyed rows. For tests and tools; tolerant of LF or CRLF. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
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
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    records.push(row);
  }
  const [head, ...body] = records;
  if (!head) return [];
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

/** The header row of a CSV file. */
export function csvHeader(text: string): string[] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first === '' ? [] : first.split(',');
}
