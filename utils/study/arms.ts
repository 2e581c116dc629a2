import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import { decisionCadence, type Arm, type Protocol } from './protocol';

/**
 * Randomisation and the arm's effect on settings. All pure: the same participant id and
 * study id always give the same arm (so a re-install with the same id, or a researcher
 * re-computing it, lands in the same place), and arms are filled in proportion to weights.
 */

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain, bryc). Not cryptographic; it need not be. */
export function hash53(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A number in [0, 1) fixed by participant and study. */
export function allocationPoint(participantId: string, studyId: string): number {
  return hash53(`${studyId}\u0000${participantId}`) / 2 ** 53;
}

/** The arm for a participant: weighted by `weight`, stable for the same (participant, study). */
export function assignArm<A extends Pick<Arm, 'id' | 'weight'>>(participantId: string, studyId: string, arms: readonly A[]): A {
  if (arms.length === 0) throw new Error('a study needs at least one arm');
  const total = arms.reduce((s, a) => s + a.weight, 0);
  let x = allocationPoint(participantId, studyId) * total;
  for (const arm of arms) {
    if (x < arm.weight) return arm;
    x -= arm.weight;
  }
  return arms[arms.length - 1];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PARTICIPANT_ID_RE = /^SF-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A random pseudonymous participant id, e.g. "SF-7K3M-Q9XP-2WDA-H4TZ": 80 random bits from
 * crypto.getRandomValues, in Crockford base 32 (no I, L, O, U: easy to read out and copy).
 * Nothing about the person or the device goes into it.
 */
export function newParticipantId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(10));
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return `SF-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** What of the protocol shapes the dose besides the arm itself. */
export type DoseProtocol = Pick<Protocol, 'lock' | 'decisionPoints'>;

/**
 * The settings the scheduler uses while a study runs: the arm fixes the dose.
 *
 * - With `lock.cadence` (the default) every cadence field comes from the protocol: the arm's
 *   cadence over `decisionPoints` over Stillframe's defaults — never the participant's own, so
 *   every participant of an arm gets the same dose. Without the lock (or without a protocol,
 *   as in older callers) the arm's fields go on top of the participant's.
 * - An arm without frames still has decision points (when a frame would be due; its
 *   `pShow` is 0): its cadence is the protocol's `decisionPoints`.
 * - With `lock.schedule` the arm's quiet hours replace the participant's (none if it sets none).
 * - Per-site every-N overrides are ignored whenever the protocol sets how often.
 *
 * Whether a due frame is really shown is not a setting: see `armPShow` (decided per decision
 * point in the background). The participant's own choices stay stored untouched and return
 * when the study ends.
 */
export function effectiveSettings(settings: Settings, arm: Arm | null, protocol?: DoseProtocol): Settings {
  if (!arm) return settings;
  const next: Settings = structuredClone(settings);
  const lockCadence = protocol?.lock.cadence ?? false;
  const when = protocol ? decisionCadence(protocol, arm) : null;
  const own = arm.frames === false ? {} : (arm.cadence ?? {});
  const base = lockCadence ? { ...DEFAULT_SETTINGS.cadence, ...(when ?? {}) } : next.cadence;
  next.cadence = { ...base, ...own };
  if (arm.frames === false) {
    if (when) Object.assign(next.cadence, when);
    else {
      // No protocol at hand: the old meaning of a control arm (no tickets at all).
      next.cadence.everyPosts = 0;
      next.cadence.everyMinutes = 0;
    }
  }
  if (arm.gentleHold !== undefined && arm.frames !== false) next.gentleHold = arm.gentleHold;
  if (protocol?.lock.schedule) next.schedule = structuredClone(arm.schedule ?? { mode: 'always', windows: [] });
  if (lockCadence || arm.frames === false || own.everyPosts !== undefined) {
    for (const site of Object.values(next.sites)) delete site.everyPosts;
  }
  return next;
}
