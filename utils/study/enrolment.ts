import { finite } from '@/utils/finite';
import { getDB } from '@/utils/storage/db';
import { logEvent } from '@/utils/storage/events';
import { readStudyRecord, readStudyRecordUnchecked, writeStudyRecord } from '@/utils/storage/records';
import { PARTICIPANT_ID_RE, newParticipantId } from './arms';
import { allocateArm, normaliseCode, protocolHash } from './allocation';
import { MEASURES, validateProtocol, type Arm, type Measure, type Protocol, type ProtocolFieldError } from './protocol';
import { KEYS, WithdrawalNoteSchema, repairMap, type WithdrawalNotes } from './bookkeeping';
import { utcOffsetMin } from './rows';
import type { Enrolment, PendingProtocol, StudyContentConfig, StudyCounts, StudyExportData, StudyStatus, WithdrawalNote } from './types';

/**
 * Enrolment: load → consent (or decline) → run → finish, or withdraw. The 'study' store holds
 * the enrolment, the pending protocol and small bookkeeping records; the rows of the study's
 * tables are in 'studyLog' (writers.ts). Nothing is recorded before consent.
 */

export const DAY_MS = 86_400_000;

/** A cheap structural check of an enrolment as stored by this version. */
function isEnrolment(x: unknown): x is Enrolment {
  const e = x as Enrolment;
  return (
    !!e &&
    typeof e === 'object' &&
    e.version === 2 &&
    typeof e.participantId === 'string' &&
    typeof e.arm === 'string' &&
    typeof e.protocolHash === 'string' &&
    !!e.protocol &&
    Array.isArray(e.protocol.arms) &&
    Array.isArray(e.protocol.measures) &&
    !!e.allocation &&
    typeof e.allocation === 'object' &&
    Number.isFinite(e.startedAt) &&
    Number.isFinite(e.endsAt)
  );
}

/**
 * Turns an enrolment of an earlier version, or one damaged on disk, into a current one —
 * without ever drawing a new arm for a participant who already has one. Null when it cannot
 * be trusted (no participant id, no start, no valid protocol).
 */
export async function repairEnrolment(raw: unknown): Promise<Enrolment | null> {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.participantId !== 'string' || !PARTICIPANT_ID_RE.test(r.participantId) || !finite(r.startedAt)) return null;
  const checked = validateProtocol(typeof r.protocolText === 'string' ? r.protocolText : r.protocol);
  if (!checked.ok) return null;
  const protocol = checked.protocol;
  const code = typeof r.enrolmentCode === 'string' && r.enrolmentCode ? normaliseCode(r.enrolmentCode) : null;
  const alloc = await allocateArm(protocol, { participantId: r.participantId, code });
  const keptArm = typeof r.arm === 'string' && protocol.arms.some((a) => a.id === r.arm) ? r.arm : null;
  const arm = keptArm ?? (alloc.ok ? alloc.allocation.arm : null);
  if (!arm) return null;
  const allocation = alloc.ok
    ? alloc.allocation
    : {
        arm,
        method: protocol.randomisation.method,
        value: -1,
        seed: protocol.randomisation.seed ?? protocol.studyId,
        key: 'participant_id' as const,
        stratum: null,
      };
  const startedAt = r.startedAt;
  return {
    version: 2,
    protocol,
    protocolText: typeof r.protocolText === 'string' ? r.protocolText : JSON.stringify(protocol, null, 2),
    protocolHash: await protocolHash(protocol),
    participantId: r.participantId,
    arm,
    allocation: { ...allocation, arm },
    enrolmentCode: code,
    consentedAt: finite(r.consentedAt) ? r.consentedAt : startedAt,
    startedAt,
    endsAt: finite(r.endsAt) ? r.endsAt : startedAt + protocol.durationDays * DAY_MS,
    uploadConsent: r.uploadConsent === true && !!protocol.endpoint,
    consentLocale: r.consentLocale === 'zh_CN' ? 'zh_CN' : 'en',
    eligibilityConfirmed: r.eligibilityConfirmed === true,
    extensionVersion: typeof r.extensionVersion === 'string' ? r.extensionVersion.slice(0, 40) : 'unknown',
    previousWithdrawalAt: finite(r.previousWithdrawalAt) ? r.previousWithdrawalAt : null,
  };
}

