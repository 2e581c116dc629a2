import { browser } from 'wxt/browser';
import type { Message, Responses, ContentConfig, SiteStatus } from '@/utils/messaging/messages';
import { logEvent, prunedCount } from '@/utils/storage/events';
import { readStorageHealth } from '@/utils/storage/quota';
import { injectIntoOrigins, syncCustomSites } from './injection';
import { getDB } from '@/utils/storage/db';
import { writeStateRecord } from '@/utils/storage/records';
import { readUserSettings, writeUserSettings } from './settings-db';
import { mergeSettings, validateSettingsImport, wordLanguagesFor, type Settings } from '@/utils/storage/settings';
import { siteEnabled, siteWatched } from '@/utils/storage/site-state';
import { scheduler } from '@/utils/schedule/scheduler';
import { snooze, clearSnooze, snoozeUntil, SNOOZE_INDEFINITELY } from '@/utils/schedule/snooze';
import { fewerLikeThis } from '@/utils/schedule/frame-choice';
import { nextWakeAt } from '@/utils/schedule/wake';
import { blockedReason } from '@/utils/schedule/gates';
import { fewerPauses } from '@/utils/schedule/fewer-pauses';
import { logGeneralDecisionWindows } from '@/utils/storage/decision-log';
import type { SchedulerState, NoTicketReason } from '@/utils/schedule/types';
import { updateState, readState } from './state-store';
import { updateTab, pushToTabs, getTabs, askUnregisteredTabs } from './tabs';
import { claim, placed } from './claim';
import { FRAME_DROPPED } from './frame-source';
import { detectLocale, type Locale } from '@/utils/i18n';
import { resolveActiveSite } from '@/utils/feeds/site-key';
import { parseShapeReport } from '@/utils/feeds/shape-report-schema';
import { effectiveSettings } from '@/utils/study/arms';
import {
  studyNow,
  studyOnFrameReport,
  studyOnFrameState,
  studyOnProgress,
  studyOnSettingsSaved,
  studyOnSnapshot,
  studyOnSnooze,
  studyOnWindows,
  type RunningStudy,
} from './study-hooks';
import { makeStudyHandlers, studyForTab } from './study-handlers';
import { bringFeedBack, feedBreakFor, putFeedAway } from './feed-break';
import { claimStopHere, stopLeft } from './stopping-point';
import { notePendingSite } from './pending-sites';
import { devLog, swallowed } from '@/utils/dev-log';

/** Who sent a message: the tab (content scripts), and whether it is in a private window (never logged). */
export type HandlerCtx = { tabId: number | null; incognito?: boolean };
type Ctx = HandlerCtx;
type Handler<T extends Message['type']> = (msg: Extract<Message, { type: T }>, ctx: Ctx) => Promise<Responses[T]>;

const rng = () => Math.random();
export const WAKE_ALARM = 'stillframe-wake';

/**
 * The settings the scheduler works with: the user's own, with a running study's arm on top
 * (the arm fixes the dose). `own` is the user's stored settings; `study` the running study.
 */
async function loadEffectiveSettings(): Promise<Awaited<ReturnType<typeof readUserSettings>> & { own: Settings; study: RunningStudy | null }> {
  const parsed = await readUserSettings();
  const study = await studyNow();
  return { ...parsed, own: parsed.settings, study, settings: effectiveSettings(parsed.settings, study?.arm ?? null, study?.enrolment.protocol) };
}

/** What holds frames back on a site, as a censoring cause (null: nothing; a cadence without frames is not a state). */
function frameStateCause(settings: Settings, state: SchedulerState, siteKey: string, now: number): string | null {
  const r = blockedReason(settings, state, siteKey, now)?.reason ?? null;
  return r === 'cadence-off' ? null : r;
}

function uiLocale(settings: Settings): Locale {
  return settings.locale === 'auto' ? detectLocale() : settings.locale;
}

