import * as v from 'valibot';

/**
 * The one settings schema. Every persisted or imported settings object goes through
 * `parseSettings`, which repairs field by field: a corrupt field falls back to its default
 * and is named in `repaired`, the rest of the user's choices are kept.
 */

export const SETTINGS_VERSION = 3;

const Int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const Hhmm = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'));

export const TimeWindowSchema = v.object({
  /** 0 = Sunday … 6 = Saturday */
  days: v.pipe(v.array(Int(0, 6)), v.maxLength(7)),
  start: Hhmm,
  end: Hhmm,
});
export type TimeWindow = v.InferOutput<typeof TimeWindowSchema>;

export const CadenceSchema = v.object({
  /** A pause after about this many posts; 0 = posts do not trigger pauses. */
  everyPosts: Int(0, 1000),
  /** ± percent of randomness on everyPosts, so pauses do not feel mechanical. */
  jitterPct: Int(0, 50),
  /** A pause after this many minutes of active scrolling; 0 = off. */
  everyMinutes: Int(0, 240),
  /** Minimum minutes between two pauses, across all tabs. */
  minGapMinutes: Int(0, 240),
  /** At most this many pauses a day; 0 = no cap. */
  dailyCap: Int(0, 500),
  /** No pause in the first K posts of a feed session. */
  gracePosts: Int(0, 1000),
  /** After this many minutes of continuous scrolling, pauses come more often; 0 = off. */
  escalateAfterMinutes: Int(0, 240),
  /** Multiplier on everyPosts once escalated (0.5 = twice as often). */
  escalateFactor: v.pipe(v.number(), v.minValue(0.1), v.maxValue(1)),
});
export type Cadence = v.InferOutput<typeof CadenceSchema>;

export const SiteSettingsSchema = v.object({
  enabled: v.boolean(),
  /** Overrides the global everyPosts for this site when set. */
  everyPosts: v.optional(Int(0, 1000)),
  /** Collections used on this site; empty or absent = all enabled collections. */
  collections: v.optional(v.array(v.string())),
});
export type SiteSettings = v.InferOutput<typeof SiteSettingsSchema>;

export const CollectionPrefSchema = v.object({
  enabled: v.boolean(),
  weight: v.pipe(v.number(), v.minValue(0), v.maxValue(10)),
});

export const ScheduleSchema = v.object({
  /** always: any time; only: only inside windows; except: never inside windows (quiet hours). */
  mode: v.picklist(['always', 'only', 'except']),
  windows: v.pipe(v.array(TimeWindowSchema), v.maxLength(20)),
});