/**
 * The enrolment, repaired if it was stored by an earlier version or damaged. One that cannot be
 * repaired is kept aside (never deleted: withdrawing removes it) and the study counts as not set up.
 */
export async function getEnrolment(): Promise<Enrolment | null> {
  const db = await getDB();
  const raw = await readStudyRecordUnchecked(db, KEYS.enrolment);
  if (raw === undefined) return null;
  if (isEnrolment(raw)) return raw;
  const fixed = await repairEnrolment(raw);
  const tx = db.transaction('study', 'readwrite');
  if (fixed) await writeStudyRecord(tx.store, KEYS.enrolment, fixed);
  else {
    await writeStudyRecord(tx.store, KEYS.corruptEnrolment, raw);
    await tx.store.delete(KEYS.enrolment);
  }
  await tx.done;
  await logEvent({ ts: Date.now(), type: 'notice', detail: fixed ? 'study-repaired:enrolment' : 'study-unreadable:enrolment' });
  return fixed;
}

/**
 * The pending protocol as stored, checked again: its protocol is the one its text validates to
 * now (what the participant is shown and consents to). A damaged record, or one whose text no
 * longer validates, counts as no protocol loaded (the researcher's file can be loaded again).
 */
export function loadPending(raw: unknown): PendingProtocol | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { text, loadedAt } = raw as Partial<Record<keyof PendingProtocol, unknown>>;
  if (typeof text !== 'string' || !finite(loadedAt)) return undefined;
  const checked = validateProtocol(text);
  return checked.ok ? { protocol: checked.protocol, text, loadedAt } : undefined;
}

/** Whether the stored enrolment needs a repair first (the writers check this inside their transaction). */
export function enrolmentNeedsRepair(raw: unknown): boolean {
  return raw !== undefined && !isEnrolment(raw);
}

export function readEnrolmentIn(raw: unknown): Enrolment | null {
  return isEnrolment(raw) ? raw : null;
}

export function isRunning(e: Enrolment | null, now: number): e is Enrolment {
  return !!e && now >= e.startedAt && now < e.endsAt;
}

export function armOf(e: Enrolment): Arm | null {
  return e.protocol.arms.find((a) => a.id === e.arm) ?? null;
}

/** The running study (enrolment and arm), or null. */
export async function activeStudy(now = Date.now()): Promise<{ enrolment: Enrolment; arm: Arm } | null> {
  const e = await getEnrolment();
  if (!isRunning(e, now)) return null;
  const arm = armOf(e);
  return arm ? { enrolment: e, arm } : null;
}

/** The arm whose dose applies now (null when no study runs): input to effectiveSettings. */
export async function activeArm(now = Date.now()): Promise<Arm | null> {
  return (await activeStudy(now))?.arm ?? null;
}

export function studyDay(e: Enrolment, now: number): number {
  return Math.min(e.protocol.durationDays, Math.max(1, Math.floor((now - e.startedAt) / DAY_MS) + 1));
}

async function readWithdrawals(): Promise<WithdrawalNotes> {
  const db = await getDB();
  return readStudyRecord(db, KEYS.withdrawals, (raw) => repairMap(WithdrawalNoteSchema, raw).value);
}

export async function countStudy(): Promise<StudyCounts> {
  const db = await getDB();
  const tx = db.transaction(['study', 'studyLog'], 'readonly');
  const keys = await tx.objectStore('study').getAllKeys();
  // The note kept after a withdrawal is not study data (it is shown on its own, and can be forgotten).
  const meta = keys.filter((k) => k !== KEYS.withdrawals).length;
  const idx = tx.objectStore('studyLog').index('byTable');
  const tables = {} as Record<Measure, number>;
  for (const m of MEASURES) tables[m] = await idx.count(m);
  const all = await tx.objectStore('studyLog').count();
  await tx.done;
  return { meta, tables, total: meta + all };
}