async function configFor(settings: Settings, siteKey: string, wantTicket: boolean, study: RunningStudy | null = null): Promise<ContentConfig> {
  const base = {
    gentleHold: settings.gentleHold,
    locale: settings.locale,
    wordLanguages: wordLanguagesFor(settings, uiLocale(settings)),
    study: await studyForTab(),
    breakMinutes: settings.breakMinutes,
    feedBreak: await feedBreakFor(siteKey),
    stopLeft: await stopLeft(settings),
  };
  if (!wantTicket) return { ...base, active: siteEnabled(settings, siteKey), reason: null, ticket: null };
  if (study && siteWatched(settings, siteKey)) {
    // A study measures whatever the frame state: the tab keeps counting (measure), and decision
    // points keep coming — logged as not available while a snooze, a switch or quiet hours hold
    // frames back. A break covers the feed: nothing to count, but the interval is logged.
    if (base.feedBreak) {
      await studyOnFrameState(siteKey, 'on-break');
      return { ...base, active: false, measure: true, reason: null, ticket: null };
    }
    const out = await updateState((s, now) => {
      const r = scheduler.issueTicket(settings, s, siteKey, now, rng, { ignoreGates: true });
      return { state: r.state, result: { decision: r.decision, cause: frameStateCause(settings, r.state, siteKey, now) } };
    });
    await studyOnFrameState(siteKey, out.cause);
    await scheduleWake(settings);
    return {
      ...base,
      active: true,
      measure: true,
      reason: out.cause as NoTicketReason | null,
      ticket: out.decision.kind === 'ticket' ? out.decision.ticket : null,
    };
  }
  // The feed is put away: nothing to count or to pause until the break ends (the tab covers it).
  if (base.feedBreak) return { ...base, active: false, reason: null, ticket: null };
  // Custom sites and Mastodon servers are off until added: the scheduler only knows explicit switches.
  if (!siteEnabled(settings, siteKey)) return { ...base, active: false, reason: settings.enabled ? 'site-off' : 'disabled', ticket: null };
  const decision = await updateState((s, now) => {
    const r = scheduler.issueTicket(settings, s, siteKey, now, rng);
    return { state: r.state, result: r.decision };
  });
  if (decision.kind === 'ticket') return { ...base, active: true, reason: null, ticket: decision.ticket };
  // Off or snoozed: the tab stops watching; other reasons keep counting posts for the stats.
  const active = decision.reason !== 'disabled' && decision.reason !== 'site-off' && decision.reason !== 'snoozed';
  await scheduleWake(settings);
  return { ...base, active, reason: decision.reason, ticket: null };
}

/** One alarm for the earliest moment a "no" may turn into a "yes" (snooze end, new day, window). */
export async function scheduleWake(settings?: Settings): Promise<void> {
  const s = settings ?? (await loadEffectiveSettings()).settings;
  const state = await readState();
  const at = nextWakeAt(s, state, Date.now());
  if (at !== null) await browser.alarms.create(WAKE_ALARM, { when: Math.max(at, Date.now() + 1000) });
  else await browser.alarms.clear(WAKE_ALARM);
}

/** Tells every open feed tab what changed, so the popup's switch acts without a reload. */
export async function pushConfigs(): Promise<void> {
  const { settings, study } = await loadEffectiveSettings();
  const tabs = await getTabs();
  await pushToTabs(async (siteKey, tabId) => ({
    type: 'push/config',
    config: await configFor(settings, siteKey, tabs[tabId]?.feedRoute ?? true, study),
  }));
  // Tabs on a site that was off are not stored; one may be on now.
  await askUnregisteredTabs(settings.customSites);
}

async function siteStatus(siteKey: string | undefined): Promise<SiteStatus> {
  const { settings } = await loadEffectiveSettings();
  const state = await readState();
  const tabs = await getTabs();
  const tab = Object.values(tabs).find((t) => t.siteKey === siteKey);
  const until = Math.max(state.snooze.allUntil ?? 0, siteKey ? (state.snooze.sites[siteKey] ?? 0) : 0);
  let reason: NoTicketReason | null = null;
  if (siteKey) {
    reason = blockedReason(settings, state, siteKey, Date.now())?.reason ?? null;
  }
  return {
    siteKey: siteKey ?? null,
    enabled: siteKey ? siteEnabled(settings, siteKey) : settings.enabled,
    snoozedUntil: until > Date.now() ? until : null,
    adapterStatus: (tab?.status as SiteStatus['adapterStatus']) ?? null,
    reason,
    breakUntil: siteKey ? ((await feedBreakFor(siteKey))?.until ?? null) : null,
  };
}