export const SettingsSchema = v.object({
  version: v.literal(SETTINGS_VERSION),
  enabled: v.boolean(),
  cadence: CadenceSchema,
  schedule: ScheduleSchema,
  /** Keyed by site key (see utils/feeds/registry.ts), e.g. "x", "reddit", "demo", "custom:example.org". */
  sites: v.record(v.string(), SiteSettingsSchema),
  collections: v.record(v.string(), CollectionPrefSchema),
  /**
   * Languages of the Words collection to show: 'auto' follows the UI language (English only
   * for an English profile, both for a Chinese one), or the person's own choice.
   */
  wordLanguages: v.union([v.literal('auto'), v.pipe(v.array(v.picklist(['en', 'zh'])), v.minLength(1))]),
  /** UI language: follow the browser, or a manual override. */
  locale: v.picklist(['auto', 'en', 'zh_CN']),
  /** Softly blur posts below a frame for a few seconds. */
  gentleHold: v.boolean(),
  /** Origins the user added as custom feeds (permission granted at run time). */
  customSites: v.array(v.string()),
  /** How long "Take a break" puts a feed away, in minutes (the break panel can change it for one break). */
  breakMinutes: Int(1, 240),
  /** "You have seen N posts today — a good place to stop": once a day, after `posts` posts; off by default. */
  stoppingPoint: v.object({ enabled: v.boolean(), posts: Int(10, 10000) }),
  /**
   * Skip about 1 in 10 due pauses at random, so Insights can compare moments with and without
   * a pause (utils/schedule/decision.ts). Outside a study only: a study's protocol sets its own.
   */
  compareWithSkips: v.boolean(),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  enabled: true,
  cadence: {
    everyPosts: 25,
    jitterPct: 20,
    everyMinutes: 0,
    minGapMinutes: 0,
    dailyCap: 0,
    gracePosts: 0,
    escalateAfterMinutes: 0,
    escalateFactor: 0.6,
  },
  schedule: { mode: 'always', windows: [] },
  sites: {},
  // Breath cues and questions are few (7 and 14) next to 200 compositions and 77 poems: at
  // half weight they come often enough to matter without feeling repetitive.
  collections: { breath: { enabled: true, weight: 0.5 }, questions: { enabled: true, weight: 0.5 } },
  wordLanguages: 'auto',
  locale: 'auto',
  gentleHold: false,
  customSites: [],
  breakMinutes: 15,
  stoppingPoint: { enabled: false, posts: 300 },
  compareWithSkips: true,
};

export type WordLanguage = 'en' | 'zh';

/** The poem languages in force: the person's choice, or by default those a reader of the UI language reads. */
export function wordLanguagesFor(settings: Pick<Settings, 'wordLanguages'>, uiLocale: 'en' | 'zh_CN'): WordLanguage[] {
  if (settings.wordLanguages !== 'auto') return [...settings.wordLanguages];
  // An English profile gets no untranslated classical Chinese; a Chinese profile gets both.
  return uiLocale === 'zh_CN' ? ['zh', 'en'] : ['en'];
}

export interface ParsedSettings {
  settings: Settings;
  /** Dotted paths of fields that were invalid and replaced with defaults. */
  repaired: string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Repairs one object-shaped field key by key against its schema's entries. */
function repairObject<T extends Record<string, unknown>>(schema: v.ObjectSchema<any, any>, raw: unknown, defaults: T, path: string, repaired: string[]): T {
  if (!isObject(raw)) {
    if (raw !== undefined) repaired.push(path);
    return structuredClone(defaults);
  }
  const out: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(schema.entries as Record<string, v.GenericSchema>)) {
    const res = v.safeParse(fieldSchema, raw[key]);
    if (res.success) out[key] = res.output;
    else {
      if (raw[key] !== undefined) repaired.push(`${path}.${key}`);
      out[key] = structuredClone((defaults as Record<string, unknown>)[key]);
    }
  }
  return out as T;
}

/** Validates a stored or imported value; never throws. */
export function parseSettings(raw: unknown): ParsedSettings {
  const repaired: string[] = [];
  if (raw === undefined || raw === null) return { settings: structuredClone(DEFAULT_SETTINGS), repaired };
  if (!isObject(raw)) return { settings: structuredClone(DEFAULT_SETTINGS), repaired: ['settings'] };
  const migrated = migrateSettings(raw);
  const settings = {} as Record<string, unknown>;
  for (const [key, fieldSchema] of Object.entries(SettingsSchema.entries)) {
    const def = (DEFAULT_SETTINGS as Record<string, unknown>)[key];
    const value = migrated[key];
    if (fieldSchema.type === 'object' && isObject(def)) {
      settings[key] = repairObject(fieldSchema as v.ObjectSchema<any, any>, value, def, key, repaired);
    } else if (key === 'sites' || key === 'collections') {
      // Records: keep every valid entry, drop only the broken ones.
      const entrySchema = key === 'sites' ? SiteSettingsSchema : CollectionPrefSchema;
      const rec: Record<string, unknown> = {};
      if (isObject(value)) {
        for (const [k, e] of Object.entries(value)) {
          const res = v.safeParse(entrySchema, e);
          if (res.success) rec[k] = res.output;
          else repaired.push(`${key}.${k}`);
        }
      } else if (value !== undefined) repaired.push(key);
      settings[key] = rec;
    } else {
      const res = v.safeParse(fieldSchema as v.GenericSchema, value);
      if (res.success) settings[key] = res.output;
      else {
        if (value !== undefined) repaired.push(key);
        settings[key] = structuredClone(def);
      }
    }
  }
  return { settings: settings as Settings, repaired };
}

/**
 * Settings migrations, oldest first. Each takes the raw object of version n and returns
 * version n+1, so that an update never drops a user's settings and an older export still
 * imports (a missing version means the current one).
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  // v2: break length and the stopping point (off). A stored poem-language list is kept as it
  // is: it may be the person's own choice, and nothing they chose changes without telling them.
  1: (raw) => ({
    ...raw,
    breakMinutes: raw.breakMinutes ?? DEFAULT_SETTINGS.breakMinutes,
    stoppingPoint: raw.stoppingPoint ?? structuredClone(DEFAULT_SETTINGS.stoppingPoint),
  }),
  // v3: the comparison's random skips for Insights, on by default and explained where they show.
  2: (raw) => ({ ...raw, compareWithSkips: typeof raw.compareWithSkips === 'boolean' ? raw.compareWithSkips : true }),
};

export function migrateSettings(raw: Record<string, unknown>): Record<string, unknown> {
  let cur = { ...raw };
  let ver = typeof cur.version === 'number' ? cur.version : SETTINGS_VERSION;
  while (ver < SETTINGS_VERSION && MIGRATIONS[ver]) {
    cur = MIGRATIONS[ver](cur);
    ver += 1;
  }
  cur.version = SETTINGS_VERSION;
  return cur;
}

/** One refused field, for a sentence in the UI language (components/options/settings-errors.ts). */
export interface SettingsIssue {
  /** Dotted path, e.g. 'cadence.everyPosts', 'schedule.windows.0.start'; '' for the whole file. */
  path: string;
  /** The value found, as valibot prints it ('-3', '"lots"', 'undefined'). */
  received: string;
}

/** Strict validation for imports: returns field-level errors instead of repairing. */
export function validateSettingsImport(raw: unknown): { ok: true; settings: Settings } | { ok: false; errors: string[]; issues: SettingsIssue[] } {
  const migrated = isObject(raw) ? migrateSettings(raw) : raw;
  const res = v.safeParse(SettingsSchema, migrated);
  if (res.success) return { ok: true, settings: res.output };
  // A union (wordLanguages) reports once per member: one line per field is enough.
  const seen = new Set<string>();
  const issues: SettingsIssue[] = [];
  for (const i of res.issues) {
    const path = v.getDotPath(i) ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    issues.push({ path, received: String(i.received) });
  }
  return {
    ok: false,
    errors: res.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`),
    issues,
  };
}

/** Deep-merges a partial patch onto settings (objects merge, arrays and scalars replace). */
export function mergeSettings(base: Settings, patch: DeepPartial<Settings>): Settings {
  const merge = (a: any, b: any): any => {
    if (!isObject(a) || !isObject(b)) return b === undefined ? a : b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, val] of Object.entries(b)) out[k] = val === undefined ? a[k] : merge(a[k], val);
    return out;
  };
  return merge(base, patch);
}

export type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
