import { assignArm, hash53 } from './arms';
import type { Protocol } from './protocol';

/**
 * Allocation a reviewer can audit: pure, deterministic functions of the protocol and the
 * participant's allocation key, so `npm run study:summary -- --protocol canonical.json` can
 * recompute every participant's arm from their export and flag any that do not match.
 *
 * - method "stable-hash": u = cyrb53(seed + "\0" + key) / 2^53, the arm whose cumulative
 *   weight interval holds u × (sum of weights). The key is the enrolment code when the
 *   participant gave one (so the same code always lands in the same arm, whatever device or
 *   however often they enrol), else the participant id. The seed is `randomisation.seed`,
 *   defaulting to the study id.
 * - method "list": the researcher's own (blocked, stratified) allocation list, looked up by the
 *   SHA-256 of "studyId:CODE"; the allocation value is the row's index in the list.
 *
 * Hashing uses WebCrypto (`crypto.subtle`), which the extension and Node 20+ both have.
 */

export type AllocationMethod = 'stable-hash' | 'list';

export interface AllocationKey {
  participantId: string;
  /** The researcher-issued enrolment code, if the participant gave one. */
  code?: string | null;
}

export interface Allocation {
  arm: string;
  method: AllocationMethod;
  /** stable-hash: u in [0, 1); list: the row's index in randomisation.list. */
  value: number;
  /** The seed mixed into the hash (stable-hash), or "list". */
  seed: string;
  /** What the allocation was computed from. */
  key: 'participant_id' | 'enrolment_code';
  stratum: string | null;
}

export type AllocationResult = { ok: true; allocation: Allocation } | { ok: false; reason: 'code-required' | 'code-unknown' | 'no-arms' };

/** "k7q2 m9xa" → "K7Q2M9XA": codes are compared without case, spaces or dashes. */
export function normaliseCode(code: string): string {
  return code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.]/g, '');
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What an allocation list stores for a code: the SHA-256 of "studyId:CODE" (so the file does not reveal valid codes). */
export function codeSha256(studyId: string, code: string): Promise<string> {
  return sha256Hex(`${studyId}:${normaliseCode(code)}`);
}

/** The seed of the stable hash: `randomisation.seed`, else the study id (what earlier versions used). */
export function allocationSeed(p: Pick<Protocol, 'studyId' | 'randomisation'>): string {
  return p.randomisation.seed ?? p.studyId;
}

/** JSON with object keys sorted at every level: the same protocol gives the same text, whatever its layout. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of the protocol's canonical JSON (after validation fills defaults): exported as protocol_hash. */
export function protocolHash(protocol: Protocol): Promise<string> {
  return sha256Hex(canonicalJson(protocol));
}

/**
 * The participant's arm. Deterministic: the same protocol and key always give the same
 * allocation. Never throws; a code that is required but missing, or not on the list, is refused.
 */
export async function allocateArm(protocol: Protocol, key: AllocationKey): Promise<AllocationResult> {
  if (protocol.arms.length === 0) return { ok: false, reason: 'no-arms' };
  const code = key.code ? normaliseCode(key.code) : '';
  if (protocol.randomisation.method === 'list') {
    if (!code) return { ok: false, reason: 'code-required' };
    const hash = await codeSha256(protocol.studyId, code);
    const index = (protocol.randomisation.list ?? []).findIndex((r) => r.codeSha256 === hash);
    if (index < 0) return { ok: false, reason: 'code-unknown' };
    const row = protocol.randomisation.list![index];
    return { ok: true, allocation: { arm: row.arm, method: 'list', value: index, seed: 'list', key: 'enrolment_code', stratum: row.stratum ?? null } };
  }
  if (!code && protocol.enrolment.codes === 'required') return { ok: false, reason: 'code-required' };
  const seed = allocationSeed(protocol);
  const by = code || key.participantId;
  const value = hash53(`${seed}\u0000${by}`) / 2 ** 53;
  const arm = assignArm(by, seed, protocol.arms);
  return { ok: true, allocation: { arm: arm.id, method: 'stable-hash', value, seed, key: code ? 'enrolment_code' : 'participant_id', stratum: null } };
}
