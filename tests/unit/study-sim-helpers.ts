import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateStudy, type SimArm, type SimOptions, type SimParticipant } from '@/utils/study/analysis/simulate';
import { syntheticExportFiles, zipFiles, type SyntheticStudy } from '@/utils/study/analysis/synthetic-export';

/**
 * Simulated studies as export zips on disk, for the study:summary tests. The decisions and
 * participants tables follow the decision-point contract (docs/STUDY.md); see synthetic-export.ts.
 */
export const STUDY: SyntheticStudy = {
  studyId: 'sim-study',
  version: '1.0',
  durationDays: 14,
  arms: [
    { id: 'control', weight: 1, frames: false },
    { id: 'mrt', weight: 2 },
    { id: 'frames', weight: 1 },
  ],
};

export const ARMS: SimArm[] = [
  { id: 'control', p: 0, participants: 12 },
  { id: 'mrt', p: 0.5, participants: 24 },
  { id: 'frames', p: 1, participants: 12 },
];

export function tempDir(prefix = 'stillframe-study-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeStudy(dir: string, participants: SimParticipant[], study: SyntheticStudy = STUDY): string[] {
  mkdirSync(dir, { recursive: true });
  return participants.map((p) => {
    const path = join(dir, `stillframe-study-${study.studyId}-${p.participantId}.zip`);
    writeFileSync(path, zipFiles(syntheticExportFiles(study, p)));
    return path;
  });
}

export function simulate(seed: number, o: Partial<SimOptions> = {}, arms: SimArm[] = ARMS): SimParticipant[] {
  return simulateStudy(seed, arms, { decisions: 40, ...o });
}