export async function studyStatus(now = Date.now()): Promise<StudyStatus> {
  const db = await getDB();
  const e = await getEnrolment();
  const counts = await countStudy();
  const withdrawals = Object.entries(await readWithdrawals()).map(([studyId, w]) => ({ studyId, participantId: w.participantId, withdrawnAt: w.withdrawnAt }));
  if (e) {
    return {
      state: now < e.endsAt ? 'active' : 'finished',
      protocol: e.protocol,
      protocolText: e.protocolText,
      participantId: e.participantId,
      arm: e.protocol.blindArm ? null : e.arm,
      day: studyDay(e, now),
      days: e.protocol.durationDays,
      startedAt: e.startedAt,
      endsAt: e.endsAt,
      consentedAt: e.consentedAt,
      uploadConsent: e.uploadConsent,
      enrolmentCode: e.enrolmentCode,
      counts,
      withdrawals,
      warnings: [],
    };
  }
  const pending = await readStudyRecord(db, KEYS.pending, loadPending);
  const checked = pending ? validateProtocol(pending.text) : null;
  return {
    state: pending ? 'pending' : 'none',
    protocol: pending?.protocol ?? null,
    protocolText: pending?.text ?? null,
    participantId: null,
    arm: null,
    day: null,
    days: null,
    startedAt: null,
    endsAt: null,
    consentedAt: null,
    uploadConsent: false,
    enrolmentCode: null,
    counts,
    withdrawals,
    warnings: checked?.warnings ?? [],
  };
}

/** Validates a protocol and keeps it as pending until the participant agrees or declines. */
export async function loadProtocol(
  text: string,
  now = Date.now(),
): Promise<{ ok: true; warnings: ProtocolFieldError[] } | { ok: false; errors: ProtocolFieldError[] }> {
  if (await getEnrolment()) {
    return { ok: false, errors: [{ path: '(study)', message: 'a study is already set up: export its data and withdraw (delete it) before loading another' }] };
  }
  const res = validateProtocol(text);
  if (!res.ok) return { ok: false, errors: res.errors };
  const db = await getDB();
  const pending: PendingProtocol = { protocol: res.protocol, text, loadedAt: now };
  await writeStudyRecord(db, KEYS.pending, pending);
  return { ok: true, warnings: res.warnings };
}

export interface ConsentInput {
  agree: boolean;
  uploadConsent: boolean;
  locale: 'en' | 'zh_CN';
  extensionVersion: string;
  /** The researcher-issued enrolment code, if any. */
  enrolmentCode?: string | null;
  /** The participant ticked the eligibility (and minimum age) box. */
  eligibilityConfirmed?: boolean;
  now?: number;
  /** For tests: a fixed participant id (a withdrawal note for the same study wins). */
  participantId?: string;
}

export type ConsentResult =
  | { ok: true; enrolment: Enrolment | null }
  | { ok: false; reason: 'no-protocol' | 'already-enrolled' | 'code-required' | 'code-unknown' | 'eligibility' };

/**
 * Agree: a random participant id (or the one kept from an earlier withdrawal from this study),
 * the arm from the allocation, and the study starts now. Decline: the pending protocol is
 * dropped and nothing else is ever written.
 */
