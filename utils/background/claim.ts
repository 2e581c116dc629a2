import type { Responses } from '@/utils/messaging/messages';
import type { Settings } from '@/utils/storage/settings';
import type { FramePayload } from '@/utils/frames/types';
import type { Grant, Ticket } from '@/utils/schedule/types';
import type { ClaimStudy, SurveyOffer } from '@/utils/study/types';
import type { Locale } from '@/utils/i18n';
import { confirmPlaced, noteGrant } from '@/utils/schedule/tickets';
import { decideClaim, pShowOutsideStudy, INSIGHTS_WINDOW_MS, type ClaimOutcome } from '@/utils/schedule/decision';
import { getCuratedPayload } from '@/utils/frames/library';
import { logEvent } from '@/utils/storage/events';
import { logGeneralDecision } from '@/utils/storage/decision-log';
import { updateState } from './state-store';
import { dropBrokenFrame, listCandidates, loadPayload } from './frame-source';
import { studyOnDecision, studyPShow, type RunningStudy } from './study-hooks';
import { devLog } from '@/utils/dev-log';

type ClaimResponse = Responses['ticket/claim'];

/** A claim tries at most this many frames (each broken one is dropped) before it gives up, spending nothing. */
const MAX_PICKS = 6;

/**
 * The same randomness for every attempt of one claim, so the frame checked is the frame granted:
 * each attempt replays the numbers drawn so far and draws more only past them.
 */
export function replayableRandom(source: () => number = Math.random): () => () => number {
  const drawn: number[] = [];
  return () => {
    let i = 0;
    return () => {
      if (i === drawn.length) drawn.push(source());
      return drawn[i++];
    };
  };
}