type SnoozeRequest = { kind: '15m' | '1h' | 'today' } | { kind: 'minutes'; minutes: number } | { kind: 'indefinite' };

/** A snooze of Stillframe's pauses (from the popup): stored, logged, woken for, pushed to tabs. */
async function applySnooze(req: SnoozeRequest, siteKey: string | undefined): Promise<void> {
  const until = (now: number) =>
    req.kind === 'minutes' ? now + req.minutes * 60_000 : req.kind === 'indefinite' ? SNOOZE_INDEFINITELY : snoozeUntil(req.kind, now);
  // A snooze the person was promised is saved, or they are told it could not be (a full disk).
  await updateState((s, now) => ({ state: snooze(s, { siteKey }, until(now)), result: null }), { mustPersist: true });
  await studyOnSnooze(req.kind === 'minutes' ? `${req.minutes}m` : req.kind, siteKey);
  await scheduleWake();
  // pushConfigs also opens the study's censoring interval for each open feed tab.
  await pushConfigs();
}

/** A study logs what changed and a snapshot of all settings, own and applied. */
async function settingsSaved(before: Settings, after: Settings): Promise<void> {
  const { settings, study } = await loadEffectiveSettings();
  if (study) await studyOnSettingsSaved(before, after, settings);
}

/**
 * The Words collection starts a new round when its languages change (a new UI language with
 * poems that follow it, or the person's own choice): otherwise the poems of the new language
 * would wait until every poem of the old round had been shown.
 */
async function newWordsRoundIfLanguagesChanged(before: Settings, after: Settings): Promise<void> {
  const langs = (s: Settings) => wordLanguagesFor(s, uiLocale(s)).sort().join();
  if (langs(before) === langs(after)) return;
  await updateState((s) => {
    const { words: _old, ...bags } = s.bags;
    return { state: { ...s, bags }, result: null };
  });
}

/**
 * Settings changed by a page or by a frame's "Fewer pauses": validated, saved, handed to the
 * custom-site injection and the study's log, pushed to the tabs. An invalid result changes
 * nothing and says which fields.
 */
export async function applySettingsPatch(patch: Record<string, unknown>): Promise<Responses['settings/patch']> {
  const { settings } = await readUserSettings();
  const merged = mergeSettings(settings, patch as never);
  const checked = validateSettingsImport(merged);
  if (!checked.ok) return { ok: false, errors: checked.errors, issues: checked.issues };
  await writeUserSettings(checked.settings);
  await newWordsRoundIfLanguagesChanged(settings, checked.settings);
  await syncCustomSites(checked.settings);
  // A site added just now starts in its open tabs at once, as a switch does.
  await injectIntoOrigins(checked.settings.customSites.filter((o) => !settings.customSites.includes(o)));
  await settingsSaved(settings, checked.settings);
  await pushConfigs();
  await scheduleWake(checked.settings);
  return { ok: true, settings: checked.settings };
}

