import type { IDBPObjectStore } from 'idb';
import { getDB } from '@/utils/storage/db';
import type { StillframeDB } from '@/utils/storage/schema';
import { isQuotaError, pruneOldestEvents } from '@/utils/storage/events';
import type { Settings } from '@/utils/storage/settings';
import { assignArm, newParticipantId } from './arms';
import { MEASURES, localised, validateProtocol, type Arm, type ProtocolFieldError, type Measure } from './protocol';
import type {
  ClaimStudy,
  Enrolment,
  PendingProtocol,
  Scalar,
  StudyContentConfig,
  StudyCounts,
  StudyExportData,
  StudyLogRecord,
  StudyStatus,
} from './types';

/**
 * Study data in IndexedDB, written by the background only. Two stores of their own
 * ('study' for the enrolment, 'studyLog' for table rows), so pruning ordinary events never
 * touches them. Every writer first checks, in the same transaction, that a study is running
 * and that the protocol asked for that measure: without consent nothing is written.
 * Only aggregate numbers, ids and codes are stored: never URLs, post text, account names or
 * anything typed (site keys of added sites are reduced to "custom").
 */

const ENROLMENT = 'enrolment';
const PENDING = 'pending';
/** site → the open session row ({ id, lastAt }) */
const OPEN_SESSIONS = 'openSessions';
/** `${site}|${frameId}` → impression id, until the frame's report arrives */
const OPEN_IMPRESSIONS = 'openImpressions';

export const SESSION_IDLE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

type OpenSessions = Record<string, { id: string; lastAt: number }>;
type OpenImpressions = Record<string, string>;

/** A site key as logged: 'custom:example.org' → 'custom', 'mastodon:host' → 'mastodon'. */
export function studySite(siteKey: string): string {
  return siteKey.split(':')[0].slice(0, 40) || 'unknown';
}

function isEnrolment(x: unknown): x is Enrolment {
  const e = x as Enrolment;
  return !!e && typeof e === 'object' && e.version === 1 && typeof e.participantId === 'string' && !!e.protocol;
}

export async function getEnrolment(): Promise<Enrolment | null> {
  const db = await getDB();
  const raw = await db.get('study', ENROLMENT);
  return isEnrolment(raw) ? raw : null;
}

export function isRunning(e: Enrolment | null, now: number): e is Enrolment {
  return !!e && now >= e.startedAt && now < e.endsAt;
}

export function armOf(e: Enrolment): Arm | null {
  return e.protocol.arms.find((a) => a.id === e.arm) ?? null;
}

/** The arm whose overrides apply now (null when no study runs): input to effectiveSettings. */
export async function activeArm(now = Date.now()): Promise<Arm | null> {
  const e = await getEnrolment();
  return isRunning(e, now) ? armOf(e) : null;
}

export function studyDay(e: Enrolment, now: number): number {
  return Math.min(e.protocol.durationDays, Math.max(1, Math.floor((now - e.startedAt) / DAY_MS) + 1));
}

