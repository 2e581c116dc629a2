// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateArm } from '@/utils/study/allocation';
import { validateProtocol, type Protocol } from '@/utils/study/protocol';
import { parseCsv } from '@/utils/study/export';

/** npm run study:codes: a blocked, stratified allocation list whose hashed form the extension can look up. */
describe('npm run study:codes', () => {
  it('writes codes in permuted blocks per stratum, and the protocol it writes allocates each code to its listed arm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-codes-'));
    const out = join(dir, 'list');
    execFileSync(
      'node',
      ['scripts/study-codes.mjs', 'examples/protocol.example.json', '--n', '12', '--block', '6', '--strata', 'young,old', '--seed', '7', '--out', out],
      { cwd: join(__dirname, '..', '..') },
    );
    const rows = parseCsv(readFileSync(`${out}.csv`, 'utf8'));
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((r) => r.code)).size).toBe(24);
    // Every complete block of 6 holds each of the three equal arms twice, in each stratum.
    for (const stratum of ['young', 'old']) {
      for (const b of ['0', '1']) {
        const arms = rows
          .filter((r) => r.stratum === stratum && r.block === b)
          .map((r) => r.arm)
          .sort();
        expect(arms).toEqual(['control', 'control', 'every-20', 'every-20', 'every-50', 'every-50']);
      }
    }
    const text = readFileSync(`${out}.protocol.json`, 'utf8');
    expect(text).not.toContain(rows[0].code); // only hashes go to participants
    const checked = validateProtocol(text);
    expect(checked.ok, JSON.stringify(!checked.ok && checked.errors)).toBe(true);
    const p = (checked as { protocol: Protocol }).protocol;
    for (const r of rows.slice(0, 8)) {
      const a = await allocateArm(p, { participantId: 'SF-ANY', code: r.code.toLowerCase() });
      expect(a.ok && [a.allocation.arm, a.allocation.stratum]).toEqual([r.arm, r.stratum]);
    }
    // Same seed, same list: the list can be pre-registered by its seed.
    execFileSync(
      'node',
      ['scripts/study-codes.mjs', 'examples/protocol.example.json', '--n', '12', '--block', '6', '--strata', 'young,old', '--seed', '7', '--out', `${out}2`],
      { cwd: join(__dirname, '..', '..') },
    );
    expect(readFileSync(`${out}2.csv`, 'utf8')).toBe(readFileSync(`${out}.csv`, 'utf8'));
  }, 60_000);
});
