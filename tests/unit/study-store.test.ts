// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDB } from '@/utils/storage/db';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import { allocateArm, codeSha256, protocolHash } from '@/utils/study/allocation';
import { validateProtocol, type Protocol } from '@/utils/study/protocol';
import {
  activeArm,
  countStudy,
  exportData,
  forgetWithdrawal,
  getEnrolment,
  giveConsent,
  loadProtocol,
  studyContentConfig,
  studyStatus,
  withdraw,
} from '@/utils/study/enrolment';
import {
  checkVersion,
  logAnswer,
  logDecisionPoint,
  logDecisionWindows,
  logFrameReport,
  logProgress,
  logSettingsChange,
  logSettingsSnapshot,
  logSnooze,
  logSurveyEvent,
  syncCensoring,
} from '@/utils/study/writers';
import { SESSION_IDLE_MS } from '@/utils/schedule/scheduler-state';
import { studySite } from '@/utils/study/rows';
import { pruneOldestEvents } from '@/utils/storage/events';
import type { ExposureSummary } from '@/utils/study/types';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const PID = 'SF-7K3M-Q9XP-2WDA-H4TZ';

/** The example protocol with edits, as text. */
function protocolText(edit: (p: any) => void = () => {}): string {
  const p = JSON.parse(EXAMPLE);
  edit(p);
  return JSON.stringify(p);
}

async function enrol(opts: { agree?: boolean; text?: string; participantId?: string; code?: string; eligible?: boolean; now?: number } = {}) {
  const loaded = await loadProtocol(opts.text ?? EXAMPLE, opts.now ?? T0);
  expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
  return giveConsent({
    agree: opts.agree ?? true,
    uploadConsent: true,
    locale: 'en',
    extensionVersion: '1.2.3',
    now: opts.now ?? T0,
    participantId: opts.participantId ?? PID,
    enrolmentCode: opts.code ?? null,
    eligibilityConfirmed: opts.eligible ?? true,
  });
}

async function rows(table: string) {
  const db = await getDB();
  return (await db.getAllFromIndex('studyLog', 'byTable', table)).sort((a, b) => a.ts - b.ts);
}

const windows = (over: Partial<{ before: any; after: any; censored: any }> = {}) => ({
  reachedAgoMs: 12_000,
  insertedAgoMs: 15_000,
  before: { ms: 10_000, posts: 5, pxTravelled: 4000, pxNet: 3800 },
  after: { ms: 10_000, posts: 1, pxTravelled: 1000, pxNet: 600 },
  overlapsPrevious: false,
  censored: null,
  ...over,
});

const exposure: ExposureSummary = { method: 'io-v2', maxRatio: 1, inViewMs: 4200, attendedMs: 3900, longestMs: 3000, seen: true, firstVisibleAgoMs: 12_000 };

/** Everything the participant did in a short session (the example protocol measures all). */
async function simulate() {
  await logProgress('x', 10, 30_000, T0 + 1 * MIN);
  await logProgress('x', 10, 30_000, T0 + 2 * MIN);
  const shown = await logDecisionPoint(
    {
      decisionId: 'dec-a',
      siteKey: 'x',
      pShow: 0.8,
      shown: true,
      available: true,
      frame: { frameId: 'words:en:07', collectionId: 'words', postsSince: 20 },
      rng: () => 0,
    },
    T0 + 2 * MIN,
  );
  await logDecisionWindows({ decisionId: 'dec-a', ...windows() }, T0 + 3 * MIN);
  if (shown?.impressionId) await logFrameReport({ impressionId: shown.impressionId, action: 'continue', exposure }, T0 + 3 * MIN);
  if (shown?.survey) await logAnswer(shown.survey.offerId, 4, T0 + 3 * MIN);
  await logDecisionPoint({ decisionId: 'dec-b', siteKey: 'x', pShow: 0.8, shown: false, available: true, rng: () => 0.99 }, T0 + 4 * MIN);
  await logProgress('custom:secret-forum.example.org', 10, 20_000, T0 + 5 * MIN);
  return shown;
}

