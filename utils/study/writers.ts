import type { IDBPObjectStore } from 'idb';
import { getDB } from '@/utils/storage/db';
import type { StillframeDB } from '@/utils/storage/schema';
import { readStudyRecord, readStudyRecordUnchecked, writeStudyRecord } from '@/utils/storage/records';
import { logEvent } from '@/utils/storage/events';
import { noteDropped, StorageFullError, withRoom } from '@/utils/storage/quota';
import type { Settings } from '@/utils/storage/settings';
import { localDay } from '@/utils/schedule/calendar';
import { SESSION_IDLE_MS } from '@/utils/schedule/scheduler-state';
import { armPShow, localised, type Measure } from './protocol';
import { getEnrolment, enrolmentNeedsRepair, readEnrolmentIn, isRunning } from './enrolment';
import {
  EMPTY_SURVEY_STATE,
  KEYS,
  OpenIntervalSchema,
  OpenSessionSchema,
  SurveyStateSchema,
  repairMap,
  repairOne,
  type OpenIntervals,
  type OpenSessions,
  type SurveyState,
  type Repaired,
} from './bookkeeping';
import {
  applyDecisionWindows,
  applyFrameReport,
  applySurveyEvent,
  buildCensoringRow,
  buildDecisionRow,
  buildImpressionRow,
  buildSurveyRow,
  settingsChanges,
  studySite,
  utcOffsetMin,
} from './rows';
import { buildSnapshotRow } from './snapshot';
import { advanceSurvey, recordOffer, scheduledTrigger, underDailyCap } from './survey-schedule';
import type { DecisionWindows, Enrolment, ExposureSummary, SamplePrompt, StudyLogRecord, SurveyOffer } from './types';
import { devLog } from '@/utils/dev-log';

/**
 * The study's log writers, used by the background only. Each is one IndexedDB transaction that
 * first checks, inside it, that a study is running and that the protocol asked for the measure:
 * without consent nothing is written. The rows themselves come from the pure builders in
 * rows.ts; bookkeeping records are read through their schemas (bookkeeping.ts), so a damaged
 * one is repaired instead of stopping the write.
 */

type Stores = ('study' | 'studyLog')[];
type StudyStore = IDBPObjectStore<StillframeDB, Stores, 'study', 'readwrite'>;
type LogStore = IDBPObjectStore<StillframeDB, Stores, 'studyLog', 'readwrite'>;
type Writer = (ctx: { e: Enrolment; study: StudyStore; log: LogStore }) => Promise<void>;

