// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { DATA_DICTIONARY, EXPORT_TABLES, type ExportTable } from '@/utils/study/dictionary';
import { buildExport, csvCell, csvHeader, exportFileName, parseCsv, zipExport } from '@/utils/study/export';
import { MEASURES, validateProtocol, type Protocol } from '@/utils/study/protocol';
import { exportData, giveConsent, loadProtocol, logAnswer, logFrameReport, logImpression, logPause, logProgress, logSettingsChange, checkVersion } from '@/utils/study/store';
import type { Enrolment, StudyExportData, StudyLogRecord } from '@/utils/study/types';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const protocol = (validateProtocol(EXAMPLE) as { ok: true; protocol: Protocol }).protocol;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const MIN = 60_000;

function enrolment(over: Partial<Enrolment> = {}): Enrolment {
  return {
    version: 1,
    protocol,
    protocolText: EXAMPLE,
    participantId: 'SF-AAAA-BBBB-CCCC-DDDD',
    arm: 'every-20',
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
  await giveConsent({ agree: true, uploadConsent: false, locale: 'en', extensionVersion: '0.1.0', now: T0, participantId: 'SF-AAAA-BBBB-CCCC-DDDD' });
  for (let i = 0; i < 3; i++) {
    await logProgress('x', 10, 20_000, T0 + (i + 1) * MIN);
    const imp = await logImpression({ siteKey: 'x', frameId: `words:en:0${i}`, collectionId: 'words', postsSince: 10 }, 'en', () => (i === 0 ? 0 : 0.99), T0 + (i + 1) * MIN);
    await logPause(
      { impressionId: imp!.impressionId, visibleMs: 2000 + i, firstVisibleAgoMs: 10_000, before: { ms: 10_000, posts: 4, px: 3000 }, after: { ms: 10_000, posts: 2, px: 900 } },
      T0 + (i + 1) * MIN + 20_000,
    );
    await logFrameReport({ siteKey: 'x', frameId: `words:en:0${i}`, visibleMs: 1500, action: i === 2 ? 'break' : 'none' }, T0 + (i + 1) * MIN + 30_000);
    if (i === 0) await logAnswer(imp!.impressionId, 2, T0 + (i + 1) * MIN + 5000);
  }
  await logSettingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, gentleHold: true }, T0 + 5 * MIN);
  await checkVersion('0.2.0', T0 + 6 * MIN);
  return exportData('0.2.0', T0 + 7 * MIN);
}

describe('study export: the data dictionary is the contract', () => {
  it('describes every measure, and every table starts with participant_id and arm', () => {
    expect(EXPORT_TABLES).toEqual(['participant', ...MEASURES]);
    for (const t of EXPORT_TABLES) {
      const cols = DATA_DICTIONARY[t].columns;
      expect(cols.slice(0, 2).map((c) => c.name)).toEqual(['participant_id', 'arm']);
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

  it('carries what happened: participant, arm, impressions, the pause effect, answers', async () => {
    const built = buildExport(await realExport());
    const participant = parseCsv(built.files['csv/participant.csv']);
    expect(participant).toHaveLength(1);
    expect(participant[0]).toMatchObject({ participant_id: 'SF-AAAA-BBBB-CCCC-DDDD', study_id: 'feed-friction-pilot', protocol_version: '1.0.0', duration_days: '14', extension_version: '0.2.0' });
    const imps = parseCsv(built.files['csv/impressions.csv']);
    expect(imps).toHaveLength(3);
    expect(imps.every((r) => r.participant_id === 'SF-AAAA-BBBB-CCCC-DDDD' && r.arm === participant[0].arm)).toBe(true);
    expect(imps.map((r) => r.action)).toEqual(['none', 'none', 'break']);
    expect(imps.map((r) => r.survey_offered)).toEqual(['true', 'false', 'false']);
    expect(imps[0].shown_at).toBe(new Date(T0 + MIN).toISOString());
    expect(imps[0].visible_ms).toBe('2000');
    const vel = parseCsv(built.files['csv/scroll_velocity.csv']);
    expect(vel.map((r) => Number(r.slowdown_pct))).toEqual([70, 70, 70]);
    expect(parseCsv(built.files['csv/survey.csv']).map((r) => r.answer)).toEqual(['2']);
    expect(parseCsv(built.files['csv/versions.csv']).map((r) => r.event)).toEqual(['enrolled', 'updated']);
    const jsonl = built.files['jsonl/impressions.jsonl'].trim().split('\n').map((l) => JSON.parse(l));
    expect(typeof jsonl[0].visible_ms).toBe('number');
    expect(jsonl[0].survey_offered).toBe(true);
    expect(built.files['protocol.json']).toBe(EXAMPLE.endsWith('\n') ? EXAMPLE : `${EXAMPLE}\n`);
  });

  it('exports only the tables the protocol measures (and always participant)', () => {
    const p = { ...protocol, measures: ['sessions', 'impressions'] as Protocol['measures'] };
    const built = buildExport({ enrolment: enrolment({ protocol: p }), records: [], exportedAt: T0, extensionVersion: '0.1.0' });
    expect(built.tables).toEqual(['participant', 'sessions', 'impressions']);
    expect(Object.keys(built.files).sort()).toEqual(
      ['README.txt', 'csv/impressions.csv', 'csv/participant.csv', 'csv/sessions.csv', 'data-dictionary.csv', 'data-dictionary.json', 'jsonl/impressions.jsonl', 'jsonl/participant.jsonl', 'jsonl/sessions.jsonl', 'protocol.json'].sort(),
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
    for (const t of EXPORT_TABLES.filter((x): x is Exclude<ExportTable, 'participant'> => x !== 'participant')) expect(MEASURES).toContain(t);
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
