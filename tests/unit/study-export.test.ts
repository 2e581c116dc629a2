// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { DATA_DICTIONARY, EXPORT_TABLES, type ExportTable } from '@/utils/study/dictionary';
import { buildExport, csvCell, csvHeader, exportFileName, parseCsv, zipExport } from '@/utils/study/export';
import { MEASURES, validateProtocol, type Protocol } from '@/utils/study/protocol';
import { exportData, giveConsent, loadProtocol } from '@/utils/study/enrolment';
import {
  checkVersion,
  logAnswer,
  logDecisionPoint,
  logDecisionWindows,
  logFrameReport,
  logProgress,
  logSettingsChange,
  logSettingsSnapshot,
  syncCensoring,
} from '@/utils/study/writers';
import type { Enrolment, StudyExportData, StudyLogRecord } from '@/utils/study/types';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const protocol = (validateProtocol(EXAMPLE) as { ok: true; protocol: Protocol }).protocol;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const MIN = 60_000;

function enrolment(over: Partial<Enrolment> = {}): Enrolment {
  return {
    version: 2,
    protocol,
    protocolText: EXAMPLE,
    protocolHash: 'a'.repeat(64),
    participantId: 'SF-AAAA-BBBB-CCCC-DDDD',
    arm: 'every-20',
    allocation: { arm: 'every-20', method: 'stable-hash', value: 0.5, seed: 'feed-friction-pilot', key: 'participant_id', stratum: null },
    enrolmentCode: null,
    eligibilityConfirmed: true,
    previousWithdrawalAt: null,
    consentedAt: T0,
    startedAt: T0,
    endsAt: T0 + 14 * 86_400_000,
    uploadConsent: false,
    consentLocale: 'en',
    extensionVersion: '0.1.0',
    ...over,
  };
}

/** A study's worth of rows written by the real writers (fake-indexeddb), then exported. */
async function realExport(): Promise<StudyExportData> {
  expect((await loadProtocol(EXAMPLE, T0)).ok).toBe(true);
  await giveConsent({
    agree: true,
    uploadConsent: false,
    locale: 'en',
    extensionVersion: '0.1.0',
    now: T0,
    participantId: 'SF-AAAA-BBBB-CCCC-DDDD',
    eligibilityConfirmed: true,
    enrolmentCode: 'code-7',
  });
  await logSettingsSnapshot({ event: 'enrolled', own: DEFAULT_SETTINGS, effective: DEFAULT_SETTINGS }, T0);
  for (let i = 0; i < 3; i++) {
    const at = T0 + (i + 1) * MIN;
    await logProgress('x', 10, 20_000, at);
    const d = await logDecisionPoint(
      {
        decisionId: `dec-${i}`,
        siteKey: 'x',
        pShow: 0.8,
        shown: true,
        available: true,
        frame: { frameId: `words:en:0${i}`, collectionId: 'words', postsSince: 10 },
        rng: () => (i === 0 ? 0 : 0.99),
      },
      at,
    );
    await logDecisionWindows(
      {
        decisionId: `dec-${i}`,
        reachedAgoMs: 10_000,
        insertedAgoMs: 12_000,
        before: { ms: 10_000, posts: 4, pxTravelled: 3000, pxNet: 3000 },
        after: { ms: 10_000, posts: 2, pxTravelled: 900, pxNet: 700 },
        overlapsPrevious: i > 0,
        censored: null,
      },
      at + 20_000,
    );
    await logFrameReport(
      {
        impressionId: d!.impressionId!,
        action: i === 2 ? 'break' : 'none',
        exposure: { method: 'io-v1', maxRatio: 1, inViewMs: 2500 + i, attendedMs: 2000 + i, longestMs: 1500, seen: true, firstVisibleAgoMs: 10_000 },
      },
      at + 30_000,
    );
    if (i === 0) await logAnswer(d!.survey!.offerId, 2, at + 5000);
  }
  await logDecisionPoint({ decisionId: 'dec-w', siteKey: 'x', pShow: 0.8, shown: false, available: true, rng: () => 0.99 }, T0 + 4 * MIN);
  await logDecisionPoint({ decisionId: 'dec-u', siteKey: 'x', pShow: 0.8, shown: false, available: false, unavailableReason: 'quiet-hours' }, T0 + 4 * MIN + 1);
  await syncCensoring('x', 'quiet-hours', T0 + 4 * MIN);
  await logSettingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, gentleHold: true }, T0 + 5 * MIN);
  await checkVersion('0.2.0', T0 + 6 * MIN);
  return exportData('0.2.0', T0 + 7 * MIN);
}