export async function giveConsent(input: ConsentInput): Promise<ConsentResult> {
  const db = await getDB();
  const now = input.now ?? Date.now();
  if (!input.agree) {
    await db.delete('study', KEYS.pending);
    return { ok: true, enrolment: null };
  }
  if (await getEnrolment()) return { ok: false, reason: 'already-enrolled' };
  const pending = await readStudyRecord(db, KEYS.pending, loadPending);
  if (!pending) return { ok: false, reason: 'no-protocol' };
  const protocol: Protocol = pending.protocol;
  if (protocol.ethics && input.eligibilityConfirmed !== true) return { ok: false, reason: 'eligibility' };
  const code = input.enrolmentCode ? normaliseCode(input.enrolmentCode) : '';
  if (code && protocol.enrolment.codes === 'none') return { ok: false, reason: 'code-unknown' };
  const earlier: WithdrawalNote | undefined = (await readWithdrawals())[protocol.studyId];
  const participantId = earlier?.participantId ?? input.participantId ?? newParticipantId();
  const alloc = await allocateArm(protocol, { participantId, code: code || null });
  if (!alloc.ok) return { ok: false, reason: alloc.reason === 'code-unknown' ? 'code-unknown' : 'code-required' };
  // Joining again after withdrawing keeps the arm drawn the first time (no arm shopping),
  // unless a researcher-issued code decides it.
  const keep = earlier && !code && protocol.arms.some((a) => a.id === earlier.arm) ? earlier.arm : null;
  const arm = keep ?? alloc.allocation.arm;
  const enrolment: Enrolment = {
    version: 2,
    protocol,
    protocolText: pending.text,
    protocolHash: await protocolHash(protocol),
    participantId,
    arm,
    allocation: { ...alloc.allocation, arm },
    enrolmentCode: code || null,
    consentedAt: now,
    startedAt: now,
    endsAt: now + protocol.durationDays * DAY_MS,
    uploadConsent: !!protocol.endpoint && input.uploadConsent,
    consentLocale: input.locale,
    eligibilityConfirmed: input.eligibilityConfirmed === true,
    extensionVersion: input.extensionVersion,
    previousWithdrawalAt: earlier?.withdrawnAt ?? null,
  };
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  await writeStudyRecord(tx.objectStore('study'), KEYS.enrolment, enrolment);
  await tx.objectStore('study').delete(KEYS.pending);
  if (protocol.measures.includes('versions')) {
    await tx.objectStore('studyLog').put({
      id: `ver-${now}`,
      table: 'versions',
      ts: now,
      data: { recorded_at: now, utc_offset_min: utcOffsetMin(now), extension_version: input.extensionVersion, event: 'enrolled' },
    });
  }
  await tx.done;
  return { ok: true, enrolment };
}

export interface WithdrawResult {
  before: StudyCounts;
  after: StudyCounts;
  /** Who withdrew from what (for the deletion request and the permission to give back). */
  participantId: string | null;
  studyId: string | null;
  endpoint: string | null;
}

/**
 * Deletes every study record and the enrolment; returns the counts before and after (all zero).
 * Kept: a note of the study id with the participant id and arm, so that joining the same study
 * again does not draw a new arm (the participant can forget it: forgetWithdrawal).
 */
export async function withdraw(now = Date.now()): Promise<WithdrawResult> {
  const before = await countStudy();
  const e = await getEnrolment();
  const db = await getDB();
  const notes = await readWithdrawals();
  if (e) notes[e.protocol.studyId] = { participantId: e.participantId, arm: e.arm, withdrawnAt: now };
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  await Promise.all([tx.objectStore('study').clear(), tx.objectStore('studyLog').clear()]);
  if (Object.keys(notes).length > 0) await writeStudyRecord(tx.objectStore('study'), KEYS.withdrawals, notes);
  await tx.done;
  return {
    before,
    after: await countStudy(),
    participantId: e?.participantId ?? null,
    studyId: e?.protocol.studyId ?? null,
    endpoint: e?.protocol.endpoint ?? null,
  };
}

/** Forgets that this device took part in a study (then joining again is a new participant). */
export async function forgetWithdrawal(studyId: string | null): Promise<void> {
  const db = await getDB();
  const notes = await readWithdrawals();
  if (studyId === null) for (const k of Object.keys(notes)) delete notes[k];
  else delete notes[studyId];
  if (Object.keys(notes).length > 0) await writeStudyRecord(db, KEYS.withdrawals, notes);
  else await db.delete('study', KEYS.withdrawals);
}

export async function exportData(extensionVersion: string, now = Date.now()): Promise<StudyExportData> {
  const e = await getEnrolment();
  if (!e) throw new Error('no study data to export');
  const db = await getDB();
  const records = await db.getAll('studyLog');
  return { enrolment: e, records, exportedAt: now, extensionVersion };
}

/** What a feed tab measures while a study runs (null: nothing). */
export async function studyContentConfig(now = Date.now()): Promise<StudyContentConfig | null> {
  const e = await getEnrolment();
  if (!isRunning(e, now)) return null;
  return { windowMs: e.protocol.velocityWindowSeconds * 1000 };
}