export function randomId(prefix: string): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return `${prefix}-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Notes a repaired bookkeeping record in the general log (the options page's data health). */
function noteRepair(what: string): void {
  void logEvent({ ts: Date.now(), type: 'notice', detail: `study-repaired:${what}` }).catch(devLog('note study repair'));
}

/** The repaired value, noting the repair when there was one. */
function repaired<T>(what: string, r: Repaired<T>): T {
  if (r.repaired) noteRepair(what);
  return r.value;
}

async function readOpenSessions(study: StudyStore): Promise<OpenSessions> {
  return readStudyRecord(study, KEYS.openSessions, (raw) => repaired(KEYS.openSessions, repairMap(OpenSessionSchema, raw, 200)));
}

async function readSurveyState(study: StudyStore): Promise<SurveyState> {
  return readStudyRecord(study, KEYS.survey, (raw) => repaired(KEYS.survey, repairOne(SurveyStateSchema, raw, EMPTY_SURVEY_STATE)));
}

async function readIntervals(study: StudyStore): Promise<OpenIntervals> {
  return readStudyRecord(study, KEYS.censoring, (raw) => repaired(KEYS.censoring, repairMap(OpenIntervalSchema, raw, 200)));
}

/** Opens a session of a site at `now` (no posts yet; the next batch of posts extends it). */
async function openSession(study: StudyStore, log: LogStore, site: string, now: number): Promise<string> {
  const open = await readOpenSessions(study);
  const id = randomId('ses');
  await log.put({
    id,
    table: 'sessions',
    ts: now,
    data: { session_id: id, site_key: site, start_at: now, end_at: now, utc_offset_min: utcOffsetMin(now), duration_s: 0, posts: 0 },
  } satisfies StudyLogRecord);
  open[site] = { id, lastAt: now };
  await writeStudyRecord(study, KEYS.openSessions, open);
  return id;
}

/** The open session of a site at `now`, or null. */
async function sessionAt(study: StudyStore, site: string, now: number): Promise<string | null> {
  const cur = (await readOpenSessions(study))[site];
  return cur && now - cur.lastAt < SESSION_IDLE_MS ? cur.id : null;
}

async function writeOnce(measure: Measure | Measure[], now: number, fn: Writer): Promise<'written' | 'skipped' | 'repair'> {
  const db = await getDB();
  const tx = db.transaction(['study', 'studyLog'], 'readwrite');
  const study = tx.objectStore('study');
  const raw = await readStudyRecordUnchecked(study, KEYS.enrolment);
  if (enrolmentNeedsRepair(raw)) {
    await tx.done;
    return 'repair';
  }
  const e = readEnrolmentIn(raw);
  knownRunning = isRunning(e, now);
  const wanted = Array.isArray(measure) ? measure : [measure];
  if (!isRunning(e, now) || !wanted.some((m) => e.protocol.measures.includes(m))) {
    await tx.done;
    return 'skipped';
  }
  await fn({ e, study, log: tx.objectStore('studyLog') });
  await tx.done;
  return 'written';
}

/**
 * Whether a study was running when we last looked: a record lost to a full disk is counted as
 * a dropped study row only then (on a full disk even the enrolment cannot be read).
 */
let knownRunning = false;

/**
 * Runs a writer. An enrolment of an earlier version is repaired first (outside the transaction:
 * hashing is asynchronous); on a full disk the oldest general events make room (study rows are
 * never pruned) and it runs once more (withRoom). A record that still finds no room is dropped —
 * counted and shown in Options → Data and Study, never silently lost.
 */
async function write(measure: Measure | Measure[], now: number, fn: Writer): Promise<boolean> {
  const attempt = async (): Promise<boolean> => {
    let r = await writeOnce(measure, now, fn);
    if (r === 'repair') {
      await getEnrolment();
      r = await writeOnce(measure, now, fn);
    }
    return r === 'written';
  };
  try {
    return await withRoom(attempt);
  } catch (err) {
    if (!(err instanceof StorageFullError)) throw err;
    if (knownRunning) noteDropped('study');
    return false;
  }
}

function prompt(e: Enrolment, locale: 'en' | 'zh_CN'): SamplePrompt | null {
  const es = e.protocol.experienceSampling;
  if (!es || !e.protocol.measures.includes('survey')) return null;
  return {
    questionId: es.id,
    question: localised(es.question, locale),
    min: es.min,
    max: es.max,
    ...(es.minLabel ? { minLabel: localised(es.minLabel, locale) } : {}),
    ...(es.maxLabel ? { maxLabel: localised(es.maxLabel, locale) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Scrolling: sessions, posts per minute, and the survey's own schedule

/**
 * A batch of posts passed on a site: feeds the sessions and posts_per_minute tables, and the
 * survey's own schedule. Returns a survey offer when the schedule says it is time.
 */
export async function logProgress(
  siteKey: string,
  posts: number,
  activeMs: number,
  now = Date.now(),
  opts: { locale?: 'en' | 'zh_CN' } = {},
): Promise<SurveyOffer | undefined> {
  const site = studySite(siteKey);
  let offer: SurveyOffer | undefined;
  await write(['sessions', 'posts_per_minute', 'survey'], now, async ({ e, study, log }) => {
    const m = e.protocol.measures;
    let sessionId: string | null = null;
    if (m.includes('sessions')) {
      const open = await readOpenSessions(study);
      const cur = open[site];
      const prev = cur && now - cur.lastAt < SESSION_IDLE_MS ? await log.get(cur.id) : undefined;
      if (prev && prev.table === 'sessions' && prev.data && typeof prev.data.start_at === 'number') {
        const start = prev.data.start_at;
        await log.put({ ...prev, data: { ...prev.data, end_at: now, duration_s: (now - start) / 1000, posts: (Number(prev.data.posts) || 0) + posts } });
        open[site] = { id: prev.id, lastAt: now };
        sessionId = prev.id;
      } else {
        const start = Math.max(e.startedAt, now - Math.min(activeMs, SESSION_IDLE_MS));
        const id = randomId('ses');
        await log.put({
          id,
          table: 'sessions',
          ts: start,
          data: { session_id: id, site_key: site, start_at: start, end_at: now, utc_offset_min: utcOffsetMin(start), duration_s: (now - start) / 1000, posts },
        } satisfies StudyLogRecord);
        open[site] = { id, lastAt: now };
        sessionId = id;
      }
      await writeStudyRecord(study, KEYS.openSessions, open);
    }
    if (m.includes('posts_per_minute') && posts > 0) {
      const minute = Math.floor(now / 60_000) * 60_000;
      const id = `ppm-${site}-${minute}`;
      const row = await log.get(id);
      await log.put({
        id,
        table: 'posts_per_minute',
        ts: minute,
        data: {
          minute_start: minute,
          utc_offset_min: utcOffsetMin(minute),
          site_key: site,
          session_id: (row?.data.session_id as string | null | undefined) ?? sessionId,
          posts: (Number(row?.data.posts) || 0) + posts,
        },
      } satisfies StudyLogRecord);
    }
    const es = e.protocol.experienceSampling;
    const p = prompt(e, opts.locale ?? e.consentLocale);
    if (es && p) {
      const day = localDay(now);
      let state = advanceSurvey(await readSurveyState(study), posts, day);
      const trigger = scheduledTrigger(es, state, now, e.startedAt, day);
      if (trigger) {
        state = recordOffer(state, now, day);
        const offerId = randomId('srv');
        await log.put({
          id: offerId,
          table: 'survey',
          ts: now,
          data: buildSurveyRow({ offerId, sessionId, questionId: es.id, trigger, decisionId: null, impressionId: null, offeredAt: now, siteKey: site }),
        } satisfies StudyLogRecord);
        offer = { offerId, prompt: p };
      }
      await writeStudyRecord(study, KEYS.survey, state);
    }
  });
  return offer;
}

// ---------------------------------------------------------------------------------------------
// Decision points

export interface DecisionPointInput {
  decisionId?: string;
  siteKey: string;
  /** The probability of showing that was used for the draw. */
  pShow: number;
  shown: boolean;
  available: boolean;
  unavailableReason?: string | null;
  /** The shown frame (when shown). */
  frame?: { frameId: string; collectionId: string; postsSince: number } | null;
  /** For simulations: the windows measured, as the tab would report them later. */
  windows?: Omit<DecisionWindows, 'decisionId'> | null;
  locale?: 'en' | 'zh_CN';
  /** Draws for the survey offers (injectable for tests). */
  rng?: () => number;
}

export interface DecisionLogged {
  decisionId: string;
  /** Set when a frame was shown and impressions are logged. */
  impressionId?: string;
  /** The survey question with this decision point: inside the frame (shown), or as a card in its place (withheld). */
  survey?: SurveyOffer;
}

/**
 * One decision point — in every arm, shown or withheld: a decisions row (the draw, its
 * probability, the windows to come), an impressions row for a shown frame, and maybe the survey
 * question with it. Returns what the tab needs, or undefined without a running study.
 */
export async function logDecisionPoint(d: DecisionPointInput, now = Date.now()): Promise<DecisionLogged | undefined> {
  let out: DecisionLogged | undefined;
  const site = studySite(d.siteKey);
  const rng = d.rng ?? Math.random;
  await write(['decisions', 'impressions', 'survey'], now, async ({ e, study, log }) => {
    const m = e.protocol.measures;
    // Logged already (a retried claim after the worker stopped between the grant and its reply):
    // the same rows stand, never a second impression for one frame.
    if (d.decisionId && m.includes('decisions')) {
      const existing = await log.get(d.decisionId);
      if (existing?.table === 'decisions' && existing.data) {
        const imp = existing.data.impression_id;
        out = { decisionId: d.decisionId, ...(typeof imp === 'string' ? { impressionId: imp } : {}) };
        return;
      }
    }
    const decisionId = d.decisionId ?? randomId('dec');
    // The tab sends its posts just before it claims, but the two messages may be handled in
    // either order: a decision point opens the session itself if the posts have not yet.
    const sessionId = (await sessionAt(study, site, now)) ?? (m.includes('sessions') ? await openSession(study, log, site, now) : null);
    const shown = d.available && d.shown;
    const impressionId = shown && m.includes('impressions') ? randomId('imp') : null;
    // The question: on a shown frame with `probability`, or at any decision point with `atDecisionPoints`.
    const es = e.protocol.experienceSampling;
    const p = prompt(e, d.locale ?? e.consentLocale);
    let survey: SurveyOffer | undefined;
    let trigger: 'frame' | 'decision' | null = null;
    if (es && p && d.available) {
      const day = localDay(now);
      let state = advanceSurvey(await readSurveyState(study), 0, day);
      if (underDailyCap(es, state, day)) {
        if (shown && es.probability !== undefined && rng() < es.probability) trigger = 'frame';
        else if (es.schedule?.atDecisionPoints !== undefined && rng() < es.schedule.atDecisionPoints) trigger = shown ? 'frame' : 'decision';
      }
      if (trigger) {
        state = recordOffer(state, now, day);
        await writeStudyRecord(study, KEYS.survey, state);
        const offerId = randomId('srv');
        await log.put({
          id: offerId,
          table: 'survey',
          ts: now,
          data: buildSurveyRow({ offerId, sessionId, questionId: es.id, trigger, decisionId, impressionId, offeredAt: now, siteKey: site }),
        } satisfies StudyLogRecord);
        survey = { offerId, prompt: p };
      }
    }
    if (m.includes('decisions')) {
      let data = buildDecisionRow({
        decisionId,
        ts: now,
        siteKey: site,
        sessionId,
        pShow: d.pShow,
        shown,
        available: d.available,
        unavailableReason: d.unavailableReason ?? null,
        impressionId,
        windowMs: e.protocol.velocityWindowSeconds * 1000,
        surveyOffered: !!survey,
      });
      if (d.windows) data = applyDecisionWindows(data, { decisionId, ...d.windows }, now);
      await log.put({ id: decisionId, table: 'decisions', ts: now, data } satisfies StudyLogRecord);
    }
    if (impressionId && d.frame) {
      await log.put({
        id: impressionId,
        table: 'impressions',
        ts: now,
        data: buildImpressionRow({
          impressionId,
          decisionId,
          sessionId,
          grantedAt: now,
          siteKey: site,
          frameId: d.frame.frameId,
          collectionId: d.frame.collectionId,
          postsBefore: d.frame.postsSince,
          surveyOffered: !!survey && trigger === 'frame',
        }),
      } satisfies StudyLogRecord);
    }
    out = { decisionId, ...(impressionId ? { impressionId } : {}), ...(survey ? { survey } : {}) };
  });
  return out;
}

/** The windows a tab measured around one decision point (and when it put the frame in the page). */
export async function logDecisionWindows(w: DecisionWindows, now = Date.now()): Promise<boolean> {
  let ok = false;
  await write(['decisions', 'impressions'], now, async ({ log }) => {
    const row = await log.get(w.decisionId);
    if (row?.table !== 'decisions' || !row.data) return;
    await log.put({ ...row, data: applyDecisionWindows(row.data, w, now) });
    ok = true;
    const impId = row.data.impression_id;
    if (typeof impId === 'string' && w.insertedAgoMs !== null) {
      const imp = await log.get(impId);
      if (imp && imp.table === 'impressions' && imp.data && imp.data.inserted_at === null) {
        await log.put({ ...imp, data: { ...imp.data, inserted_at: Math.round(now - w.insertedAgoMs) } });
      }
    }
  });
  return ok;
}

/** The frame's own report: its exposure (measured once) and what the participant did, by impression id. */
export async function logFrameReport(r: { impressionId: string; action: string; exposure: ExposureSummary | null }, now = Date.now()): Promise<boolean> {
  let ok = false;
  await write('impressions', now, async ({ log }) => {
    const row = await log.get(r.impressionId);
    if (row?.table !== 'impressions' || !row.data) return;
    await log.put({ ...row, data: applyFrameReport(row.data, r, now) });
    ok = true;
  });
  return ok;
}

/** A survey offer was displayed, answered (only on the scale) or dismissed. */
export async function logSurveyEvent(
  s: { offerId: string; event: 'displayed' | 'answered' | 'dismissed'; answer?: number | null },
  now = Date.now(),
): Promise<boolean> {
  let ok = false;
  await write('survey', now, async ({ e, log }) => {
    const es = e.protocol.experienceSampling;
    const row = await log.get(s.offerId);
    if (!es || !row || row.table !== 'survey' || !row.data) return;
    if (s.event === 'answered' && (typeof s.answer !== 'number' || !Number.isInteger(s.answer) || s.answer < es.min || s.answer > es.max)) return;
    const next = applySurveyEvent(row.data, s, now);
    if (JSON.stringify(next) === JSON.stringify(row.data)) return;
    await log.put({ ...row, data: next });
    ok = true;
  });
  return ok;
}

/** An answer to the survey question (only for an offer that was made, within the scale). */
export function logAnswer(offerId: string, answer: number, now = Date.now()): Promise<boolean> {
  return logSurveyEvent({ offerId, event: 'answered', answer }, now);
}

// ---------------------------------------------------------------------------------------------
// Censoring: intervals in which frames could not be shown

/**
 * The frame state of one scope ('*' = every site, else a site key) as seen now: opens an
 * interval when a cause begins, closes it when it ends or changes. Intervals are noticed at
 * the change itself (a snooze, a switch) or at the next scrolling (quiet hours, the daily cap).
 */
export async function syncCensoring(scope: string, cause: string | null, now = Date.now()): Promise<void> {
  const key = scope === '*' ? '*' : studySite(scope);
  await write('censoring', now, async ({ study, log }) => {
    const open = await readIntervals(study);
    const cur = open[key];
    if (cur && cur.cause === cause) return;
    if (cur) {
      const row = await log.get(cur.id);
      if (row && row.table === 'censoring' && row.data) await log.put({ ...row, data: { ...row.data, end_at: now } });
      delete open[key];
    }
    if (cause) {
      const id = randomId('cen');
      await log.put({
        id,
        table: 'censoring',
        ts: now,
        data: buildCensoringRow({ intervalId: id, cause, siteKey: key === '*' ? null : key, startAt: now, endAt: null, affects: 'frames' }),
      } satisfies StudyLogRecord);
      open[key] = { id, cause, startAt: now };
    }
    await writeStudyRecord(study, KEYS.censoring, open);
  });
}

// ---------------------------------------------------------------------------------------------
// Settings, snoozes, versions

export async function logSettingsChange(before: Settings, after: Settings, now = Date.now()): Promise<void> {
  const changes = settingsChanges(before, after);
  if (changes.length === 0) return;
  await write('settings_changes', now, async ({ log }) => {
    let i = 0;
    for (const c of changes) {
      await log.put({
        id: `set-${now}-${i++}-${randomId('c')}`,
        table: 'settings_changes',
        ts: now,
        data: { changed_at: now, utc_offset_min: utcOffsetMin(now), ...c },
      } satisfies StudyLogRecord);
    }
  });
}

/** All settings, sanitised: the participant's own and the dose applied (at enrolment and after every change). */
export async function logSettingsSnapshot(x: { event: string; own: Settings; effective: Settings }, now = Date.now()): Promise<void> {
  await write('settings_snapshots', now, async ({ e, log }) => {
    const arm = e.protocol.arms.find((a) => a.id === e.arm);
    const snapshotId = randomId('snap');
    await log.put({
      id: snapshotId,
      table: 'settings_snapshots',
      ts: now,
      data: buildSnapshotRow({ snapshotId, at: now, event: x.event, own: x.own, effective: x.effective, pShow: arm ? armPShow(arm) : 0 }),
    } satisfies StudyLogRecord);
  });
}

/** Snoozes are settings-like choices too (how long, and whether for one site). */
export async function logSnooze(kind: string, siteKey: string | undefined, now = Date.now()): Promise<void> {
  await write('settings_changes', now, async ({ log }) => {
    await log.put({
      id: `set-${now}-snooze-${randomId('c')}`,
      table: 'settings_changes',
      ts: now,
      data: { changed_at: now, utc_offset_min: utcOffsetMin(now), field: siteKey ? `snooze.${studySite(siteKey)}` : 'snooze', value: kind },
    } satisfies StudyLogRecord);
  });
}

/** Records an extension update during the study (compared with the last recorded version). */
export async function checkVersion(version: string, now = Date.now()): Promise<void> {
  const e = await getEnrolment();
  if (!isRunning(e, now) || e.extensionVersion === version) return;
  await write('versions', now, async ({ log }) => {
    await log.put({
      id: `ver-${now}`,
      table: 'versions',
      ts: now,
      data: { recorded_at: now, utc_offset_min: utcOffsetMin(now), extension_version: version, event: 'updated' },
    } satisfies StudyLogRecord);
  });
  const db = await getDB();
  const tx = db.transaction('study', 'readwrite');
  const cur = await readStudyRecord(tx.store, KEYS.enrolment, (raw) => readEnrolmentIn(raw) ?? undefined);
  if (cur) await writeStudyRecord(tx.store, KEYS.enrolment, { ...cur, extensionVersion: version });
  await tx.done;
}
