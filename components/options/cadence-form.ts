import type * as v from 'valibot';
import { CadenceSchema, type Cadence, type Settings, type TimeWindow } from '@/utils/storage/settings';

/** What the Cadence section edits before saving: every cadence knob and the schedule. */
export interface CadenceDraft {
  cadence: Cadence;
  schedule: Settings['schedule'];
}

export type CadenceKey = keyof Cadence;

export interface FieldLimits {
  min: number;
  max: number;
  integer: boolean;
}

/**
 * Min, max and integer-ness of a number field, read from the settings schema itself, so the
 * form and the background's validation cannot drift apart.
 */
export function schemaLimits(schema: v.GenericSchema): FieldLimits {
  const pipe = (schema as unknown as { pipe?: Array<{ type: string; requirement?: unknown }> }).pipe ?? [];
  let min = -Infinity;
  let max = Infinity;
  let integer = false;
  for (const item of pipe) {
    if (item.type === 'min_value' && typeof item.requirement === 'number') min = item.requirement;
    if (item.type === 'max_value' && typeof item.requirement === 'number') max = item.requirement;
    if (item.type === 'integer') integer = true;
  }
  return { min, max, integer };
}

export interface CadenceFieldDef {
  key: CadenceKey;
  label: string;
  help: string;
  unit: string;
  testid: string;
  step: number;
  limits: FieldLimits;
}

const entries = CadenceSchema.entries as Record<CadenceKey, v.GenericSchema>;

const def = (key: CadenceKey, label: string, help: string, unit: string, step = 1, testid = `cadence-${key}`): CadenceFieldDef => ({
  key,
  label,
  help,
  unit,
  step,
  testid,
  limits: schemaLimits(entries[key]),
});

/** Every knob of settings.cadence, in the order the page shows them. */
export const CADENCE_FIELDS: CadenceFieldDef[] = [
  def('everyPosts', 'options.cadence.everyPosts', 'options.cadence.everyPosts.help', 'options.unit.posts', 1, 'every-posts'),
  def('jitterPct', 'options.cadence.jitterPct', 'options.cadence.jitterPct.help', 'options.unit.percent'),
  def('everyMinutes', 'options.cadence.everyMinutes', 'options.cadence.everyMinutes.help', 'options.unit.minutes'),
  def('minGapMinutes', 'options.cadence.minGapMinutes', 'options.cadence.minGapMinutes.help', 'options.unit.minutes'),
  def('dailyCap', 'options.cadence.dailyCap', 'options.cadence.dailyCap.help', 'options.unit.pauses'),
  def('gracePosts', 'options.cadence.gracePosts', 'options.cadence.gracePosts.help', 'options.unit.posts'),
  def('escalateAfterMinutes', 'options.cadence.escalateAfterMinutes', 'options.cadence.escalateAfterMinutes.help', 'options.unit.minutes'),
  def('escalateFactor', 'options.cadence.escalateFactor', 'options.cadence.escalateFactor.help', 'options.unit.times', 0.05),
];

/** A message key and its parameters, translated where shown. */
export interface DraftFieldError {
  key: string;
  params?: Record<string, string | number>;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Field errors of a draft, keyed by dotted path ('cadence.everyPosts', 'schedule.windows.0.days'). Empty = valid. */
export function draftErrors(draft: CadenceDraft): Record<string, DraftFieldError> {
  const errors: Record<string, DraftFieldError> = {};
  for (const f of CADENCE_FIELDS) {
    const val = draft.cadence[f.key];
    const path = `cadence.${f.key}`;
    if (typeof val !== 'number' || !Number.isFinite(val)) errors[path] = { key: 'options.error.number' };
    else if (f.limits.integer && !Number.isInteger(val)) errors[path] = { key: 'options.error.integer' };
    else if (val < f.limits.min || val > f.limits.max) errors[path] = { key: 'options.error.range', params: { min: f.limits.min, max: f.limits.max } };
  }
  draft.schedule.windows.forEach((w, i) => {
    const base = `schedule.windows.${i}`;
    if (w.days.length === 0) errors[`${base}.days`] = { key: 'options.error.noDays' };
    if (!HHMM.test(w.start)) errors[`${base}.start`] = { key: 'options.error.time' };
    if (!HHMM.test(w.end)) errors[`${base}.end`] = { key: 'options.error.time' };
    if (HHMM.test(w.start) && w.start === w.end) errors[`${base}.end`] = { key: 'options.error.sameTimes' };
  });
  if (draft.schedule.windows.length > 20) errors['schedule.windows'] = { key: 'options.error.tooManyWindows', params: { max: 20 } };
  return errors;
}

export function draftFrom(settings: Settings): CadenceDraft {
  return { cadence: { ...settings.cadence }, schedule: { mode: settings.schedule.mode, windows: settings.schedule.windows.map((w) => ({ ...w, days: [...w.days] })) } };
}

export function draftEquals(a: CadenceDraft, b: CadenceDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Days in the order the page shows them (Monday first); 0 = Sunday as in settings. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

export function toggleDay(w: TimeWindow, day: number): TimeWindow {
  const has = w.days.includes(day);
  const days = has ? w.days.filter((d) => d !== day) : [...w.days, day];
  return { ...w, days: days.sort((a, b) => a - b) };
}

/** A new window: quiet evenings for "except", working hours for "only". */
export function newWindow(mode: Settings['schedule']['mode']): TimeWindow {
  return mode === 'only' ? { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } : { days: [0, 1, 2, 3, 4, 5, 6], start: '22:00', end: '07:00' };
}

/** The draft as a settings patch (cadence merges; windows is an array and replaces as a whole). */
export function draftPatch(draft: CadenceDraft): { cadence: Cadence; schedule: Settings['schedule'] } {
  return { cadence: { ...draft.cadence }, schedule: { mode: draft.schedule.mode, windows: draft.schedule.windows.map((w) => ({ ...w })) } };
}