export const handlers: { [K in Message['type']]: Handler<K> } = {
  async 'content/hello'(msg, ctx) {
    const { settings, study } = await loadEffectiveSettings();
    // A tab is stored only once its site is on (for frames, or for a study's measures): nothing
    // is kept about a site the user never switched on (issue #19: a router's admin page on
    // 127.0.0.1 was stored as a tab).
    const on = siteEnabled(settings, msg.siteKey) || (study !== null && !ctx.incognito && siteWatched(settings, msg.siteKey));
    if (ctx.tabId !== null) await updateTab(ctx.tabId, on ? { siteKey: msg.siteKey, feedRoute: msg.feedRoute } : null);
    return configFor(settings, msg.siteKey, msg.feedRoute, ctx.incognito ? null : study);
  },

  async 'ticket/request'(msg, ctx) {
    const { settings, study } = await loadEffectiveSettings();
    const c = await configFor(settings, msg.siteKey, true, ctx.incognito ? null : study);
    return { ticket: c.ticket, reason: c.reason };
  },

  /**
   * A tab reached the place a frame is due: a decision point (claim.ts). The scheduler's gates,
   * then the draw (utils/schedule/decision.ts); shown or withheld, the moment is logged (general
   * log for Insights, and the study's decisions table) and the tab measures the scrolling around
   * it. A frame shown counts as a pause when the tab says it placed it ('frame/placed').
   */
  async 'ticket/claim'(msg, ctx) {
    const { settings, own, study } = await loadEffectiveSettings();
    return claim(msg.ticketId, msg.siteKey, {
      settings,
      own,
      study: ctx.incognito ? null : study,
      incognito: ctx.incognito === true,
      locale: uiLocale(settings),
    });
  },

  async 'frame/placed'(msg, ctx) {
    return { ok: true, counted: await placed(msg.ticketId, { incognito: ctx.incognito }) };
  },

  async 'decision/windows'(msg, ctx) {
    if (ctx.incognito) return { ok: true };
    await logGeneralDecisionWindows(msg);
    await studyOnWindows(msg);
    return { ok: true };
  },

  async 'posts/progress'(msg, ctx) {
    const state = await updateState((s, now) => {
      const next = scheduler.recordProgress(s, msg.siteKey, msg.posts, msg.activeMs, now);
      return { state: next, result: next };
    });
    const { settings, study } = await loadEffectiveSettings();
    // Other tabs count towards today's stopping point too: tell this one how far it is now.
    const stop = settings.stoppingPoint.enabled ? { stopLeft: await stopLeft(settings) } : {};
    if (ctx.incognito) return { ok: true, ...stop };
    await logEvent({ ts: Date.now(), type: 'posts', siteKey: msg.siteKey, value: msg.posts });
    if (!study) return { ok: true, ...stop };
    // Quiet hours and the daily cap begin without any message: noticed at the next scrolling.
    await studyOnFrameState(msg.siteKey, frameStateCause(settings, state, msg.siteKey, Date.now()));
    const survey = await studyOnProgress(msg.siteKey, msg.posts, msg.activeMs, uiLocale(settings));
    return { ok: true, ...stop, ...(survey ? { survey } : {}) };
  },

  async 'frame/report'(msg, ctx) {
    if (msg.action === 'fewer') await updateState((s) => ({ state: fewerLikeThis(s, msg.frameId), result: null }));
    if (ctx.incognito) return { ok: true };
    await logEvent({
      ts: Date.now(),
      type: 'frame-action',
      siteKey: msg.siteKey,
      frameId: msg.frameId,
      collectionId: msg.collectionId,
      value: msg.visibleMs,
      detail: msg.action,
    });
    if (msg.impressionId) await studyOnFrameReport({ impressionId: msg.impressionId, action: msg.action, exposure: msg.exposure ?? null });
    return { ok: true };
  },

  async 'break/start'(msg) {
    const until = await putFeedAway(msg.siteKey, msg.minutes);
    await pushConfigs();
    return { until };
  },

  async 'break/end'(msg) {
    await bringFeedBack(msg.siteKey);
    await pushConfigs();
    return { ok: true };
  },

  async 'tab/close'(_msg, ctx) {
    if (ctx.tabId === null) throw new Error('tab/close needs a tab');
    await browser.tabs.remove(ctx.tabId);
    return { ok: true };
  },

  /** "Why am I seeing this?": the options page, at this site's row. */
  async 'frame/why'(msg) {
    await browser.tabs.create({ url: browser.runtime.getURL(`/options.html?site=${encodeURIComponent(msg.siteKey)}#sites`) });
    return { ok: true };
  },

  async 'frame/fewer-pauses'(msg) {
    // While a study runs its arm sets the pace: a change here would not be felt, so none is made.
    if (await studyNow()) return { changed: false, reason: 'study' };
    const { settings } = await readUserSettings();
    const step = fewerPauses(settings, msg.siteKey);
    if (!step.changed) return step;
    const saved = await applySettingsPatch(step.patch);
    if (!saved.ok) throw new Error(`fewer pauses: ${saved.errors.join('; ')}`);
    return { changed: true, scope: step.scope, unit: step.unit, from: step.from, to: step.to };
  },

  async 'stop/claim'(msg) {
    const { settings } = await loadEffectiveSettings();
    const d = await claimStopHere(settings, msg.unsent);
    return d.show ? { show: true, posts: d.posts } : { show: false, left: d.left };
  },

  /**
   * The frame UI (Preact, PauseFrame, styles, compositions) is not in the content script, which
   * runs on every feed page and must stay small: the tab asks for it before its first frame and
   * it goes into the content script's own isolated world (never the page's), top frame only.
   */
  async 'frame/ui'(_msg, ctx) {
    if (ctx.tabId === null) throw new Error('frame/ui needs a tab');
    await browser.scripting.executeScript({ target: { tabId: ctx.tabId }, files: ['/frame-ui.js'] });
    return { ok: true };
  },

  /** Another part of the content script (utils/content/lazy-part.ts), into the same isolated world the same way: /<part>.js. */
  async 'content/part'(msg, ctx) {
    if (ctx.tabId === null) throw new Error('content/part needs a tab');
    await browser.scripting.executeScript({ target: { tabId: ctx.tabId }, files: [`/${msg.part}.js`] });
    return { ok: true };
  },

  async 'adapter/status'(msg, ctx) {
    if (ctx.tabId !== null) await updateTab(ctx.tabId, { siteKey: msg.siteKey, status: msg.status, adapter: msg.adapter }, { create: false });
    if (msg.status === 'fallback' || msg.status === 'widened')
      await logEvent({ ts: Date.now(), type: 'adapter-health', siteKey: msg.siteKey, detail: `${msg.adapter}:${msg.status}` });
    return { ok: true };
  },

  async 'settings/get'() {
    return readUserSettings();
  },

  async 'settings/patch'(msg) {
    return applySettingsPatch(msg.patch);
  },

  async 'settings/replace'(msg) {
    const checked = validateSettingsImport(msg.settings);
    if (!checked.ok) return { ok: false, errors: checked.errors, issues: checked.issues };
    const before = (await readUserSettings()).settings;
    await writeUserSettings(checked.settings);
    await newWordsRoundIfLanguagesChanged(before, checked.settings);
    await syncCustomSites(checked.settings);
    await settingsSaved(before, checked.settings);
    await pushConfigs();
    return { ok: true, settings: checked.settings };
  },

  async 'snooze/set'(msg) {
    if (msg.kind === 'minutes') {
      if (msg.minutes === undefined) throw new Error('snooze/set: minutes is missing');
      await applySnooze({ kind: 'minutes', minutes: msg.minutes }, msg.siteKey);
    } else await applySnooze({ kind: msg.kind }, msg.siteKey);
    return siteStatus(msg.siteKey);
  },

  async 'snooze/clear'(msg) {
    await updateState((s) => ({ state: clearSnooze(s, { siteKey: msg.siteKey }), result: null }), { mustPersist: true });
    await studyOnSnooze('off', msg.siteKey);
    await pushConfigs();
    return siteStatus(msg.siteKey);
  },

  async 'sites/add-pending'(msg) {
    await notePendingSite(msg.origin);
    return { ok: true };
  },

  async 'status/get'(msg) {
    return siteStatus(msg.siteKey);
  },

  async 'stats/today'() {
    const s: SchedulerState = await readState();
    return { posts: s.postsToday, pauses: s.shownToday, day: s.day };
  },

  async 'popup/active-site'(msg) {
    // tab.url is visible only where we hold host permission; a registered tab is known without it.
    const tab =
      msg.tabId !== undefined ? await browser.tabs.get(msg.tabId).catch(() => undefined) : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    const { settings } = await loadEffectiveSettings();
    return resolveActiveSite(tab, await getTabs(), settings.customSites);
  },

  /**
   * "Report a site problem": the tab's content script builds the report; the background only
   * passes it on to the popup, after checking it is one (a page shares the DOM the content
   * script reads, so what comes back is checked like any input). Nothing is stored or sent.
   */
  async 'site/report'(msg) {
    const tab =
      msg.tabId !== undefined ? await browser.tabs.get(msg.tabId).catch(() => undefined) : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    if (tab?.id === undefined) return { ok: false, reason: 'not-here' };
    let answer: unknown;
    try {
      // The builder joins the content script's isolated world only now (entrypoints/site-report.ts).
      await browser.scripting.executeScript({ target: { tabId: tab.id }, files: ['/site-report.js'] });
      answer = await browser.tabs.sendMessage(tab.id, { type: 'push/shape-report' }, { frameId: 0 });
    } catch (err) {
      // A tab we may not script (a browser page, a site not granted) or without our content script.
      swallowed('site report', err);
      return { ok: false, reason: 'not-here' };
    }
    if (!answer || typeof answer !== 'object') return { ok: false, reason: 'not-here' };
    const parsed = parseShapeReport((answer as { report?: unknown }).report);
    return parsed.ok ? { ok: true, report: parsed.report } : { ok: false, reason: 'invalid' };
  },

  async 'data/health'() {
    // Answers even when the disk is full and the database cannot be opened: what is known in
    // memory (storage health) is what the person most needs then.
    const storage = await readStorageHealth();
    const read = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => fn().catch((err) => (swallowed('data health read', err), fallback));
    const db = await read(getDB, null);
    const notices = db ? await read(() => db.getAllFromIndex('events', 'byType', 'notice'), []) : [];
    const repairs = notices
      .filter((n) => n.detail?.startsWith('settings-repaired:'))
      .slice(-5)
      .map((n) => ({ ts: n.ts, fields: n.detail!.slice('settings-repaired:'.length).split(',') }));
    const dropped = db ? await read(() => db.getAllFromIndex('events', 'byType', 'message-dropped'), []) : [];
    const brokenFrames = notices.filter((n) => n.detail?.startsWith(FRAME_DROPPED));
    return {
      prunedEvents: await read(prunedCount, 0),
      // A rate-limit summary stands for several drops (value), a refusal for one.
      droppedMessages: dropped.reduce((n, e) => n + (typeof e.value === 'number' && e.value > 0 ? e.value : 1), 0),
      repairs,
      storage,
      droppedFrames: { count: brokenFrames.length, lastAt: brokenFrames.at(-1)?.ts ?? null },
    };
  },

  async 'data/delete-all'() {
    // Every store is cleared in one transaction (settings, scheduler state, frames, events and
    // any store added later). Only the list of open feed tabs is put back, so they hear the reset.
    const db = await getDB();
    const tabs = await getTabs();
    const customOrigins = (await readUserSettings()).settings.customSites;
    const names = [...db.objectStoreNames];
    const tx = db.transaction(names, 'readwrite');
    await Promise.all(names.map((n) => tx.objectStore(n).clear()));
    await tx.done;
    if (Object.keys(tabs).length > 0) await writeStateRecord(db, 'tabs', tabs);
    // Custom sites are gone from settings: stop injecting there and give the permissions back.
    await syncCustomSites((await readUserSettings()).settings);
    if (customOrigins.length > 0)
      await Promise.resolve()
        .then(() => browser.permissions.remove({ origins: customOrigins.map((o) => `${o}/*`) }))
        .catch(devLog('give back site permissions'));
    await scheduleWake();
    await pushConfigs();
    return { ok: true };
  },

  // Study mode: options → Study, the consent page, the popup's line, and the tabs' measurements.
  ...makeStudyHandlers({
    changed: async () => (await pushConfigs(), await scheduleWake()),
    enrolled: async () => {
      const { own, settings, study } = await loadEffectiveSettings();
      if (study) await studyOnSnapshot('enrolled', own, settings);
    },
  }),
};