function randomId(prefix: string): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return `${prefix}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Enrolment: load → consent (or decline) → withdraw

export async function countStudy(): Promise<StudyCounts> {
  const db = await getDB();
  const tx = db.transaction(['study', 'studyLog'], 'readonly');
  const meta = await tx.objectStore('study').count();
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
  if (e) {
    return {
      state: now < e.endsAt ? 'active' : 'ended',
      protocol: e.protocol,
      participantId: e.participantId,
      arm: e.protocol.blindArm ? null : e.arm,
      day: studyDay(e, now),
      days: e.protocol.durationDays,
      startedAt: e.startedAt,
      endsAt: e.endsAt,
      uploadConsent: e.uploadConsent,
      counts,
    };
  }
  const pending = (await db.get('study', PENDING)) as PendingProtocol | undefined;
  return {
    state: pending ? 'pending' : 'none',
    protocol: pending?.protocol ?? null,
    participantId: null,
    arm: null,
    day: null,
    days: null,
    startedAt: null,
    endsAt: null,
    uploadConsent: false,
    counts,
  };
}

/** Validates a protocol and keeps it as pending until the participant agrees or declines. */
export async function loadProtocol(text: string, now = Date.now()): Promise<{ ok: true } | { ok: false; errors: ProtocolFieldError[] }> {
  if (await getEnrolment()) {
    return { ok: false, errors: [{ path: '(study)', message: 'a study is already set up: export its data and withdraw (delete it) before loading another' }] };
  }
  const res = validateProtocol(text);
  if (!res.ok) return res;
  const db = await getDB();
  const pending: PendingProtocol = { protocol: res.protocol, text, loadedAt: now };
  await db.put('study', pending, PENDING);
  return { ok: true };
}

export interface ConsentInput {
  agree: boolean;
  uploadConsent: boolean;
  locale: 'en' | 'zh_CN';
  extensionVersion: string;
  now?: number;
  /** For tests: a fixed participant id. */
  participantId?: string;
}

/**
 * Agree: a random participant id, the arm from it, and the study starts now. Decline: the
 * pending protocol is dropped and nothing else is ever written.
 */
export async function giveConsent(input: ConsentInput): Promise<void> {
  const db = await getDB();
  const now = input.now ?? Date.now();
  if (!input.agree) {
    await db.delete('study', PENDING);
    return;
  }
  if (await getEnrolment()) throw new Error('already enrolled');
  const pending = (await db.get('study', PENDING)) as PendingProtocol | undefined;
  if (!pending) throw new Error('no protocol loaded');
  const protocol = pending.protocol;
  const participantId = input.participantId ?? newParticipantId();
  const arm = assignArm(participantId, protocol.studyId, protocol.arms);
  const enrolment: Enrolment = {
    version: 1,
    protocol,
    protocolText: pending.text,
    participantId,
    arm: arm.id,
    consentedAt: now,
    startedAt: now,
    endsAt: now + protocol.durationDays * DAY_MS,
    uploadConsent: !!protocol.endpoint && input.uploadConsent,
    consentLocale: input.locale,
    extensionVersion: input.extensionVersion,
  };
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  await tx.objectStore('study').put(enrolment, ENROLMENT);
  await tx.objectStore('study').delete(PENDING);
  if (protocol.measures.includes('versions')) {
    await tx.objectStore('studyLog').put({
      id: `ver-${now}`,
      table: 'versions',
      ts: now,
      data: { recorded_at: now, extension_version: input.extensionVersion, event: 'enrolled' },
    });
  }
  await tx.done;
}

/** Deletes every study record and the participant id; returns the counts before and after (all zero). */
export async function withdraw(): Promise<{ before: StudyCounts; after: StudyCounts }> {
  const before = await countStudy();
  const db = await getDB();
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  await Promise.all([tx.objectStore('study').clear(), tx.objectStore('studyLog').clear()]);
  await tx.done;
  return { before, after: await countStudy() };
}

export async function exportData(extensionVersion: string, now = Date.now()): Promise<StudyExportData> {
  const e = await getEnrolment();
  if (!e) throw new Error('no study data to export');
  const db = await getDB();
  const records = await db.getAll('studyLog');
  return { enrolment: e, records, exportedAt: now, extensionVersion };
}

// ---------------------------------------------------------------------------------------------
// Logging. Each writer is one transaction: read the enrolment, check, write.

type Stores = ('study' | 'studyLog')[];
type StudyStore = IDBPObjectStore<StillframeDB, Stores, 'study', 'readwrite'>;
type LogStore = IDBPObjectStore<StillframeDB, Stores, 'studyLog', 'readwrite'>;
type Writer = (ctx: { e: Enrolment; study: StudyStore; log: LogStore }) => Promise<void>;

async function writeOnce(measure: Measure | Measure[], now: number, fn: Writer): Promise<boolean> {
  const db = await getDB();
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  const study = tx.objectStore('study');
  const raw = await study.get(ENROLMENT);
  const e = isEnrolment(raw) ? raw : null;
  const wanted = Array.isArray(measure) ? measure : [measure];
  if (!isRunning(e, now) || !wanted.some((m) => e.protocol.measures.includes(m))) {
    await tx.done;
    return false;
  }
  await fn({ e, study, log: tx.objectStore('studyLog') });
  await tx.done;
  return true;
}

/** Runs a writer; on a full disk, the oldest general events make room (study rows are never pruned) and it runs once more. */
async function write(measure: Measure | Measure[], now: number, fn: Writer): Promise<boolean> {
  try {
    return await writeOnce(measure, now, fn);
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    await pruneOldestEvents();
    return writeOnce(measure, now, fn);
  }
}

/** A batch of posts passed on a site: feeds the sessions and posts_per_minute tables. */
export async function logProgress(siteKey: string, posts: number, activeMs: number, now = Date.now()): Promise<void> {
  const site = studySite(siteKey);
  await write(['sessions', 'posts_per_minute'], now, async ({ e, study, log }) => {
    if (e.protocol.measures.includes('posts_per_minute') && posts > 0) {
      const minute = Math.floor(now / 60_000) * 60_000;
      const id = `ppm-${site}-${minute}`;
      const row = await log.get(id);
      await log.put({
        id,
        table: 'posts_per_minute',
        ts: minute,
        data: { minute_start: minute, site_key: site, posts: ((row?.data.posts as number) ?? 0) + posts },
      } satisfies StudyLogRecord);
    }
    if (e.protocol.measures.includes('sessions')) {
      const open = ((await study.get(OPEN_SESSIONS)) as OpenSessions | undefined) ?? {};
      const cur = open[site];
      const prev = cur && now - cur.lastAt < SESSION_IDLE_MS ? await log.get(cur.id) : undefined;
      if (prev) {
        const start = prev.data.start_at as number;
        await log.put({ ...prev, data: { ...prev.data, end_at: now, duration_s: (now - start) / 1000, posts: (prev.data.posts as number) + posts } });
        open[site] = { id: prev.id, lastAt: now };
      } else {
        const start = Math.max(e.startedAt, now - Math.min(activeMs, SESSION_IDLE_MS));
        const id = randomId('ses');
        await log.put({
          id,
          table: 'sessions',
          ts: start,
          data: { session_id: id, site_key: site, start_at: start, end_at: now, duration_s: (now - start) / 1000, posts },
        } satisfies StudyLogRecord);
        open[site] = { id, lastAt: now };
      }
      await study.put(open, OPEN_SESSIONS);
    }
  });
}

/** A frame was granted: one impression row; maybe the experience-sampling question with it. */
export async function logImpression(
  f: { siteKey: string; frameId: string; collectionId: string; postsSince: number },
  locale: 'en' | 'zh_CN',
  rng: () => number = Math.random,
  now = Date.now(),
): Promise<ClaimStudy | undefined> {
  let out: ClaimStudy | undefined;
  const site = studySite(f.siteKey);
  await write('impressions', now, async ({ e, study, log }) => {
    const es = e.protocol.experienceSampling;
    const offer = !!es && e.protocol.measures.includes('survey') && rng() < es.probability;
    const id = randomId('imp');
    await log.put({
      id,
      table: 'impressions',
      ts: now,
      data: {
        impression_id: id,
        shown_at: now,
        site_key: site,
        frame_id: f.frameId.slice(0, 200),
        collection: f.collectionId.slice(0, 200),
        posts_before: f.postsSince,
        first_visible_at: null,
        visible_ms: null,
        action: 'none',
        survey_offered: offer,
      },
    } satisfies StudyLogRecord);
    const open = ((await study.get(OPEN_IMPRESSIONS)) as OpenImpressions | undefined) ?? {};
    open[`${site}|${f.frameId}`] = id;
    // Keep the map small: a frame never reported (tab closed) is forgotten after 200 newer ones.
    const keys = Object.keys(open);
    for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete open[k];
    await study.put(open, OPEN_IMPRESSIONS);
    out = { impressionId: id };
    if (offer && es) {
      out.sample = {
        questionId: es.id,
        question: localised(es.question, locale),
        min: es.min,
        max: es.max,
        ...(es.minLabel ? { minLabel: localised(es.minLabel, locale) } : {}),
        ...(es.maxLabel ? { maxLabel: localised(es.maxLabel, locale) } : {}),
      };
    }
  });
  return out;
}

async function updateImpression(log: LogStore, id: string, patch: (d: Record<string, Scalar>) => Record<string, Scalar>): Promise<boolean> {
  const row = await log.get(id);
  if (!row || row.table !== 'impressions') return false;
  await log.put({ ...row, data: patch(row.data) });
  return true;
}

/** The frame's own report (what the participant did, how long it was seen). */
export async function logFrameReport(r: { siteKey: string; frameId: string; visibleMs: number; action: string }, now = Date.now()): Promise<void> {
  const site = studySite(r.siteKey);
  await write('impressions', now, async ({ study, log }) => {
    const open = ((await study.get(OPEN_IMPRESSIONS)) as OpenImpressions | undefined) ?? {};
    const key = `${site}|${r.frameId}`;
    const id = open[key];
    if (!id) return;
    // A passive report ('none': scrolled past) keeps the impression open, so an action taken
    // after scrolling back still lands on it.
    if (r.action !== 'none') {
      delete open[key];
      await study.put(open, OPEN_IMPRESSIONS);
    }
    await updateImpression(log, id, (d) => ({
      ...d,
      action: r.action === 'none' && d.action && d.action !== 'none' ? d.action : r.action,
      visible_ms: Math.max(Math.round(r.visibleMs), (d.visible_ms as number | null) ?? 0),
    }));
  });
}

export interface VelocityWindow {
  ms: number;
  posts: number;
  px: number;
}

const perMin = (w: VelocityWindow) => (w.ms > 0 ? (w.posts * 60_000) / w.ms : 0);
const perSec = (w: VelocityWindow) => (w.ms > 0 ? (Math.abs(w.px) * 1000) / w.ms : 0);

/** The scroll_velocity row for one frame. Pure. */
export function velocityRow(impressionId: string, site: string, windowMs: number, before: VelocityWindow, after: VelocityWindow): Record<string, Scalar> {
  const bPx = perSec(before);
  const aPx = perSec(after);
  const bPosts = perMin(before);
  const aPosts = perMin(after);
  const slowdown = bPx > 0 ? ((bPx - aPx) / bPx) * 100 : bPosts > 0 ? ((bPosts - aPosts) / bPosts) * 100 : null;
  return {
    impression_id: impressionId,
    site_key: site,
    window_s: windowMs / 1000,
    before_s: before.ms / 1000,
    before_posts_per_min: bPosts,
    before_px_per_s: bPx,
    after_s: after.ms / 1000,
    after_posts_per_min: aPosts,
    after_px_per_s: aPx,
    slowdown_pct: slowdown,
  };
}

/** What the tab measured around one frame: when it was first seen, for how long, and the scroll speed around it. */
export async function logPause(
  m: { impressionId: string; visibleMs: number; firstVisibleAgoMs: number | null; before: VelocityWindow | null; after: VelocityWindow | null },
  now = Date.now(),
): Promise<void> {
  await write('impressions', now, async ({ e, log }) => {
    const row = await log.get(m.impressionId);
    if (!row || row.table !== 'impressions') return;
    await log.put({
      ...row,
      data: {
        ...row.data,
        first_visible_at: m.firstVisibleAgoMs === null ? row.data.first_visible_at : Math.round(now - m.firstVisibleAgoMs),
        visible_ms: Math.max(Math.round(m.visibleMs), (row.data.visible_ms as number | null) ?? 0),
      },
    });
    if (m.before && m.after && e.protocol.measures.includes('scroll_velocity')) {
      const windowMs = e.protocol.velocityWindowSeconds * 1000;
      await log.put({
        id: `vel-${m.impressionId}`,
        table: 'scroll_velocity',
        ts: row.ts,
        data: velocityRow(m.impressionId, row.data.site_key as string, windowMs, m.before, m.after),
      } satisfies StudyLogRecord);
    }
  });
}

/** An answer to the experience-sampling question (only for a frame that carried it, within the scale). */
export async function logAnswer(impressionId: string, answer: number, now = Date.now()): Promise<boolean> {
  let ok = false;
  await write('survey', now, async ({ e, log }) => {
    const es = e.protocol.experienceSampling;
    const imp = await log.get(impressionId);
    if (!es || !imp || imp.table !== 'impressions' || imp.data.survey_offered !== true) return;
    if (!Number.isInteger(answer) || answer < es.min || answer > es.max) return;
    await log.put({
      id: `srv-${impressionId}`,
      table: 'survey',
      ts: now,
      data: { impression_id: impressionId, answered_at: now, question_id: es.id, answer },
    } satisfies StudyLogRecord);
    ok = true;
  });
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Settings changes

const VALUE_STRINGS = new Set(['locale', 'schedule.mode']);

/** Dotted paths → values of the leaves of a settings object; site keys reduced as in studySite. */
function flatten(x: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(x) || x === null || typeof x !== 'object') {
    out.set(path, x);
    return;
  }
  for (const [k, val] of Object.entries(x as Record<string, unknown>)) {
    const key = path === 'sites' ? studySite(k) : k;
    flatten(val, path ? `${path}.${key}` : key, out);
  }
}

/** The settings_changes rows for one save. Pure. Values only for numbers, switches and a few choices. */
export function settingsChanges(before: Settings, after: Settings): Array<{ field: string; value: string }> {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const out: Array<{ field: string; value: string }> = [];
  const seen = new Set<string>();
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field);
    const y = b.get(field);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const value =
      typeof y === 'number' || typeof y === 'boolean' ? String(y) : typeof y === 'string' && VALUE_STRINGS.has(field) ? y : '';
    const key = `${field}=${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, value });
  }
  return out;
}