describe('study store: consent comes first', () => {
  it('a bad protocol is refused with field errors and nothing is stored', async () => {
    const res = await loadProtocol('{"format": 1}', T0);
    expect(res.ok).toBe(false);
    expect((await countStudy()).total).toBe(0);
    expect((await studyStatus(T0)).state).toBe('none');
  });

  it('declining leaves nothing behind, and nothing is logged afterwards', async () => {
    expect(await enrol({ agree: false })).toEqual({ ok: true, enrolment: null });
    expect((await studyStatus(T0)).state).toBe('none');
    await simulate();
    await logSettingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, gentleHold: true }, T0 + MIN);
    expect((await countStudy()).total).toBe(0);
    expect(await getEnrolment()).toBeNull();
    expect(await activeArm(T0 + MIN)).toBeNull();
    expect(await studyContentConfig(T0 + MIN)).toBeNull();
  });

  it('a loaded, not yet answered protocol logs nothing either', async () => {
    expect((await loadProtocol(EXAMPLE, T0)).ok).toBe(true);
    expect((await studyStatus(T0)).state).toBe('pending');
    await simulate();
    const c = await countStudy();
    expect(c.meta).toBe(1); // the pending protocol only
    expect(c.total).toBe(1);
  });

  it('agreeing creates the participant id, allocates the arm reproducibly, and records hash, seed and value', async () => {
    await enrol();
    const e = (await getEnrolment())!;
    const protocol = (validateProtocol(EXAMPLE) as { protocol: Protocol }).protocol;
    const again = await allocateArm(protocol, { participantId: PID });
    expect(again.ok && again.allocation.arm).toBe(e.arm);
    expect(e.allocation).toMatchObject({ method: 'stable-hash', seed: 'feed-friction-pilot', key: 'participant_id' });
    expect(again.ok && again.allocation.value).toBe(e.allocation.value);
    expect(e.protocolHash).toBe(await protocolHash(protocol));
    expect(e.protocolHash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.endsAt - e.startedAt).toBe(14 * DAY);
    expect(e.protocolText).toBe(EXAMPLE);
    expect(e.uploadConsent).toBe(false); // the example names no endpoint, so the extra consent cannot apply
    const s = await studyStatus(T0 + 2 * DAY + 5 * MIN);
    expect(s).toMatchObject({ state: 'active', day: 3, days: 14, participantId: e.participantId, arm: e.arm, protocolText: EXAMPLE, consentedAt: T0 });
    expect((await rows('versions')).map((r) => r.data)).toEqual([
      { recorded_at: T0, utc_offset_min: expect.any(Number), extension_version: '1.2.3', event: 'enrolled' },
    ]);
    expect(await studyContentConfig(T0 + MIN)).toEqual({ windowMs: 10_000 });
  });

  it('with an ethics block, agreeing needs the eligibility confirmation', async () => {
    expect(await enrol({ eligible: false })).toEqual({ ok: false, reason: 'eligibility' });
    expect(await getEnrolment()).toBeNull();
    expect((await studyStatus(T0)).state).toBe('pending');
  });

  it('an enrolment code decides the arm with the stable hash, the same code always the same arm', async () => {
    await enrol({ code: 'k7q2-m9xa' });
    const e = (await getEnrolment())!;
    expect(e.enrolmentCode).toBe('K7Q2M9XA');
    expect(e.allocation.key).toBe('enrolment_code');
    const protocol = (validateProtocol(EXAMPLE) as { protocol: Protocol }).protocol;
    const other = await allocateArm(protocol, { participantId: 'SF-0000-0000-0000-0000', code: 'K7Q2 M9XA' });
    expect(other.ok && other.allocation.arm).toBe(e.arm);
  });

  it('a list allocation takes the arm from the researcher\u2019s list, refuses unknown and missing codes', async () => {
    const text = protocolText((p) => {
      p.enrolment = { codes: 'required' };
      p.randomisation = { method: 'list', list: [] };
    });
    const p0 = JSON.parse(text);
    p0.randomisation.list = [
      { codeSha256: await codeSha256('feed-friction-pilot', 'AAAA1111'), arm: 'every-50', stratum: 'young', block: 1 },
      { codeSha256: await codeSha256('feed-friction-pilot', 'BBBB2222'), arm: 'control', stratum: 'old', block: 1 },
    ];
    const withList = JSON.stringify(p0);
    await loadProtocol(withList, T0);
    const consent = (code: string | null) =>
      giveConsent({ agree: true, uploadConsent: false, locale: 'en', extensionVersion: '1', now: T0, enrolmentCode: code, eligibilityConfirmed: true });
    expect(await consent(null)).toEqual({ ok: false, reason: 'code-required' });
    expect(await consent('ZZZZ9999')).toEqual({ ok: false, reason: 'code-unknown' });
    expect((await consent('bbbb-2222')).ok).toBe(true);
    const e = (await getEnrolment())!;
    expect(e.arm).toBe('control');
    expect(e.allocation).toMatchObject({ method: 'list', value: 1, seed: 'list', key: 'enrolment_code', stratum: 'old' });
  });

  it('a second protocol cannot be loaded over a running study', async () => {
    await enrol();
    expect((await loadProtocol(EXAMPLE, T0 + MIN)).ok).toBe(false);
  });

  it('blindArm hides the arm from the participant\u2019s status (not from the data)', async () => {
    await enrol({ text: protocolText((p) => (p.blindArm = true)) });
    expect((await studyStatus(T0 + MIN)).arm).toBeNull();
    expect((await getEnrolment())!.arm).toBeTruthy();
  });

  it('joining again after withdrawing keeps the participant id and the arm (no arm shopping); forgetting the note draws anew', async () => {
    await enrol();
    const first = (await getEnrolment())!;
    const res = await withdraw(T0 + DAY);
    expect(res).toMatchObject({ participantId: PID, studyId: 'feed-friction-pilot' });
    expect(res.after.total).toBe(0);
    expect((await studyStatus(T0 + DAY)).withdrawals).toEqual([{ studyId: 'feed-friction-pilot', participantId: PID, withdrawnAt: T0 + DAY }]);
    await enrol({ participantId: 'SF-ZZZZ-ZZZZ-ZZZZ-ZZZZ', now: T0 + 2 * DAY });
    const second = (await getEnrolment())!;
    expect(second.participantId).toBe(PID);
    expect(second.arm).toBe(first.arm);
    expect(second.previousWithdrawalAt).toBe(T0 + DAY);
    await withdraw(T0 + 3 * DAY);
    await forgetWithdrawal('feed-friction-pilot');
    expect((await studyStatus()).withdrawals).toEqual([]);
    await enrol({ participantId: 'SF-ZZZZ-ZZZZ-ZZZZ-ZZZZ', now: T0 + 4 * DAY });
    expect((await getEnrolment())!.participantId).toBe('SF-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });
});

describe('study store: logging', () => {
  it('sessions and posts per minute, with idle gaps starting new sessions', async () => {
    await enrol();
    await logProgress('x', 10, 30_000, T0 + 1 * MIN);
    await logProgress('x', 10, 30_000, T0 + 1 * MIN + 20_000);
    await logProgress('x', 10, 30_000, T0 + 3 * MIN);
    await logProgress('x', 10, 30_000, T0 + 3 * MIN + SESSION_IDLE_MS + 1);
    await logProgress('reddit', 7, 10_000, T0 + 4 * MIN);
    const sessions = await rows('sessions');
    expect(sessions.map((s) => [s.data.site_key, s.data.posts])).toEqual([
      ['x', 30],
      ['reddit', 7],
      ['x', 10],
    ]);
    expect(sessions[0].data).toMatchObject({ start_at: T0 + 1 * MIN - 30_000, end_at: T0 + 3 * MIN, utc_offset_min: expect.any(Number) });
    const ppm = await rows('posts_per_minute');
    expect(ppm.map((r) => [r.data.site_key, r.data.minute_start, r.data.posts])).toEqual([
      ['x', T0 + 1 * MIN, 20],
      ['x', T0 + 3 * MIN, 10],
      ['reddit', T0 + 4 * MIN, 7],
      ['x', Math.floor((T0 + 3 * MIN + SESSION_IDLE_MS + 1) / MIN) * MIN, 10],
    ]);
    expect(ppm[0].data.session_id).toBe(sessions[0].data.session_id);
  });

  it('a shown decision point: decisions row with its windows, impression with its one exposure measurement and the action', async () => {
    await enrol();
    const shown = (await simulate())!;
    expect(shown.impressionId).toBeTruthy();
    const decisions = await rows('decisions');
    const a = decisions.find((r) => r.id === 'dec-a')!.data;
    const session = (await rows('sessions'))[0].data.session_id;
    expect(a).toMatchObject({
      decision_id: 'dec-a',
      session_id: session,
      ts: T0 + 2 * MIN,
      site_key: 'x',
      p_show: 0.8,
      shown: true,
      available: true,
      impression_id: shown.impressionId,
      before_ms: 10_000,
      before_posts: 5,
      before_px_travelled: 4000,
      before_px_net: 3800,
      after_ms: 10_000,
      after_posts: 1,
      after_px_travelled: 1000,
      after_px_net: 600,
      velocity_before_px_s: 400,
      velocity_after_px_s: 100,
      posts_per_min_before: 30,
      posts_per_min_after: 6,
      overlaps_previous: false,
      censored: null,
      reached_at: T0 + 3 * MIN - 12_000,
      window_s: 10,
    });
    const [imp] = await rows('impressions');
    expect(imp.data).toMatchObject({
      impression_id: shown.impressionId,
      decision_id: 'dec-a',
      granted_at: T0 + 2 * MIN,
      inserted_at: T0 + 3 * MIN - 15_000,
      frame_id: 'words:en:07',
      posts_before: 20,
      exposure_method: 'io-v2',
      first_visible_at: T0 + 3 * MIN - 12_000,
      in_view_ms: 4200,
      attended_ms: 3900,
      longest_attended_ms: 3000,
      seen: true,
      action: 'continue',
    });
  });

  it('a withheld decision point is logged the same way, without an impression; a second windows report changes nothing', async () => {
    await enrol();
    await simulate();
    const b = (await rows('decisions')).find((r) => r.id === 'dec-b')!;
    expect(b.data).toMatchObject({ shown: false, available: true, p_show: 0.8, impression_id: null, censored: 'pending' });
    await logDecisionWindows({ decisionId: 'dec-b', ...windows({ after: null, censored: 'hidden' }) }, T0 + 5 * MIN);
    await logDecisionWindows({ decisionId: 'dec-b', ...windows() }, T0 + 6 * MIN);
    const after = (await rows('decisions')).find((r) => r.id === 'dec-b')!.data;
    expect(after).toMatchObject({ censored: 'hidden', before_posts: 5, after_ms: null, after_posts: null, velocity_after_px_s: null });
    expect(await rows('impressions')).toHaveLength(1);
  });

  it('a decision point handled before its tab\u2019s posts opens the session itself, and the posts then join it', async () => {
    await enrol();
    await logDecisionPoint({ decisionId: 'dec-first', siteKey: 'x', pShow: 0.8, shown: false, available: true, rng: () => 0.99 }, T0 + MIN);
    await logProgress('x', 10, 30_000, T0 + MIN + 50);
    const sessions = await rows('sessions');
    expect(sessions).toHaveLength(1);
    expect(sessions[0].data.posts).toBe(10);
    expect((await rows('decisions'))[0].data.session_id).toBe(sessions[0].data.session_id);
  });

  it('a control arm (p_show 0) logs its decision points; unavailable ones carry the reason and no windows', async () => {
    await enrol();
    await logDecisionPoint({ decisionId: 'dec-c', siteKey: 'reddit', pShow: 0, shown: false, available: true }, T0 + MIN);
    await logDecisionPoint({ decisionId: 'dec-u', siteKey: 'reddit', pShow: 0, shown: false, available: false, unavailableReason: 'snoozed' }, T0 + 2 * MIN);
    await logDecisionWindows({ decisionId: 'dec-u', ...windows() }, T0 + 3 * MIN);
    const d = await rows('decisions');
    expect(d.map((r) => [r.id, r.data.p_show, r.data.shown, r.data.available, r.data.censored, r.data.unavailable_reason])).toEqual([
      ['dec-c', 0, false, true, 'pending', null],
      ['dec-u', 0, false, false, 'unavailable', 'snoozed'],
    ]);
    expect(d[1].data.before_ms).toBeNull();
  });

  it('the survey: on a frame with its probability (localised), and answers only for an offer, on the scale', async () => {
    await enrol();
    const off = await logDecisionPoint(
      { siteKey: 'x', pShow: 1, shown: true, available: true, frame: { frameId: 'a', collectionId: 'c', postsSince: 1 }, locale: 'zh_CN', rng: () => 0.9 },
      T0 + MIN,
    );
    expect(off?.survey).toBeUndefined();
    const on = await logDecisionPoint(
      { siteKey: 'x', pShow: 1, shown: true, available: true, frame: { frameId: 'b', collectionId: 'c', postsSince: 1 }, locale: 'zh_CN', rng: () => 0.1 },
      T0 + 2 * MIN,
    );
    expect(on?.survey?.prompt).toEqual({ questionId: 'mood', question: '你现在感觉如何？', min: 1, max: 5, minLabel: '很差', maxLabel: '很好' });
    expect(await logAnswer(on!.survey!.offerId, 9, T0 + 3 * MIN)).toBe(false);
    expect(await logAnswer('srv-forged', 3, T0 + 3 * MIN)).toBe(false);
    expect(await logSurveyEvent({ offerId: on!.survey!.offerId, event: 'displayed' }, T0 + 2 * MIN + 5000)).toBe(true);
    expect(await logAnswer(on!.survey!.offerId, 5, T0 + 3 * MIN)).toBe(true);
    expect(await logAnswer(on!.survey!.offerId, 2, T0 + 4 * MIN)).toBe(false); // the first answer stands
    const [row] = await rows('survey');
    expect(row.data).toMatchObject({
      trigger: 'frame',
      decision_id: expect.any(String),
      impression_id: on!.impressionId,
      offered_at: T0 + 2 * MIN,
      displayed_at: T0 + 2 * MIN + 5000,
      answered_at: T0 + 3 * MIN,
      answer: 5,
      dismissed: false,
    });
    expect((await rows('impressions')).find((r) => r.id === on!.impressionId)!.data.survey_offered).toBe(true);
  });

  it('the survey\u2019s own schedule offers it in every arm (control too), by posts or time, at most N a day', async () => {
    const text = protocolText((p) => {
      p.arms = [{ id: 'control', weight: 1, frames: false }];
      p.experienceSampling = { ...p.experienceSampling, probability: undefined, schedule: { everyPosts: 30, everyMinutes: 120, maxPerDay: 2 } };
      delete p.experienceSampling.probability;
    });
    await enrol({ text });
    expect(await logProgress('x', 20, 1000, T0 + MIN)).toBeUndefined();
    const byPosts = await logProgress('x', 10, 1000, T0 + 2 * MIN);
    expect(byPosts?.prompt.question).toBe('How do you feel right now?');
    expect(await logProgress('x', 10, 1000, T0 + 3 * MIN)).toBeUndefined();
    const byTime = await logProgress('x', 1, 1000, T0 + 2 * MIN + 120 * MIN);
    expect(byTime).toBeDefined();
    // The day's cap (2) is reached: no more today, whatever the posts.
    expect(await logProgress('x', 100, 1000, T0 + 2 * MIN + 121 * MIN)).toBeUndefined();
    const offers = await rows('survey');
    expect(offers.map((r) => r.data.trigger)).toEqual(['posts', 'time']);
    expect(await logSurveyEvent({ offerId: byPosts!.offerId, event: 'dismissed' }, T0 + 4 * MIN)).toBe(true);
    expect((await rows('survey'))[0].data).toMatchObject({ dismissed: true, answer: null });
  });

  it('a survey at decision points stands in for a withheld frame (trigger "decision"), and the row says so', async () => {
    const text = protocolText((p) => {
      delete p.experienceSampling.probability;
      p.experienceSampling.schedule = { atDecisionPoints: 0.5 };
    });
    await enrol({ text });
    const d = await logDecisionPoint({ decisionId: 'dec-s', siteKey: 'x', pShow: 0.8, shown: false, available: true, rng: () => 0.2 }, T0 + MIN);
    expect(d?.survey).toBeDefined();
    const [offer] = await rows('survey');
    expect(offer.data).toMatchObject({ trigger: 'decision', decision_id: 'dec-s', impression_id: null });
    expect((await rows('decisions'))[0].data.survey_offered).toBe(true);
  });

  it('censoring: an interval opens when frames are held back and closes when they may come again', async () => {
    await enrol();
    await syncCensoring('x', 'snoozed', T0 + MIN);
    await syncCensoring('x', 'snoozed', T0 + 2 * MIN);
    await syncCensoring('x', null, T0 + 16 * MIN);
    await syncCensoring('custom:secret.example.org', 'site-off', T0 + 17 * MIN);
    const c = await rows('censoring');
    expect(c.map((r) => [r.data.cause, r.data.site_key, r.data.start_at, r.data.end_at, r.data.affects])).toEqual([
      ['snoozed', 'x', T0 + MIN, T0 + 16 * MIN, 'frames'],
      ['site-off', 'custom', T0 + 17 * MIN, null, 'frames'],
    ]);
  });

  it('settings snapshots: the participant\u2019s own and the applied dose, sanitised', async () => {
    await enrol();
    const own: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      customSites: ['https://secret-forum.example.org'],
      sites: { 'custom:secret-forum.example.org': { enabled: true } },
    };
    const effective: Settings = { ...own, cadence: { ...own.cadence, everyPosts: 20 } };
    await logSettingsSnapshot({ event: 'enrolled', own, effective }, T0 + MIN);
    const [snap] = await rows('settings_snapshots');
    expect(snap.data).toMatchObject({ event: 'enrolled', recorded_at: T0 + MIN });
    expect(JSON.parse(snap.data.effective_settings_json as string).cadence.everyPosts).toBe(20);
    expect(JSON.parse(snap.data.own_settings_json as string)).toMatchObject({ addedSites: 1, sites: { custom: { count: 1, on: 1 } }, compareWithSkips: true });
    expect(JSON.stringify(snap.data)).not.toMatch(/secret-forum|example\.org/);
  });

  it('never stores a URL, host name or free text: added sites become "custom"', async () => {
    await enrol();
    await simulate();
    const mine: Settings = structuredClone(DEFAULT_SETTINGS);
    const next: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      customSites: ['https://secret-forum.example.org'],
      sites: { 'custom:secret-forum.example.org': { enabled: true, everyPosts: 9 }, 'mastodon:social.example.net': { enabled: false } },
      cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: 40 },
      locale: 'zh_CN',
    };
    await logSettingsChange(mine, next, T0 + 5 * MIN);
    await logSnooze('1h', 'custom:secret-forum.example.org', T0 + 6 * MIN);
    await syncCensoring('mastodon:social.example.net', 'site-off', T0 + 7 * MIN);
    const db = await getDB();
    const all = JSON.stringify([await db.getAll('studyLog'), await db.getAll('study')].flat().filter((r: any) => !r?.protocol));
    expect(all).not.toMatch(/secret-forum|example\.org|example\.net|https?:/);
    const changes = (await rows('settings_changes')).map((r) => `${r.data.field}=${r.data.value}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        'customSites=',
        'sites.custom.enabled=true',
        'sites.custom.everyPosts=9',
        'sites.mastodon.enabled=false',
        'cadence.everyPosts=40',
        'locale=zh_CN',
        'snooze.custom=1h',
      ]),
    );
    expect(studySite('custom:a.b')).toBe('custom');
    expect(studySite('x')).toBe('x');
  });

  it('notes an extension update once', async () => {
    await enrol();
    await checkVersion('1.2.3', T0 + MIN);
    await checkVersion('1.3.0', T0 + 2 * MIN);
    await checkVersion('1.3.0', T0 + 3 * MIN);
    expect((await rows('versions')).map((r) => `${r.data.event}:${r.data.extension_version}`)).toEqual(['enrolled:1.2.3', 'updated:1.3.0']);
  });

  it('logs only the measures the protocol lists', async () => {
    await enrol({
      text: protocolText((p) => {
        p.measures = ['sessions'];
        delete p.experienceSampling;
      }),
    });
    await simulate();
    const c = await countStudy();
    expect(c.tables.sessions).toBe(2);
    expect(c.total - c.meta - c.tables.sessions).toBe(0);
  });

  it('stops at the end of the study: no more rows, no more arm; the data stays and the study is "finished"', async () => {
    await enrol();
    await simulate();
    const before = await countStudy();
    const after = T0 + 14 * DAY;
    expect(await activeArm(T0 + MIN)).not.toBeNull();
    expect(await activeArm(after)).toBeNull();
    await logProgress('x', 10, 1000, after + MIN);
    expect(
      await logDecisionPoint({ siteKey: 'x', pShow: 1, shown: true, available: true, frame: { frameId: 'z', collectionId: 'c', postsSince: 1 } }, after + MIN),
    ).toBeUndefined();
    expect((await countStudy()).total).toBe(before.total);
    expect((await studyStatus(after)).state).toBe('finished');
    expect(await studyContentConfig(after)).toBeNull();
  });

  it('pruning the general event log never touches study rows', async () => {
    await enrol();
    await simulate();
    const db = await getDB();
    for (let i = 0; i < 20; i++) await db.add('events', { ts: i, type: 'posts', value: 1 });
    const before = await countStudy();
    await pruneOldestEvents(1000);
    expect(await db.count('events')).toBe(0);
    expect(await countStudy()).toEqual(before);
  });
});

describe('study store: damaged bookkeeping is repaired, never a crash', () => {
  it('garbage in the open-sessions, survey and censoring records: the writers go on and put sound records back', async () => {
    await enrol();
    const db = await getDB();
    await db.put('study', 'not a map', 'openSessions');
    await db.put('study', { x: { id: 42, lastAt: 'soon' }, reddit: { id: 'ses-ok', lastAt: T0 } }, 'openSessions');
    await db.put('study', ['nonsense'], 'surveyState');
    await db.put('study', { x: { id: 'cen-1' } }, 'censoring');
    await expect(logProgress('x', 10, 1000, T0 + MIN)).resolves.not.toThrow();
    await expect(syncCensoring('x', 'snoozed', T0 + MIN)).resolves.toBeUndefined();
    expect((await rows('sessions')).map((r) => r.data.site_key)).toEqual(['x']);
    const open = (await db.get('study', 'openSessions')) as any;
    expect(open.x.id).toMatch(/^ses-/);
    expect(open.reddit).toEqual({ id: 'ses-ok', lastAt: T0 }); // the valid entry stays
    expect(await db.get('study', 'surveyState')).toMatchObject({ postsSinceOffer: 10 });
    expect((await rows('censoring')).map((r) => r.data.cause)).toEqual(['snoozed']);
    const notices = (await db.getAllFromIndex('events', 'byType', 'notice')).map((n) => n.detail);
    expect(notices).toEqual(expect.arrayContaining(['study-repaired:openSessions', 'study-repaired:surveyState', 'study-repaired:censoring']));
  });

  it('an enrolment of the earlier format is upgraded in place, keeping its arm', async () => {
    const db = await getDB();
    await db.put(
      'study',
      {
        version: 1,
        protocol: JSON.parse(EXAMPLE),
        protocolText: EXAMPLE,
        participantId: PID,
        arm: 'every-50',
        consentedAt: T0,
        startedAt: T0,
        endsAt: T0 + 14 * DAY,
        uploadConsent: false,
        consentLocale: 'en',
        extensionVersion: '0.1.0',
      },
      'enrolment',
    );
    const e = (await getEnrolment())!;
    expect(e).toMatchObject({ version: 2, participantId: PID, arm: 'every-50', startedAt: T0 });
    expect(e.protocolHash).toMatch(/^[0-9a-f]{64}$/);
    await logProgress('x', 5, 1000, T0 + MIN);
    expect(await rows('sessions')).toHaveLength(1);
  });

  it('an enrolment that cannot be trusted is set aside (not deleted), the study counts as not set up, and withdrawing clears it', async () => {
    const db = await getDB();
    await db.put('study', { version: 1, participantId: 'not-an-id', arm: 42 }, 'enrolment');
    expect(await getEnrolment()).toBeNull();
    expect(await db.get('study', 'enrolment-unreadable')).toMatchObject({ participantId: 'not-an-id' });
    expect((await studyStatus()).state).toBe('none');
    await logProgress('x', 10, 1000); // no crash, nothing written
    expect(await rows('sessions')).toHaveLength(0);
    expect((await countStudy()).meta).toBe(1);
    await withdraw();
    expect((await countStudy()).total).toBe(0);
  });
});

describe('study store: export and withdraw', () => {
  it('exports the enrolment and every row', async () => {
    await enrol();
    await simulate();
    const data = await exportData('1.2.3', T0 + DAY);
    expect(data.enrolment.participantId).toBe(PID);
    const c = await countStudy();
    expect(data.records.length).toBe(c.total - c.meta);
  });

  it('withdraw deletes every study record and the enrolment, and proves it (the kept note is not study data)', async () => {
    await enrol();
    await simulate();
    const db = await getDB();
    await db.put('settings', DEFAULT_SETTINGS, 'current'); // not study data: it stays
    const res = await withdraw();
    expect(res.before.total).toBeGreaterThan(5);
    expect(res.after.total).toBe(0);
    expect(Object.values(res.after.tables).every((n) => n === 0)).toBe(true);
    expect(await db.count('studyLog')).toBe(0);
    expect(await db.getAllKeys('study')).toEqual(['withdrawals']);
    expect(await getEnrolment()).toBeNull();
    expect(await db.get('settings', 'current')).toBeTruthy();
    expect((await studyStatus()).state).toBe('none');
    await expect(exportData('1')).rejects.toThrow();
  });
});
