import * as v from 'valibot';

/**
 * The study protocol: a JSON file a researcher writes and a participant loads. One valibot
 * schema; every error names the field (dotted path) and says why. Cross-field checks then
 * refuse protocols that cannot work (errors) and point out ones that probably do not do what
 * the researcher meant (warnings). This module imports only valibot so that
 * scripts/study-validate.mjs can bundle it for the command line.
 *
 * `format` is the version of this file format (what Stillframe can read); `version` is the
 * researcher's own version of their protocol (what the ethics board approved).
 */
export const PROTOCOL_FORMAT = 1;

/** What can be logged. Each measure is one table of the export (see dictionary.ts). */
export const MEASURES = [
  'sessions',
  'posts_per_minute',
  'decisions',
  'impressions',
  'survey',
  'censoring',
  'settings_changes',
  'settings_snapshots',
  'versions',
] as const;
export type Measure = (typeof MEASURES)[number];

/** Measures that only ever have rows when some arm can show a frame. */
export const FRAME_ONLY_MEASURES: readonly Measure[] = ['impressions'];

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
const Localised = (min = 1, max = 500) => v.strictObject({ en: Text(min, max), zh_CN: Text(min, max) }, 'must be an object with "en" and "zh_CN" texts');
export type LocalisedText = { en: string; zh_CN: string };

const Int = (min: number, max: number, what = 'must be') =>
  v.pipe(
    v.number(`${what} a whole number from ${min} to ${max}`),
    v.integer(`${what} a whole number from ${min} to ${max}`),
    v.minValue(min, `${what} at least ${min}`),
    v.maxValue(max, `${what} at most ${max}`),
  );

const Probability = (what: string) =>
  v.pipe(v.number(`must be a number from 0 to 1 (${what})`), v.minValue(0, 'must be at least 0'), v.maxValue(1, 'must be at most 1'));

/** Every cadence field (see utils/storage/settings.ts for their meaning): an arm fixes the whole dose. */
const CadenceOverride = v.strictObject(
  {
    everyPosts: v.optional(Int(0, 1000)),
    jitterPct: v.optional(Int(0, 50)),
    everyMinutes: v.optional(Int(0, 240)),
    minGapMinutes: v.optional(Int(0, 240)),
    dailyCap: v.optional(Int(0, 500)),
    gracePosts: v.optional(Int(0, 1000)),
    escalateAfterMinutes: v.optional(Int(0, 240)),
    escalateFactor: v.optional(v.pipe(v.number('must be a number from 0.1 to 1'), v.minValue(0.1, 'must be at least 0.1'), v.maxValue(1, 'must be at most 1'))),
  },
  'must be an object of cadence fields',
);
export type CadenceOverride = v.InferOutput<typeof CadenceOverride>;

