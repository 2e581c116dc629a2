// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as A from '@/utils/study/analysis';
import { closeDB } from '@/utils/storage/db';
import { IDBFactory } from 'fake-indexeddb';
import { exportData, giveConsent, loadProtocol } from '@/utils/study/enrolment';
import { logDecisionPoint, logProgress } from '@/utils/study/writers';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { buildExport, exportFileName, parseCsv, zipExport } from '@/utils/study/export';
import { summariseStudy } from '../../scripts/lib/study-merge.mjs';

/**
 * The extension's real store and export, read by the analysis (study:summary): exports of
 * participants who enrolled with researcher-issued codes are merged, and every allocation is
 * recomputed from the canonical protocol — the two halves agree on the contract.
 */
vi.setConfig({ testTimeout: 60_000 });

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const T0 = Date.UTC(2026, 2, 2, 9);
const MIN = 60_000;

/** One participant through the real store: consent with a code, scrolling and decision points, the zip. */
async function participant(pid: string, code: string, seed: number): Promise<{ zip: Uint8Array; name: string; arm: string }> {
  await closeDB();
  globalThis.indexedDB = new IDBFactory();
  expect((await loadProtocol(EXAMPLE, T0)).ok).toBe(true);
  const res = await giveConsent({
    agree: true,
    uploadConsent: false,
    locale: 'en',
    extensionVersion: '1.0.0',
    now: T0,
    participantId: pid,
    enrolmentCode: code,
    eligibilityConfirmed: true,
  });
  expect(res.ok).toBe(true);
  const arm = res.ok ? res.enrolment!.arm : '';
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 12; i++) {
    const at = T0 + (i + 1) * MIN;
    await logProgress('x', 10, 30_000, at);
    const pShow = arm === 'control' ? 0 : 0.8;
    const shown = rnd() < pShow;
    await logDecisionPoint(
      {
        siteKey: 'x',
        pShow,
        shown,
        available: true,
        frame: shown ? { frameId: `still:${i}`, collectionId: 'still', postsSince: 20 } : null,
        windows: {
          reachedAgoMs: 10_000,
          insertedAgoMs: null,
          before: { ms: 10_000, posts: 5, pxTravelled: 4000, pxNet: 4000 },
          after: { ms: 10_000, posts: 3, pxTravelled: 2000 + rnd() * 1000, pxNet: 2000 },
          overlapsPrevious: false,
          censored: null,
        },
        rng: () => 0.99,
      },
      at,
    );
  }
  const data = await exportData('1.0.0', T0 + 60 * MIN);
  return { zip: zipExport(buildExport(data), data.exportedAt), name: exportFileName(data), arm };
}

describe('the real store\u2019s exports through study:summary', () => {
  it('are merged, and every allocation (made with an enrolment code) recomputes from the canonical protocol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-pipeline-'));
    try {
      mkdirSync(join(dir, 'zips'));
      const people = [
        ['SF-AAAA-AAAA-AAAA-AAA1', 'K7Q2-M9XA'],
        ['SF-AAAA-AAAA-AAAA-AAA2', 'P3RT-8WZC'],
        ['SF-AAAA-AAAA-AAAA-AAA3', 'HX4D-2NQE'],
        ['SF-AAAA-AAAA-AAAA-AAA4', 'MMT9-05KB'],
      ];
      const arms: string[] = [];
      for (const [i, [pid, code]] of people.entries()) {
        const p = await participant(pid, code, i + 1);
        arms.push(p.arm);
        writeFileSync(join(dir, 'zips', p.name), p.zip);
      }
      const checked = A.validateProtocol(EXAMPLE);
      expect(checked.ok).toBe(true);
      const r = await summariseStudy({
        inputs: [join(dir, 'zips')],
        out: join(dir, 'out'),
        analysis: A,
        bootstrap: 19,
        canonical: { protocol: (checked as any).protocol, json: JSON.parse(EXAMPLE) },
      });
      expect(r.files.map((f: any) => f.status)).toEqual(['used', 'used', 'used', 'used']);
      expect(r.participants.map((p: any) => p.enrolment_code).sort()).toEqual(['HX4D2NQE', 'K7Q2M9XA', 'MMT905KB', 'P3RT8WZC']);
      expect(r.allocation.map((a: any) => [a.ok, a.problems])).toEqual(people.map(() => [true, []]));
      const decisions = parseCsv(readFileSync(join(dir, 'out', 'decision_points.csv'), 'utf8'));
      expect(decisions).toHaveLength(48);
      expect(new Set(decisions.map((d) => d.arm))).toEqual(new Set(arms));
      // A participant whose arm in the export was changed by hand is caught.
      const t = await participant('SF-AAAA-AAAA-AAAA-AAA5', 'ZZ99-ZZ99', 9);
      const other = t.arm === 'every-20' ? 'every-50' : 'every-20';
      const files = unzipSync(t.zip);
      for (const k of Object.keys(files)) {
        const text = strFromU8(files[k]);
        if (k.startsWith('csv/')) files[k] = strToU8(text.replaceAll(`,${t.arm},`, `,${other},`));
        if (k.startsWith('jsonl/')) files[k] = strToU8(text.replaceAll(`"arm":"${t.arm}"`, `"arm":"${other}"`));
      }
      writeFileSync(join(dir, 'zips', 'tampered.zip'), zipSync(files));
      const again = await summariseStudy({
        inputs: [join(dir, 'zips')],
        out: join(dir, 'out2'),
        analysis: A,
        bootstrap: 19,
        canonical: { protocol: (checked as any).protocol, json: JSON.parse(EXAMPLE) },
      });
      const bad = again.allocation.filter((a: any) => !a.ok);
      expect(bad.map((a: any) => [a.participantId, a.recordedArm, a.expectedArm])).toEqual([['SF-AAAA-AAAA-AAAA-AAA5', other, t.arm]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
