import * as v from 'valibot';

/**
 * The study's small bookkeeping records in the 'study' store, one valibot schema each. A
 * record read back is always repaired, never trusted: a corrupt entry (a disk error, an old
 * version, a hand-edited profile) is dropped on its own while the valid ones stay, and a record
 * that is not even the right shape starts empty. Bookkeeping must never stop the feed or lose
 * the rows already written.
 */

export const KEYS = {
  enrolment: 'enrolment',
  pending: 'pending',
  /** An enrolment that could not be repaired, kept aside (not deleted) until the participant withdraws. */
  corruptEnrolment: 'enrolment-unreadable',
  openSessions: 'openSessions',
  survey: 'surveyState',
  censoring: 'censoring',
  withdrawals: 'withdrawals',
} as const;

const Finite = v.pipe(v.number(), v.finite());
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(80));

/** site → the open session row */
export const OpenSessionSchema = v.object({ id: Id, lastAt: Finite });
export type OpenSessions = Record<string, v.InferOutput<typeof OpenSessionSchema>>;

/** The survey's own schedule: when it was last offered and how many posts since. */
export const SurveyStateSchema = v.object({
  lastOfferAt: v.nullable(Finite),
  postsSinceOffer: v.pipe(Finite, v.minValue(0)),
  /** Local day (YYYY-MM-DD) of offersToday. */
  day: v.string(),
  offersToday: v.pipe(Finite, v.minValue(0)),
});
export type SurveyState = v.InferOutput<typeof SurveyStateSchema>;
export const EMPTY_SURVEY_STATE: SurveyState = { lastOfferAt: null, postsSinceOffer: 0, day: '', offersToday: 0 };

/** scope ('*' = every site, else a study site key) → the open censoring interval */
export const OpenIntervalSchema = v.object({ id: Id, cause: v.pipe(v.string(), v.maxLength(40)), startAt: Finite });
export type OpenIntervals = Record<string, v.InferOutput<typeof OpenIntervalSchema>>;

/** study id → what is kept after a withdrawal */
export const WithdrawalNoteSchema = v.object({ participantId: Id, arm: Id, withdrawnAt: Finite });
export type WithdrawalNotes = Record<string, v.InferOutput<typeof WithdrawalNoteSchema>>;

export interface Repaired<T> {
  value: T;
  /** Something was dropped or replaced. */
  repaired: boolean;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A string-keyed map: valid entries kept, invalid ones dropped, anything else → empty. */
export function repairMap<S extends v.GenericSchema>(schema: S, raw: unknown, maxEntries = 500): Repaired<Record<string, v.InferOutput<S>>> {
  if (raw === undefined || raw === null) return { value: {}, repaired: false };
  if (!isRecord(raw)) return { value: {}, repaired: true };
  const out: Record<string, v.InferOutput<S>> = {};
  let repaired = false;
  for (const [k, entry] of Object.entries(raw).slice(-maxEntries)) {
    const res = v.safeParse(schema, entry);
    if (res.success && k.length <= 200) out[k] = res.output;
    else repaired = true;
  }
  return { value: out, repaired: repaired || Object.keys(raw).length > maxEntries };
}

/** One record: valid → itself, missing → the fallback, corrupt → the fallback (repaired). */
export function repairOne<S extends v.GenericSchema>(schema: S, raw: unknown, fallback: v.InferOutput<S>): Repaired<v.InferOutput<S>> {
  if (raw === undefined || raw === null) return { value: structuredClone(fallback), repaired: false };
  const res = v.safeParse(schema, raw);
  return res.success ? { value: res.output, repaired: false } : { value: structuredClone(fallback), repaired: true };
}