export async function logSettingsChange(before: Settings, after: Settings, now = Date.now()): Promise<void> {
  const changes = settingsChanges(before, after);
  if (changes.length === 0) return;
  await write('settings_changes', now, async ({ log }) => {
    let i = 0;
    for (const c of changes) {
      await log.put({ id: `set-${now}-${i++}-${randomId('c')}`, table: 'settings_changes', ts: now, data: { changed_at: now, ...c } } satisfies StudyLogRecord);
    }
  });
}

/** Snoozes are settings-like choices too (how long, and whether for one site). */
export async function logSnooze(kind: string, siteKey: string | undefined, now = Date.now()): Promise<void> {
  await write('settings_changes', now, async ({ log }) => {
    await log.put({
      id: `set-${now}-snooze-${randomId('c')}`,
      table: 'settings_changes',
      ts: now,
      data: { changed_at: now, field: siteKey ? `snooze.${studySite(siteKey)}` : 'snooze', value: kind },
    } satisfies StudyLogRecord);
  });
}

// ---------------------------------------------------------------------------------------------
// Version and content config

/** Records an extension update during the study (compared with the last recorded version). */
export async function checkVersion(version: string, now = Date.now()): Promise<void> {
  const e = await getEnrolment();
  if (!isRunning(e, now) || e.extensionVersion === version) return;
  await write('versions', now, async ({ log }) => {
    await log.put({ id: `ver-${now}`, table: 'versions', ts: now, data: { recorded_at: now, extension_version: version, event: 'updated' } } satisfies StudyLogRecord);
  });
  const db = await getDB();
  const tx = db.transaction('study', 'readwrite');
  const cur = await tx.store.get(ENROLMENT);
  if (isEnrolment(cur)) await tx.store.put({ ...cur, extensionVersion: version }, ENROLMENT);
  await tx.done;
}

/** What a feed tab measures while a study runs (null: nothing). */
export async function studyContentConfig(now = Date.now()): Promise<StudyContentConfig | null> {
  const e = await getEnrolment();
  if (!isRunning(e, now) || !e.protocol.measures.includes('impressions')) return null;
  return { windowMs: e.protocol.velocityWindowSeconds * 1000 };
}