function newDecisionId(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return `dec-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export interface ClaimContext {
  /** The settings the scheduler works with (a study's arm on top), and the person's own. */
  settings: Settings;
  own: Settings;
  /** The running study, null outside one or in a private window. */
  study: RunningStudy | null;
  incognito: boolean;
  locale: Locale;
}

type Step = Exclude<ClaimOutcome, { kind: 'check' }> & { firstToday: boolean };

/**
 * A tab reached the place a frame is due: a decision point (utils/schedule/decision.ts), decided
 * in one IndexedDB transaction — and only for a frame that can really be shown: one of the
 * person's own frames is loaded and checked (record and bytes, frame-record.ts) *before* the
 * transaction that grants it, so a damaged record never costs a pause; it is dropped from the
 * library, reported in Options → Data, and the claim draws again. A retried claim (the reply
 * was lost when the worker stopped) gets the same decision again, never "unknown ticket". The
 * pause itself counts when the tab says it placed the frame (placed() below).
 */
export async function claim(ticketId: string, siteKey: string, cx: ClaimContext, rngFor = replayableRandom()): Promise<ClaimResponse> {
  const { settings, own, study, incognito, locale } = cx;
  let candidates = await listCandidates(settings, locale);
  const pShow = study ? studyPShow(study) : pShowOutsideStudy(own);
  const decision = { id: newDecisionId(), windowMs: study ? study.enrolment.protocol.velocityWindowSeconds * 1000 : INSIGHTS_WINDOW_MS };
  const checked = new Map<string, FramePayload>();
  const usable = (id: string) => checked.has(id) || getCuratedPayload(id, locale) !== null;

  let step: Step | null = null;
  for (let attempt = 0; attempt < MAX_PICKS && !step; attempt++) {
    const out = await updateState<ClaimOutcome | Step>((s, now) => {
      const r = decideClaim({ settings, state: s, ticketId, siteKey, now, rng: rngFor(), candidates, pShow, study: !!study, usable });
      if (r.outcome.kind === 'check' || r.outcome.kind === 'replayed')
        return { state: null, result: r.outcome.kind === 'check' ? r.outcome : { ...r.outcome, firstToday: r.outcome.grant.firstToday } };
      const g = r.state.granted[ticketId];
      const firstToday = g?.firstToday ?? s.shownToday === 0;
      if (r.outcome.kind !== 'shown' && r.outcome.kind !== 'withheld') return { state: r.state, result: { ...r.outcome, firstToday } };
      const frame = r.outcome.kind === 'shown' ? (checked.get(r.outcome.frameId) ?? getCuratedPayload(r.outcome.frameId, locale)) : null;
      const state = noteGrant(r.state, ticketId, {
        ...(frame ? { frameId: frame.id, collectionId: frame.collectionId } : {}),
        nextId: r.outcome.next?.id ?? null,
        decision,
      });
      return { state, result: { ...r.outcome, firstToday } };
    });
    if (out.kind !== 'check') {
      step = out as Step;
      break;
    }
    const res = await loadPayload(out.frameId, locale);
    if (res.ok) checked.set(out.frameId, res.frame);
    else {
      if (!res.missing) await dropBrokenFrame(out.frameId, res);
      candidates = candidates.filter((c) => c.id !== out.frameId);
    }
  }
  if (!step) return { ok: false, reason: 'no-frame', ticket: null };

  if (step.kind === 'replayed') {
    // The worker may have stopped after the grant was saved but before the study logged its
    // decision point: log it now, under the grant's own decision id (a no-op if it was logged).
    const g = study && !incognito && step.grant.decision && !step.grant.study ? await catchUpStudy(ticketId, step.grant, siteKey, pShow, locale) : step.grant;
    return replay(g, step.next, locale, checked);
  }
  if (step.kind === 'denied') return { ok: false, reason: step.reason, ticket: step.ticket, ...(step.retryAt !== undefined ? { retryAt: step.retryAt } : {}) };
  if (step.kind === 'unavailable') {
    await studyOnDecision({ siteKey, pShow, shown: false, available: false, unavailableReason: step.reason });
    return { ok: false, reason: step.reason, ticket: step.next, unavailable: true };
  }
  const now = Date.now();
  if (step.kind === 'withheld') {
    if (!incognito) void logGeneralDecision({ id: decision.id, ts: now, siteKey, pShow, shown: false, windowMs: decision.windowMs });
    const st = study ? await studyOnDecision({ decisionId: decision.id, siteKey, pShow, shown: false, available: true, locale }) : undefined;
    if (st?.survey) await remember(ticketId, { survey: st.survey });
    return {
      ok: true,
      decision,
      frame: null,
      postsSince: step.postsSince,
      firstToday: step.firstToday,
      next: step.next,
      ...(st?.survey ? { survey: st.survey } : {}),
    };
  }
  const frame = checked.get(step.frameId) ?? getCuratedPayload(step.frameId, locale);
  if (!frame) return { ok: false, reason: 'no-frame', ticket: null };
  // A decision point was made (the frame-shown event waits for the tab to place it). Not awaited:
  // the tab waits for its frame; the log never throws.
  if (!incognito) void logGeneralDecision({ id: decision.id, ts: now, siteKey, pShow, shown: true, windowMs: decision.windowMs });
  const st = study
    ? await studyOnDecision({
        decisionId: decision.id,
        siteKey,
        pShow,
        shown: true,
        available: true,
        frame: { frameId: frame.id, collectionId: frame.collectionId, postsSince: step.postsSince },
        locale,
      })
    : undefined;
  const studyPart: ClaimStudy | undefined = st?.impressionId ? { impressionId: st.impressionId } : undefined;
  // Kept with the grant, so a retried claim gets the same impression and question.
  if (studyPart || st?.survey) await remember(ticketId, { study: studyPart, survey: st?.survey });
  return {
    ok: true,
    decision,
    frame,
    postsSince: step.postsSince,
    firstToday: step.firstToday,
    next: step.next,
    ...(studyPart ? { study: studyPart } : {}),
    ...(st?.survey ? { survey: st.survey } : {}),
  };
}

/** A granted decision point the study never logged: logged now, remembered with the grant, and the grant as the reply should carry it. */
async function catchUpStudy(ticketId: string, g: Grant, siteKey: string, pShow: number, locale: Locale): Promise<Grant> {
  const st = await studyOnDecision({
    decisionId: g.decision!.id,
    siteKey,
    pShow,
    shown: !g.withheld,
    available: true,
    ...(g.withheld ? {} : { frame: { frameId: g.frameId, collectionId: g.collectionId, postsSince: g.postsSince } }),
    locale,
  });
  if (!st?.impressionId && !st?.survey) return g;
  const fill = { study: st.impressionId ? ({ impressionId: st.impressionId } satisfies ClaimStudy) : undefined, survey: g.survey ?? st.survey };
  await remember(ticketId, fill);
  return { ...g, ...fill };
}

async function remember(ticketId: string, fill: { study?: unknown; survey?: unknown }): Promise<void> {
  // The grant itself stands; only its study and survey details go unremembered (the frame's report then carries none).
  await updateState((s) => ({ state: noteGrant(s, ticketId, fill), result: null })).catch(devLog('remember grant'));
}

/** The answer a lost reply would have carried, from the grant kept for it. */
async function replay(g: Grant, next: Ticket | null, locale: Locale, checked: Map<string, FramePayload>): Promise<ClaimResponse> {
  const decision = g.decision ?? { id: newDecisionId(), windowMs: INSIGHTS_WINDOW_MS };
  const survey = g.survey as SurveyOffer | undefined;
  const base = { ok: true as const, decision, postsSince: g.postsSince, firstToday: g.firstToday, next, ...(survey ? { survey } : {}) };
  if (g.withheld) return { ...base, frame: null };
  let frame = checked.get(g.frameId) ?? getCuratedPayload(g.frameId, locale);
  if (!frame) {
    const res = await loadPayload(g.frameId, locale);
    frame = res.ok ? res.frame : null;
  }
  if (!frame) return { ok: false, reason: 'no-frame', ticket: null };
  const study = g.study as ClaimStudy | undefined;
  return { ...base, frame, ...(study ? { study } : {}) };
}

/**
 * The tab placed a granted frame: now it counts as a pause (once), and the log says it was
 * shown. A confirmation for a grant that is unknown, lapsed, withheld or already counted counts
 * nothing. A private window's pause counts (it is a pause) but is not logged.
 */
export async function placed(ticketId: string, opts: { incognito?: boolean } = {}): Promise<boolean> {
  const counted = await updateState((s, now) => {
    const r = confirmPlaced(s, ticketId, now);
    return { state: r.counted ? r.state : null, result: r.counted };
  });
  if (!counted) return false;
  if (!opts.incognito)
    await logEvent({
      ts: Date.now(),
      type: 'frame-shown',
      siteKey: counted.siteKey,
      frameId: counted.frameId,
      collectionId: counted.collectionId,
      value: counted.postsSince,
    });
  return true;
}
