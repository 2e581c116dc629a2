import type * as v from 'valibot';
import { CadenceSchema, type Cadence, type Settings, type TimeWindow } from '@/utils/storage/settings';
import { windowProblem } from '@/utils/schedule/windows';

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
export interface FormFieldError {
  key: string;
  params?: Record<string, string | number>;
}

const WINDOW_ERROR_KEYS = { days: 'options.error.noDays', start: 'options.error.time', end: 'options.error.time' } as const;

/**
 * What is wrong with the hours, by path ('schedule.windows.0.days'); empty when they can be
 * saved. The rule itself is utils/schedule/windows.ts, shared with the scheduler and the preview.
 */
export function windowsErrors(windows: readonly TimeWindow[]): Record<string, FormFieldError> {
  const errors: Record<string, FormFieldError> = {};
  windows.forEach((w, i) => {
    for (const field of windowProblem(w)) errors[`schedule.windows.${i}.${field}`] = { key: WINDOW_ERROR_KEYS[field] };
  });
  if (windows.length > 20) errors['schedule.windows'] = { key: 'options.error.tooManyWindows', params: { max: 20 } };
  return errors;
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
