import { allocateArm } from '@/utils/study/allocation';
import type { Protocol } from '@/utils/study/protocol';

/**
 * `study:summary --protocol canonical.json`: recompute each participant's allocation from the
 * researcher's own copy of the protocol — with the extension's own `allocateArm`: seed,
 * participant id or enrolment code, or the allocation list — and compare it with what the
 * export says, and check that the protocol the participant agreed to is the canonical one.
 * Pure (WebCrypto for the list's hashes).
 */

export interface AllocationCheck {
  participantId: string;
  recordedArm: string;
  expectedArm: string;
  recordedValue: number | null;
  expectedValue: number;
  /** The export's protocol.json is the canonical protocol (compared as JSON values). */
  sameProtocol: boolean;
  ok: boolean;
  problems: string[];
}

/** Deep equality of two JSON values (key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b as object, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export async function checkAllocation(
  canonical: Protocol,
  canonicalJson: unknown,
  participant: Record<string, string>,
  exportedProtocolText: string,
): Promise<AllocationCheck> {
  const participantId = participant.participant_id ?? '';
  const problems: string[] = [];
  let exported: unknown = null;
  try {
    exported = JSON.parse(exportedProtocolText);
  } catch {
    problems.push('protocol.json is not valid JSON');
  }
  const sameProtocol = exported !== null && sameJson(exported, canonicalJson);
  if (exported !== null && !sameProtocol) problems.push('the protocol in the export differs from the canonical protocol');
  const alloc = await allocateArm(canonical, { participantId, code: participant.enrolment_code || null });
  if (!alloc.ok) problems.push(`the allocation cannot be recomputed: ${alloc.reason}`);
  const expectedValue = alloc.ok ? alloc.allocation.value : Number.NaN;
  const expectedArm = alloc.ok ? alloc.allocation.arm : '';
  const recordedArm = participant.arm ?? '';
  // A participant who withdrew and joined again keeps their first arm (no arm shopping): the
  // export says so (previous_withdrawal_at), and that arm came from the same allocation.
  if (alloc.ok && recordedArm !== expectedArm) problems.push(`arm ${JSON.stringify(recordedArm)} recorded, ${JSON.stringify(expectedArm)} recomputed`);
  const raw = participant.allocation_value;
  const recordedValue = raw === undefined || raw === '' ? null : Number(raw);
  if (recordedValue !== null && !(Math.abs(recordedValue - expectedValue) < 1e-9))
    problems.push(`allocation value ${raw} recorded, ${expectedValue} recomputed`);
  if ((participant.study_id ?? canonical.studyId) !== canonical.studyId) problems.push(`study ${participant.study_id}, canonical ${canonical.studyId}`);
  if ((participant.protocol_version ?? canonical.version) !== canonical.version)
    problems.push(`protocol version ${participant.protocol_version}, canonical ${canonical.version}`);
  return { participantId, recordedArm, expectedArm, recordedValue, expectedValue, sameProtocol, ok: problems.length === 0, problems };
}
