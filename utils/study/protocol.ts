import * as v from 'valibot';

/**
 * The study protocol: a JSON file a researcher writes and a participant loads. One valibot
 * schema; every error names the field (dotted path) and says why. This module imports only
 * valibot so that scripts/study-validate.mjs can bundle it for the command line.
 *
 * `format` is the version of this file format (what Stillframe can read); `version` is the
 * researcher's own version of their protocol (what the ethics board approved).
 */
export const PROTOCOL_FORMAT = 1;

/** What can be logged. Each measure is one table of the export (see dictionary.ts). */
export const MEASURES = [
  'sessions',
  'posts_per_minute',
  'impressions',
  'scroll_velocity',
  'survey',
  'settings_changes',
  'versions',
] as const;
export type Measure = (typeof MEASURES)[number];

const MAX_TEXT = 20_000;

const Slug = () =>
  v.pipe(
    v.string('must be a string'),
    v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit'),
  );

const Text = (min = 1, max = 500) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(min, min <= 1 ? 'must not be empty' : `must be at least ${min} characters`),
    v.maxLength(max, `must be at most ${max} characters`),
  );

const Email = v.pipe(v.string('must be a string'), v.trim(), v.email('must be an e-mail address'));

const HttpsUrl = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.url('must be a URL'),
  v.check((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an https:// URL without a user name or password'),
);

/** Text in both UI languages: a participant reads the one their Stillframe is set to. */
const Localised = (min = 1, max = 500) =>
  v.strictObject({ en: Text(min, max), zh_CN: Text(min, max) }, 'must be an object with "en" and "zh_CN" texts');
export type LocalisedText = { en: string; zh_CN: string };

const Int = (min: number, max: number, what = 'must be') =>
  v.pipe(
    v.number(`${what} a whole number from ${min} to ${max}`),
    v.integer(`${what} a whole number from ${min} to ${max}`),
    v.minValue(min, `${what} at least ${min}`),
    v.maxValue(max, `${what} at most ${max}`),
  );

/** Cadence fields an arm may override (see utils/storage/settings.ts for their meaning). */
const CadenceOverride = v.strictObject(
  {
    everyPosts: v.optional(Int(0, 1000)),
    jitterPct: v.optional(Int(0, 50)),
    everyMinutes: v.optional(Int(0, 240)),
    minGapMinutes: v.optional(Int(0, 240)),
    dailyCap: v.optional(Int(0, 500)),
    gracePosts: v.optional(Int(0, 1000)),
  },
  'must be an object of cadence fields',
);

const ArmSchema = v.strictObject(
  {
    id: Slug(),
    /** Relative weight in the randomisation (1 and 1 = half and half). */
    weight: v.pipe(
      v.number('must be a number greater than 0'),
      v.gtValue(0, 'must be greater than 0'),
      v.maxValue(1000, 'must be at most 1000'),
    ),
    /** false = no frames at all, but logging goes on (the control arm). */
    frames: v.optional(v.boolean('must be true or false'), true),
    /** Overrides applied on top of the participant's settings while the study runs. */
    cadence: v.optional(CadenceOverride),
    gentleHold: v.optional(v.boolean('must be true or false')),
    description: v.optional(Text(1, 500)),
  },
  'each arm must be an object',
);
export type Arm = v.InferOutput<typeof ArmSchema>;

const ScaleLabel = v.optional(Localised(1, 80));

const ExperienceSamplingSchema = v.strictObject(
  {
    id: Slug(),
    question: Localised(1, 200),
    min: Int(0, 10),
    max: Int(1, 10),
    minLabel: ScaleLabel,
    maxLabel: ScaleLabel,
    /** Chance that a frame carries the question (0.25 = about one frame in four). */
    probability: v.pipe(
      v.number('must be a number above 0 and at most 1'),
      v.gtValue(0, 'must be above 0'),
      v.maxValue(1, 'must be at most 1'),
    ),
  },
  'must be an object',
);
export type ExperienceSampling = v.InferOutput<typeof ExperienceSamplingSchema>;

export const ProtocolSchema = v.strictObject(
  {
    $schema: v.optional(v.string()),
    format: v.literal(PROTOCOL_FORMAT, `must be ${PROTOCOL_FORMAT} (this version of Stillframe reads protocol format ${PROTOCOL_FORMAT})`),
    studyId: Slug(),
    version: Text(1, 32),
    title: Localised(1, 200),
    researchers: v.pipe(
      v.array(
        v.strictObject(
          { name: Text(1, 200), affiliation: v.optional(Text(1, 200)), email: v.optional(Email) },
          'each researcher must be an object',
        ),
        'must be a list of researchers',
      ),
      v.minLength(1, 'must name at least one researcher'),
      v.maxLength(50, 'at most 50 researchers'),
    ),
    contact: v.strictObject(
      { name: v.optional(Text(1, 200)), email: Email, url: v.optional(HttpsUrl) },
      'must be an object with at least an "email"',
    ),
    ethics: v.optional(
      v.strictObject({ board: Text(1, 300), reference: Text(1, 100) }, 'must be an object with "board" and "reference"'),
    ),
    consent: Localised(50, MAX_TEXT),
    durationDays: Int(1, 365),
    arms: v.pipe(
      v.array(ArmSchema, 'must be a list of arms'),
      v.minLength(1, 'must have at least one arm'),
      v.maxLength(20, 'at most 20 arms'),
    ),
    randomisation: v.optional(
      v.strictObject(
        { method: v.literal('stable-hash', 'must be "stable-hash" (hash of participant id and study id → weighted arm)') },
        'must be an object',
      ),
      { method: 'stable-hash' },
    ),
    experienceSampling: v.optional(ExperienceSamplingSchema),
    measures: v.pipe(
      v.array(v.picklist(MEASURES, `must be one of: ${MEASURES.join(', ')}`), 'must be a list of measures'),
      v.minLength(1, 'must list at least one measure'),
    ),
    /** Length of the windows before and after a frame in which scroll velocity is measured. */
    velocityWindowSeconds: v.optional(Int(2, 120), 10),
    /** Hide the arm from the participant (it is still in their export). */
    blindArm: v.optional(v.boolean('must be true or false'), false),
    /** The researcher's own collector; used only when the participant agreed to it, and only on their click. */
    endpoint: v.optional(HttpsUrl),
  },
  'the protocol must be a JSON object',
);

export type Protocol = v.InferOutput<typeof ProtocolSchema>;

export interface ProtocolFieldError {
  /** Dotted path of the field, e.g. "arms.1.weight"; "(file)" for the file as a whole. */
  path: string;
  message: string;
}

export type ProtocolResult = { ok: true; protocol: Protocol } | { ok: false; errors: ProtocolFieldError[] };

export const MAX_PROTOCOL_BYTES = 200_000;

function jsonErrorMessage(err: unknown, text: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const m = msg.match(/position (\d+)/);
  if (m) {
    const pos = Number(m[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return `not valid JSON (line ${line}, column ${col}): ${msg.replace(/\s*in JSON at position \d+.*$/, '')}`;
  }
  return `not valid JSON: ${msg}`;
}

function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object' && issue.expected === 'never') return 'unknown field (check its spelling)';
  // A missing key: valibot reports it on the object (expected '"key"', received undefined).
  if (issue.kind === 'schema' && issue.received === 'undefined') return 'is required';
  return issue.message;
}

/** Checks across fields that a schema cannot express one field at a time. */
function crossChecks(p: Protocol): ProtocolFieldError[] {
  const errors: ProtocolFieldError[] = [];
  const seen = new Map<string, number>();
  p.arms.forEach((arm, i) => {
    const prev = seen.get(arm.id);
    if (prev !== undefined) errors.push({ path: `arms.${i}.id`, message: `duplicate arm id "${arm.id}" (also arms.${prev}.id)` });
    else seen.set(arm.id, i);
  });
  const dup = p.measures.find((m, i) => p.measures.indexOf(m) !== i);
  if (dup) errors.push({ path: 'measures', message: `"${dup}" is listed twice` });
  if (p.measures.includes('survey') && !p.experienceSampling) {
    errors.push({ path: 'experienceSampling', message: 'is required when measures include "survey"' });
  }
  if (p.experienceSampling && !p.measures.includes('survey')) {
    errors.push({ path: 'measures', message: 'must include "survey" when an experienceSampling question is set' });
  }
  if (p.experienceSampling && p.experienceSampling.min >= p.experienceSampling.max) {
    errors.push({ path: 'experienceSampling.max', message: 'must be greater than min' });
  }
  if (p.measures.includes('scroll_velocity') && !p.measures.includes('impressions')) {
    errors.push({ path: 'measures', message: 'must include "impressions" when "scroll_velocity" is logged (velocity is measured around each frame)' });
  }
  return errors;
}

/** Validates a protocol given as JSON text or as a parsed value. Never throws. */
export function validateProtocol(input: unknown): ProtocolResult {
  let raw = input;
  if (typeof input === 'string') {
    if (input.length > MAX_PROTOCOL_BYTES) return { ok: false, errors: [{ path: '(file)', message: `is larger than ${MAX_PROTOCOL_BYTES} characters` }] };
    if (input.trim() === '') return { ok: false, errors: [{ path: '(file)', message: 'is empty' }] };
    try {
      raw = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      return { ok: false, errors: [{ path: '(file)', message: jsonErrorMessage(err, input) }] };
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '(file)', message: 'the protocol must be a JSON object ({ … })' }] };
  }
  const res = v.safeParse(ProtocolSchema, raw);
  if (!res.success) {
    const errors = res.issues.map((i) => ({ path: v.getDotPath(i) ?? '(file)', message: issueMessage(i) }));
    // One message per field is enough (valibot may report a type and a range issue for the same field).
    const unique = errors.filter((e, i) => errors.findIndex((o) => o.path === e.path) === i);
    return { ok: false, errors: unique };
  }
  const cross = crossChecks(res.output);
  if (cross.length > 0) return { ok: false, errors: cross };
  return { ok: true, protocol: res.output };
}

/** "arms.1.weight: must be greater than 0" */
export function formatFieldError(e: ProtocolFieldError): string {
  return `${e.path}: ${e.message}`;
}

/** The text in the participant's UI language (falls back to English). */
export function localised(text: LocalisedText, locale: 'en' | 'zh_CN'): string {
  return (locale === 'zh_CN' ? text.zh_CN : text.en) || text.en;
}