describe('study export: the data dictionary is the contract', () => {
  it('describes every measure, and every table starts with study, protocol version and hash, participant and arm', () => {
    expect(EXPORT_TABLES).toEqual(['participants', ...MEASURES]);
    for (const t of EXPORT_TABLES) {
      const cols = DATA_DICTIONARY[t].columns;
      expect(cols.slice(0, 5).map((c) => c.name)).toEqual(['study_id', 'protocol_version', 'protocol_hash', 'participant_id', 'arm']);
      // Units live in the names of measured numbers (px/s vs posts/min; travelled vs net).
      for (const c of cols) if (c.unit === 'px/s') expect(c.name).toMatch(/_px_s$/);
      expect(new Set(cols.map((c) => c.name)).size, `duplicate column in ${t}`).toBe(cols.length);
      for (const c of cols) {
        expect(c.description.length, `${t}.${c.name} needs a description`).toBeGreaterThan(5);
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  });

  it('CSV headers, JSONL keys and data-dictionary.csv all match the dictionary, column for column', async () => {
    const built = buildExport(await realExport());
    expect(built.undocumented).toEqual([]); // every key a writer stores is described
    expect(built.tables).toEqual(EXPORT_TABLES);
    const dict = parseCsv(built.files['data-dictionary.csv']);
    for (const t of built.tables) {
      const names = DATA_DICTIONARY[t].columns.map((c) => c.name);
      expect(csvHeader(built.files[`csv/${t}.csv`]), `csv/${t}.csv`).toEqual(names);
      const lines = built.files[`jsonl/${t}.jsonl`].trim().split('\n').filter(Boolean);
      expect(lines.length, `jsonl/${t}.jsonl rows`).toBe(built.rows[t]);
      for (const line of lines) expect(Object.keys(JSON.parse(line)), `jsonl/${t}.jsonl keys`).toEqual(names);
      expect(dict.filter((r) => r.table === t && r.column !== '').map((r) => r.column)).toEqual(names);
      expect(parseCsv(built.files[`csv/${t}.csv`])).toHaveLength(built.rows[t]);
    }
    const json = JSON.parse(built.files['data-dictionary.json']);
    expect(Object.keys(json)).toEqual(EXPORT_TABLES);
  });

  it('carries what happened: the participant’s allocation, decision points shown and withheld, impressions, answers', async () => {
    const data = await realExport();
    const built = buildExport(data);
    const participants = parseCsv(built.files['csv/participants.csv']);
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({
      participant_id: 'SF-AAAA-BBBB-CCCC-DDDD',
      study_id: 'feed-friction-pilot',
      protocol_version: '1.0.0',
      protocol_hash: data.enrolment.protocolHash,
      allocation_method: 'stable-hash',
      allocation_seed: 'feed-friction-pilot',
      allocation_key: 'enrolment_code',
      allocation_value: String(data.enrolment.allocation.value), // every digit: the allocation can be recomputed exactly
      enrolment_code: 'CODE7',
      status: 'active',
      enrolled_at: new Date(T0).toISOString(),
      duration_days: '14',
      eligibility_confirmed: 'true',
      extension_version: '0.2.0',
    });
    // Every row of every table says whose it is and under which protocol.
    for (const t of built.tables) {
      for (const r of parseCsv(built.files[`csv/${t}.csv`])) {
        expect(r, t).toMatchObject({
          study_id: 'feed-friction-pilot',
          protocol_version: '1.0.0',
          protocol_hash: data.enrolment.protocolHash,
          participant_id: 'SF-AAAA-BBBB-CCCC-DDDD',
          arm: participants[0].arm,
        });
      }
    }
    const decisions = parseCsv(built.files['csv/decisions.csv']);
    expect(decisions.map((r) => [r.decision_id, r.shown, r.available, r.censored])).toEqual([
      ['dec-0', 'true', 'true', ''],
      ['dec-1', 'true', 'true', ''],
      ['dec-2', 'true', 'true', ''],
      ['dec-w', 'false', 'true', 'pending'],
      ['dec-u', 'false', 'false', 'unavailable'],
    ]);
    expect(decisions[0]).toMatchObject({
      p_show: '0.8',
      velocity_before_px_s: '300',
      velocity_after_px_s: '90',
      posts_per_min_before: '24',
      posts_per_min_after: '12',
      overlaps_previous: 'false',
      before_px_net: '3000',
      after_px_travelled: '900',
    });
    expect(decisions[1].overlaps_previous).toBe('true');
    expect(decisions[3].impression_id).toBe('');
    expect(decisions[4].unavailable_reason).toBe('quiet-hours');
    const imps = parseCsv(built.files['csv/impressions.csv']);
    expect(imps).toHaveLength(3);
    expect(imps.map((r) => r.decision_id)).toEqual(['dec-0', 'dec-1', 'dec-2']);
    expect(imps.map((r) => r.impression_id)).toEqual(decisions.slice(0, 3).map((r) => r.impression_id));
    expect(imps.map((r) => r.action)).toEqual(['none', 'none', 'break']);
    expect(imps.map((r) => r.survey_offered)).toEqual(['true', 'false', 'false']);
    expect(imps[0]).toMatchObject({
      granted_at: new Date(T0 + MIN).toISOString(),
      inserted_at: new Date(T0 + MIN + 20_000 - 12_000).toISOString(),
      attended_ms: '2000',
      seen: 'true',
      exposure_method: 'io-v1',
    });
    expect(parseCsv(built.files['csv/survey.csv']).map((r) => [r.trigger, r.answer])).toEqual([['frame', '2']]);
    expect(parseCsv(built.files['csv/censoring.csv']).map((r) => [r.cause, r.site_key, r.end_at])).toEqual([['quiet-hours', 'x', '']]);
    expect(parseCsv(built.files['csv/settings_snapshots.csv']).map((r) => r.event)).toEqual(['enrolled']);
    expect(parseCsv(built.files['csv/versions.csv']).map((r) => r.event)).toEqual(['enrolled', 'updated']);
    for (const t of built.tables)
      for (const r of parseCsv(built.files[`csv/${t}.csv`])) if ('utc_offset_min' in r) expect(r.utc_offset_min, t).toMatch(/^-?\d+$/);
    const jsonl = built.files['jsonl/decisions.jsonl']
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(typeof jsonl[0].velocity_before_px_s).toBe('number');
    expect(jsonl[0].shown).toBe(true);
    expect(jsonl[3].after_ms).toBeNull();
    expect(built.files['protocol.json']).toBe(EXAMPLE.endsWith('\n') ? EXAMPLE : `${EXAMPLE}\n`);
  });

  it('a record damaged on the device is left out and counted, never a crash', () => {
    const records = [
      { id: 'ok', table: 'sessions', ts: T0, data: { session_id: 'ses-1', site_key: 'x', posts: 3 } },
      { id: 'bad', table: 'sessions', ts: T0, data: null },
      'garbage',
    ] as unknown as StudyLogRecord[];
    const built = buildExport({ enrolment: enrolment(), records, exportedAt: T0, extensionVersion: '0.1.0' });
    expect(built.rows.sessions).toBe(1);
    expect(built.skipped).toBe(2);
    expect(built.files['README.txt']).toContain('Left out: 2 record(s)');
  });

  it('exports only the tables the protocol measures (and always participants)', () => {
    const p = { ...protocol, measures: ['sessions', 'impressions'] as Protocol['measures'] };
    const built = buildExport({ enrolment: enrolment({ protocol: p }), records: [], exportedAt: T0, extensionVersion: '0.1.0' });
    expect(built.tables).toEqual(['participants', 'sessions', 'impressions']);
    expect(Object.keys(built.files).sort()).toEqual(
      [
        'README.txt',
        'csv/impressions.csv',
        'csv/participants.csv',
        'csv/sessions.csv',
        'data-dictionary.csv',
        'data-dictionary.json',
        'jsonl/impressions.jsonl',
        'jsonl/participants.jsonl',
        'jsonl/sessions.jsonl',
        'protocol.json',
      ].sort(),
    );
    expect(csvHeader(built.files['csv/sessions.csv'])).toEqual(DATA_DICTIONARY.sessions.columns.map((c) => c.name));
    expect(built.files['jsonl/sessions.jsonl']).toBe('');
  });

  it('flags a stored key the dictionary does not describe (and leaves it out)', () => {
    const bad: StudyLogRecord = { id: 'x', table: 'sessions', ts: T0, data: { session_id: 's', url: 'https://example.org/' } };
    const built = buildExport({ enrolment: enrolment(), records: [bad], exportedAt: T0, extensionVersion: '0.1.0' });
    expect(built.undocumented).toEqual(['sessions.url']);
    expect(built.files['csv/sessions.csv']).not.toContain('example.org');
  });

  it('quotes CSV cells per RFC 4180 and defuses spreadsheet formulas in text cells', () => {
    const text = { name: 'x', type: 'string' as const, description: '' };
    const num = { name: 'n', type: 'number' as const, description: '' };
    expect(csvCell(text, 'a,b')).toBe('"a,b"');
    expect(csvCell(text, 'say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(text, 'line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(text, '=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(num, -12.5)).toBe('-12.5');
    expect(csvCell(text, null)).toBe('');
    const round = parseCsv('a,b\r\n"x,1","y ""q"""\r\n');
    expect(round).toEqual([{ a: 'x,1', b: 'y "q"' }]);
  });

  it('zips everything into one file that unzips to the same texts', async () => {
    const data = await realExport();
    const built = buildExport(data);
    const zip = zipExport(built, data.exportedAt);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(Object.keys(built.files).sort());
    for (const [path, bytes] of Object.entries(files)) expect(strFromU8(bytes)).toBe(built.files[path]);
    expect(exportFileName(data)).toBe('stillframe-study-feed-friction-pilot-SF-AAAA-BBBB-CCCC-DDDD-20260302.zip');
    // Same data → same bytes (fixed timestamps inside the zip).
    expect(zipExport(buildExport(data), data.exportedAt)).toEqual(zip);
  });

  it('contains no URL or host name anywhere except the protocol the researchers wrote', async () => {
    const built = buildExport(await realExport());
    for (const [path, text] of Object.entries(built.files)) {
      if (path === 'protocol.json' || path.startsWith('data-dictionary') || path === 'README.txt') continue;
      expect(text, path).not.toMatch(/https?:\/\//);
    }
  });

  it('every dictionary table is reachable by a measure name', () => {
    for (const t of EXPORT_TABLES.filter((x): x is Exclude<ExportTable, 'participants'> => x !== 'participants')) expect(MEASURES).toContain(t);
  });
});

describe('docs/STUDY.md', () => {
  it('documents every table and column of the data dictionary', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'STUDY.md'), 'utf8');
    for (const t of EXPORT_TABLES) {
      expect(doc, `table ${t}`).toContain(`#### ${t}`);
      for (const c of DATA_DICTIONARY[t].columns) expect(doc, `${t}.${c.name}`).toContain(`| \`${c.name}\` | ${c.type} |`);
    }
  });
});