const Hhmm = v.pipe(v.string('must be a time'), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'));

/** Quiet or active hours, in the same shape as the participant's own schedule setting. */
const ScheduleSchema = v.strictObject(
  {
    mode: v.picklist(['always', 'only', 'except'], 'must be "always", "only" (frames only inside the windows) or "except" (quiet hours)'),
    windows: v.pipe(
      v.array(
        v.strictObject(
          { days: v.pipe(v.array(Int(0, 6), 'must be a list of weekdays 0–6 (0 = Sunday)'), v.maxLength(7, 'at most 7 days')), start: Hhmm, end: Hhmm },
          'each window must be an object with "days", "start" and "end"',
        ),
        'must be a list of time windows',
      ),
      v.maxLength(20, 'at most 20 windows'),
    ),
  },
  'must be an object with "mode" and "windows"',
);
export type ProtocolSchedule = v.InferOutput<typeof ScheduleSchema>;

const ArmSchema = v.strictObject(
  {
    id: Slug(),
    /** Relative weight in the randomisation (1 and 1 = half and half). */
    weight: v.pipe(v.number('must be a number greater than 0'), v.gtValue(0, 'must be greater than 0'), v.maxValue(1000, 'must be at most 1000')),
    /** false = no frames at all, but decision points and everything else are still logged (the control arm). */
    frames: v.optional(v.boolean('must be true or false'), true),
    /**
     * Probability that a decision point shows its frame (micro-randomisation). Default 1 for a
     * frames arm, 0 for `frames: false`. Between 0 and 1: each participant is their own control.
     */
    pShow: v.optional(Probability('the chance that a due frame is shown')),
    /** The dose: the arm's cadence; with `lock.cadence` (the default) fields it leaves out are Stillframe's defaults, not the participant's. */
    cadence: v.optional(CadenceOverride),
    /** Quiet or active hours for this arm; applies when `lock.schedule` is true. */
    schedule: v.optional(ScheduleSchema),
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
    /** Chance that a shown frame carries the question (0.25 = about one frame in four). Frames arms only. */
    probability: v.optional(v.pipe(v.number('must be a number above 0 and at most 1'), v.gtValue(0, 'must be above 0'), v.maxValue(1, 'must be at most 1'))),
    /** The question's own schedule, in every arm: a calm survey card in the feed. */
    schedule: v.optional(
      v.strictObject(
        {
          /** Offer after this many posts since the last offer. */
          everyPosts: v.optional(Int(1, 10_000)),
          /** Offer once this many minutes have passed since the last offer (at the next scrolling). */
          everyMinutes: v.optional(Int(1, 1440)),
          /** Chance of an offer at a decision point, shown or withheld (a card stands in for a withheld frame). */
          atDecisionPoints: v.optional(
            v.pipe(v.number('must be a number above 0 and at most 1'), v.gtValue(0, 'must be above 0'), v.maxValue(1, 'must be at most 1')),
          ),
          /** At most this many offers a day (local day). */
          maxPerDay: v.optional(Int(1, 100)),
        },
        'must be an object with any of "everyPosts", "everyMinutes", "atDecisionPoints", "maxPerDay"',
      ),
    ),
  },
  'must be an object',
);
export type ExperienceSampling = v.InferOutput<typeof ExperienceSamplingSchema>;

/** When a frame would be due in an arm that shows none: the decision-point cadence (also the default for every arm). */
const DecisionPointsSchema = v.strictObject(
  {
    everyPosts: v.optional(Int(0, 1000)),
    jitterPct: v.optional(Int(0, 50)),
    everyMinutes: v.optional(Int(0, 240)),
    gracePosts: v.optional(Int(0, 1000)),
  },
  'must be an object of "everyPosts", "jitterPct", "everyMinutes", "gracePosts"',
);

const Sha256Hex = v.pipe(
  v.string('must be a string'),
  v.regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (the SHA-256 of the code; see npm run study:codes)'),
);

const RandomisationSchema = v.strictObject(
  {
    method: v.optional(
      v.picklist(
        ['stable-hash', 'list'],
        'must be "stable-hash" (hash of seed and participant id or code → weighted arm) or "list" (your allocation list of enrolment codes)',
      ),
      'stable-hash',
    ),
    /** Mixed into the hash; defaults to studyId. Exported as allocation_seed. */
    seed: v.optional(Text(1, 128)),
    /** method "list": the researcher's (blocked, stratified) allocation list, codes stored as SHA-256 of "studyId:CODE". */
    list: v.optional(
      v.pipe(
        v.array(
          v.strictObject(
            { codeSha256: Sha256Hex, arm: Slug(), stratum: v.optional(Text(1, 64)), block: v.optional(Int(0, 1_000_000)) },
            'each entry must be an object with "codeSha256" and "arm"',
          ),
          'must be a list of allocations',
        ),
        v.maxLength(100_000, 'at most 100 000 entries'),
      ),
    ),
  },
  'must be an object',
);

const EnrolmentSchema = v.strictObject(
  {
    /** Researcher-issued enrolment codes: none, optional (linking to an external survey), or required. */
    codes: v.optional(v.picklist(['none', 'optional', 'required'], 'must be "none", "optional" or "required"'), 'none'),
    /** What the participant is told the code is, e.g. "The code at the end of the screening survey". */
    codeHint: v.optional(Localised(1, 300)),
  },
  'must be an object',
);

const ContactSchema = v.strictObject({ name: v.optional(Text(1, 200)), email: Email, url: v.optional(HttpsUrl) }, 'must be an object with at least an "email"');

/** What an ethics board asks participants to be told. With an ethics block, every field is required. */
const EthicsSchema = v.strictObject(
  {
    board: Text(1, 300),
    reference: Text(1, 100),
    /** Someone not on the research team (e.g. the board's office) participants can contact. */
    independentContact: ContactSchema,
    /** Who may take part, shown as a box the participant must tick. */
    eligibility: Localised(1, 1000),
    /** Minimum age; the eligibility box says it. */
    minimumAge: Int(13, 99),
    /** How long the data sent to the researchers is kept, and where. */
    retention: Localised(1, 1000),
    risks: Localised(1, 2000),
    benefits: Localised(1, 2000),
    /** How to ask for deletion of data already sent (shown before withdrawing). */
    deletion: Localised(1, 1000),
  },
  'must be an object with board, reference, independentContact, eligibility, minimumAge, retention, risks, benefits and deletion',
);

export const ProtocolSchema = v.strictObject(
  {
    $schema: v.optional(v.string()),
    format: v.literal(PROTOCOL_FORMAT, `must be ${PROTOCOL_FORMAT} (this version of Stillframe reads protocol format ${PROTOCOL_FORMAT})`),
    studyId: Slug(),
    version: Text(1, 32),
    title: Localised(1, 200),
    researchers: v.pipe(
      v.array(
        v.strictObject({ name: Text(1, 200), affiliation: v.optional(Text(1, 200)), email: v.optional(Email) }, 'each researcher must be an object'),
        'must be a list of researchers',
      ),
      v.minLength(1, 'must name at least one researcher'),
      v.maxLength(50, 'at most 50 researchers'),
    ),
    contact: ContactSchema,
    ethics: v.optional(EthicsSchema),
    consent: Localised(50, MAX_TEXT),
    durationDays: Int(1, 365),
    arms: v.pipe(v.array(ArmSchema, 'must be a list of arms'), v.minLength(1, 'must have at least one arm'), v.maxLength(20, 'at most 20 arms')),
    randomisation: v.optional(RandomisationSchema, { method: 'stable-hash' }),
    enrolment: v.optional(EnrolmentSchema, { codes: 'none' }),
    /** When decision points come in arms without frames (and by default in every arm). */
    decisionPoints: v.optional(DecisionPointsSchema),
    /** What the protocol fixes: the whole cadence (default) and the quiet hours (opt-in). */
    lock: v.optional(
      v.strictObject(
        { cadence: v.optional(v.boolean('must be true or false'), true), schedule: v.optional(v.boolean('must be true or false'), false) },
        'must be an object with "cadence" and/or "schedule"',
      ),
      { cadence: true, schedule: false },
    ),
    experienceSampling: v.optional(ExperienceSamplingSchema),
    measures: v.pipe(
      v.array(v.picklist(MEASURES, `must be one of: ${MEASURES.join(', ')} ("scroll_velocity" is now part of "decisions")`), 'must be a list of measures'),
      v.minLength(1, 'must list at least one measure'),
    ),
    /** Length of the windows before and after a decision point in which scrolling is measured. */
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

export type ProtocolResult =
  | { ok: true; protocol: Protocol; warnings: ProtocolFieldError[] }
  | { ok: false; errors: ProtocolFieldError[]; warnings: ProtocolFieldError[] };

export const MAX_PROTOCOL_BYTES = 200_000;

/** Cadence Stillframe uses for decision points when neither the arm nor `decisionPoints` says (as the default settings). */
export const DEFAULT_DECISION_CADENCE = { everyPosts: 25, jitterPct: 20, everyMinutes: 0, gracePosts: 0 } as const;

/** The probability that a decision point of this arm shows its frame. */
export function armPShow(arm: Pick<Arm, 'frames' | 'pShow'>): number {
  if (arm.frames === false) return 0;
  return arm.pShow ?? 1;
}

/** The cadence fields that decide *when* decision points come in an arm. Pure. */
export function decisionCadence(
  p: Pick<Protocol, 'decisionPoints'>,
  arm: Arm,
): { everyPosts: number; jitterPct: number; everyMinutes: number; gracePosts: number } {
  const base = { ...DEFAULT_DECISION_CADENCE, ...(p.decisionPoints ?? {}) };
  // A no-frames arm's cadence means nothing to show, so its decision points follow the protocol's.
  const own = arm.frames === false ? {} : (arm.cadence ?? {});
  return {
    everyPosts: own.everyPosts ?? base.everyPosts,
    jitterPct: own.jitterPct ?? base.jitterPct,
    everyMinutes: own.everyMinutes ?? base.everyMinutes,
    gracePosts: own.gracePosts ?? base.gracePosts,
  };
}

/** The validator's answer to a file over the limit: the same words wherever it is checked (page or background). */
export function protocolTooLarge(): ProtocolFieldError {
  return { path: '(file)', message: `is larger than ${MAX_PROTOCOL_BYTES} characters` };
}

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

/** An arm's dose as a comparable string (what the participant would experience). */
function doseKey(p: Protocol, arm: Arm): string {
  return JSON.stringify({
    pShow: armPShow(arm),
    when: decisionCadence(p, arm),
    cadence: arm.frames === false ? null : (arm.cadence ?? {}),
    schedule: p.lock.schedule ? (arm.schedule ?? null) : null,
    gentleHold: arm.frames === false ? null : (arm.gentleHold ?? null),
  });
}

/** Checks across fields that a schema cannot express one field at a time: what cannot work (errors) and what looks wrong (warnings). */
export function crossChecks(p: Protocol): { errors: ProtocolFieldError[]; warnings: ProtocolFieldError[] } {
  const errors: ProtocolFieldError[] = [];
  const warnings: ProtocolFieldError[] = [];
  const seen = new Map<string, number>();
  p.arms.forEach((arm, i) => {
    const prev = seen.get(arm.id);
    if (prev !== undefined) errors.push({ path: `arms.${i}.id`, message: `duplicate arm id "${arm.id}" (also arms.${prev}.id)` });
    else seen.set(arm.id, i);
  });
  const dup = p.measures.find((m, i) => p.measures.indexOf(m) !== i);
  if (dup) errors.push({ path: 'measures', message: `"${dup}" is listed twice` });

  const es = p.experienceSampling;
  const showsFrames = (a: Arm) => armPShow(a) > 0;
  if (p.measures.includes('survey') && !es) errors.push({ path: 'experienceSampling', message: 'is required when measures include "survey"' });
  if (es && !p.measures.includes('survey')) errors.push({ path: 'measures', message: 'must include "survey" when an experienceSampling question is set' });
  if (es && es.min >= es.max) errors.push({ path: 'experienceSampling.max', message: 'must be greater than min' });
  if (es) {
    const sched = es.schedule ?? {};
    const ownSchedule = sched.everyPosts !== undefined || sched.everyMinutes !== undefined || sched.atDecisionPoints !== undefined;
    if (es.probability === undefined && !ownSchedule) {
      errors.push({
        path: 'experienceSampling',
        message: 'is never offered: set "probability" (on shown frames) or a "schedule" (everyPosts, everyMinutes or atDecisionPoints)',
      });
    } else if (!ownSchedule) {
      const never = p.arms.filter((a) => !showsFrames(a));
      if (never.length === p.arms.length) {
        errors.push({
          path: 'experienceSampling.schedule',
          message: 'is required: no arm shows frames, so a question on frames ("probability") is never offered',
        });
      } else if (never.length > 0) {
        warnings.push({
          path: 'experienceSampling.schedule',
          message: `arm${never.length > 1 ? 's' : ''} ${never.map((a) => `"${a.id}"`).join(', ')} show${never.length > 1 ? '' : 's'} no frames and will never be asked: add a schedule so every arm is asked alike`,
        });
      }
    }
  }

  p.arms.forEach((arm, i) => {
    if (arm.frames === false && arm.pShow !== undefined && arm.pShow > 0) {
      errors.push({ path: `arms.${i}.pShow`, message: 'must be 0 (or left out) in an arm with "frames": false' });
    }
    if (arm.frames === false && arm.cadence) {
      warnings.push({ path: `arms.${i}.cadence`, message: 'has no effect in an arm without frames: its decision points follow "decisionPoints"' });
    }
    if (arm.frames === false && arm.gentleHold !== undefined)
      warnings.push({ path: `arms.${i}.gentleHold`, message: 'has no effect in an arm without frames' });
    const when = decisionCadence(p, arm);
    if (when.everyPosts === 0 && when.everyMinutes === 0) {
      errors.push({
        path: arm.frames === false || arm.cadence?.everyPosts === undefined ? 'decisionPoints' : `arms.${i}.cadence`,
        message: `leaves arm "${arm.id}" without decision points (everyPosts and everyMinutes are both 0): nothing could be compared`,
      });
    }
    if (arm.schedule && !p.lock.schedule) warnings.push({ path: `arms.${i}.schedule`, message: 'is ignored unless "lock": { "schedule": true }' });
  });

  // Identical arms compare nothing.
  const doses = new Map<string, number>();
  p.arms.forEach((arm, i) => {
    const k = doseKey(p, arm);
    const prev = doses.get(k);
    if (prev !== undefined)
      warnings.push({
        path: `arms.${i}`,
        message: `gives the same dose as arms.${prev} ("${p.arms[prev].id}"): the comparison between them can only find chance`,
      });
    else doses.set(k, i);
  });
  // Weights that leave an arm nearly empty.
  const total = p.arms.reduce((s, a) => s + a.weight, 0);
  p.arms.forEach((arm, i) => {
    const share = arm.weight / total;
    if (p.arms.length > 1 && share < 0.05) {
      warnings.push({
        path: `arms.${i}.weight`,
        message: `gives "${arm.id}" only ${(share * 100).toFixed(1)} % of participants: in a study of 100 it may stay nearly empty`,
      });
    }
  });

  if (!p.arms.some(showsFrames) && p.measures.some((m) => FRAME_ONLY_MEASURES.includes(m))) {
    warnings.push({ path: 'measures', message: 'include "impressions", but no arm shows frames: that table will stay empty' });
  }
  if (!p.measures.includes('decisions')) {
    warnings.push({ path: 'measures', message: 'do not include "decisions": without decision points the pause effect cannot be estimated' });
  }
  if (!p.ethics) {
    warnings.push({
      path: 'ethics',
      message: 'is missing: most ethics boards require their reference, an independent contact, eligibility, retention, risks and benefits on the consent page',
    });
  }

  // Randomisation and enrolment codes.
  const r = p.randomisation;
  if (r.method === 'list') {
    if (!r.list || r.list.length === 0) errors.push({ path: 'randomisation.list', message: 'is required (and must not be empty) when the method is "list"' });
    if (p.enrolment.codes !== 'required')
      errors.push({ path: 'enrolment.codes', message: 'must be "required" when randomisation.method is "list" (the code finds the participant\u2019s row)' });
  } else if (r.list) {
    errors.push({ path: 'randomisation.list', message: 'is only used with "method": "list"' });
  }
  if (r.list) {
    const armIds = new Set(p.arms.map((a) => a.id));
    const codes = new Map<string, number>();
    r.list.forEach((row, i) => {
      if (!armIds.has(row.arm)) errors.push({ path: `randomisation.list.${i}.arm`, message: `"${row.arm}" is not one of the arms` });
      const prev = codes.get(row.codeSha256);
      if (prev !== undefined) errors.push({ path: `randomisation.list.${i}.codeSha256`, message: `duplicate code (also randomisation.list.${prev})` });
      else codes.set(row.codeSha256, i);
    });
  }
  return { errors, warnings };
}

/** Validates a protocol given as JSON text or as a parsed value. Never throws. */
export function validateProtocol(input: unknown): ProtocolResult {
  let raw = input;
  const fail = (errors: ProtocolFieldError[]): ProtocolResult => ({ ok: false, errors, warnings: [] });
  if (typeof input === 'string') {
    if (input.length > MAX_PROTOCOL_BYTES) return fail([protocolTooLarge()]);
    if (input.trim() === '') return fail([{ path: '(file)', message: 'is empty' }]);
    try {
      raw = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      return fail([{ path: '(file)', message: jsonErrorMessage(err, input) }]);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail([{ path: '(file)', message: 'the protocol must be a JSON object ({ … })' }]);
  }
  const res = v.safeParse(ProtocolSchema, raw);
  if (!res.success) {
    const errors = res.issues.map((i) => ({ path: v.getDotPath(i) ?? '(file)', message: issueMessage(i) }));
    // One message per field is enough (valibot may report a type and a range issue for the same field).
    const unique = errors.filter((e, i) => errors.findIndex((o) => o.path === e.path) === i);
    return fail(unique);
  }
  const cross = crossChecks(res.output);
  if (cross.errors.length > 0) return { ok: false, errors: cross.errors, warnings: cross.warnings };
  return { ok: true, protocol: res.output, warnings: cross.warnings };
}

/** "arms.1.weight: must be greater than 0" */
export function formatFieldError(e: ProtocolFieldError): string {
  return `${e.path}: ${e.message}`;
}

/** The text in the participant's UI language (falls back to English). */
export function localised(text: LocalisedText, locale: 'en' | 'zh_CN'): string {
  return (locale === 'zh_CN' ? text.zh_CN : text.en) || text.en;
}

/** Whether some arm of the protocol shows no frames at all (the consent page's "some see none"). */
export function hasControlArm(p: Pick<Protocol, 'arms'>): boolean {
  return p.arms.some((a) => armPShow(a) === 0);
}
