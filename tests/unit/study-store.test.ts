// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDB } from '@/utils/storage/db';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import { assignArm } from '@/utils/study/arms';
import {
  activeArm,
  countStudy,
  exportData,
  getEnrolment,
  giveConsent,
  loadProtocol,
  logAnswer,
  logFrameReport,
  logImpression,
  logPause,
  logProgress,
  logSettingsChange,
  logSnooze,
  checkVersion,
  settingsChanges,
  studyContentConfig,
  studySite,
  studyStatus,
  velocityRow,
  withdraw,
  SESSION_IDLE_MS,
} from '@/utils/study/store';
import { pruneOldestEvents } from '@/utils/storage/events';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;

async function enrol(opts: { agree?: boolean; text?: string; participantId?: string } = {}) {
  const loaded = await loadProtocol(opts.text ?? EXAMPLE, T0);
  expect(loaded.ok).toBe(true);
  await giveConsent({
    agree: opts.agree ?? true,
    uploadConsent: true,
    locale: 'en',
    extensionVersion: '1.2.3',
    now: T0,
    participantId: opts.participantId ?? 'SF-7K3M-Q9XP-2WDA-H4TZ',
  });
}

async function rows(table: string) {
  const db = await getDB();
  return (await db.getAllFromIndex('studyLog', 'byTable', table)).sort((a, b) => a.ts - b.ts);
}

/** Everything the participant did in the test, at study times (the example protocol measures all). */
async function simulate() {
  await logProgress('x', 10, 30_000, T0 + 1 * MIN);
  await logProgress('x', 10, 30_000, T0 + 2 * MIN);
  const imp = await logImpression({ siteKey: 'x', frameId: 'words:en:07', collectionId: 'words', postsSince: 20 }, 'en', () => 0, T0 + 2 * MIN);
  // Without a running study there is no impression: the tab's later messages must be no-ops too.
  const id = imp?.impressionId ?? 'imp-none';
  await logPause(
    { impressionId: id, visibleMs: 4200, firstVisibleAgoMs: 12_000, before: { ms: 10_000, posts: 5, px: 4000 }, after: { ms: 10_000, posts: 1, px: 1000 } },
    T0 + 3 * MIN,
  );
  await logFrameReport({ siteKey: 'x', frameId: 'words:en:07', visibleMs: 3000, action: 'continue' }, T0 + 3 * MIN);
  await logAnswer(id, 4, T0 + 3 * MIN);
  await logProgress('custom:secret-forum.example.org', 10, 20_000, T0 + 4 * MIN);
  return imp!;
}

describe('study store: consent comes first', () => {
  it('a bad protocol is refused with field errors and nothing is stored', async () => {
    const res = await loadProtocol('{"format": 1}', T0);
    expect(res.ok).toBe(false);
    expect((await countStudy()).total).toBe(0);
    expect((await studyStatus(T0)).state).toBe('none');
  });

  it('declining leaves nothing behind, and nothing is logged afterwards', async () => {
    await enrol({ agree: false });
    expect((await studyStatus(T0)).state).toBe('none');
    await simulate();
    await logSettingsChange(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, gentleHold: true }, T0 + MIN);
    const c = await countStudy();
    expect(c.total).toBe(0);
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

  it('agreeing creates the participant id, assigns the arm from it and starts the study', async () => {
    await enrol();
    const e = (await getEnrolment())!;
    expect(e.participantId).toBe('SF-7K3M-Q9XP-2WDA-H4TZ');
    expect(e.arm).toBe(assignArm(e.participantId, 'feed-friction-pilot', e.protocol.arms).id);
    expect(e.endsAt - e.startedAt).toBe(14 * DAY);
    expect(e.protocolText).toBe(EXAMPLE);
    expect(e.uploadConsent).toBe(false); // the example names no endpoint, so the extra consent cannot apply
    const s = await studyStatus(T0 + 2 * DAY + 5 * MIN);
    expect(s).toMatchObject({ state: 'active', day: 3, days: 14, participantId: e.participantId, arm: e.arm });
    expect((await rows('versions')).map((r) => r.data)).toEqual([{ recorded_at: T0, extension_version: '1.2.3', event: 'enrolled' }]);
    expect(await studyContentConfig(T0 + MIN)).toEqual({ windowMs: 10_000 });
  });

  it('a second protocol cannot be loaded over a running study', async () => {
    await enrol();
    const res = await loadProtocol(EXAMPLE, T0 + MIN);
    expect(res.ok).toBe(false);
  });

  it('blindArm hides the arm from the participant\u2019s status (not from the data)', async () => {
    const text = JSON.stringify({ ...JSON.parse(EXAMPLE), blindArm: true });
    await enrol({ text });
    const s = await studyStatus(T0 + MIN);
    expect(s.arm).toBeNull();
    expect((await getEnrolment())!.arm).toBeTruthy();
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
    expect(sessions[0].data.start_at).toBe(T0 + 1 * MIN - 30_000);
    expect(sessions[0].data.end_at).toBe(T0 + 3 * MIN);
    const ppm = await rows('posts_per_minute');
    expect(ppm.map((r) => [r.data.site_key, r.data.minute_start, r.data.posts])).toEqual([
      ['x', T0 + 1 * MIN, 20],
      ['x', T0 + 3 * MIN, 10],
      ['reddit', T0 + 4 * MIN, 7],
      ['x', Math.floor((T0 + 3 * MIN + SESSION_IDLE_MS + 1) / MIN) * MIN, 10],
    ]);
  });

  it('an impression collects its view time, action, velocity and survey answer', async () => {
    await enrol();
    const imp = await simulate();
    expect(imp.sample).toEqual({ questionId: 'mood', question: 'How do you feel right now?', min: 1, max: 5, minLabel: 'Very bad', maxLabel: 'Very good' });
    const [row] = await rows('impressions');
    expect(row.data).toMatchObject({
      impression_id: imp.impressionId,
      site_key: 'x',
      frame_id: 'words:en:07',
      collection: 'words',
      posts_before: 20,
      first_visible_at: T0 + 3 * MIN - 12_000,
      visible_ms: 4200, // the longer of the tab's two measurements
      action: 'continue',
      survey_offered: true,
    });
    const [vel] = await rows('scroll_velocity');
    expect(vel.data).toMatchObject({ impression_id: imp.impressionId, before_px_per_s: 400, after_px_per_s: 100, before_posts_per_min: 30, after_posts_per_min: 6, slowdown_pct: 75 });
    const [answer] = await rows('survey');
    expect(answer.data).toEqual({ impression_id: imp.impressionId, answered_at: T0 + 3 * MIN, question_id: 'mood', answer: 4 });
  });

  it('the question is offered with the protocol\u2019s probability, localised', async () => {
    await enrol();
    const off = await logImpression({ siteKey: 'x', frameId: 'a', collectionId: 'c', postsSince: 1 }, 'zh_CN', () => 0.9, T0 + MIN);
    expect(off?.sample).toBeUndefined();
    const on = await logImpression({ siteKey: 'x', frameId: 'b', collectionId: 'c', postsSince: 1 }, 'zh_CN', () => 0.1, T0 + MIN);
    expect(on?.sample?.question).toBe('你现在感觉如何？');
    // Answers only for a frame that carried the question, and only on the scale.
    expect(await logAnswer(off!.impressionId, 3, T0 + MIN)).toBe(false);
    expect(await logAnswer(on!.impressionId, 9, T0 + MIN)).toBe(false);
    expect(await logAnswer('imp-forged', 3, T0 + MIN)).toBe(false);
    expect(await logAnswer(on!.impressionId, 5, T0 + MIN)).toBe(true);
    expect(await rows('survey')).toHaveLength(1);
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
    const db = await getDB();
    const all = JSON.stringify([await db.getAll('studyLog'), await db.getAll('study')].flat().filter((r: any) => !r?.protocol));
    expect(all).not.toMatch(/secret-forum|example\.org|example\.net|https?:/);
    const changes = (await rows('settings_changes')).map((r) => `${r.data.field}=${r.data.value}`);
    expect(changes).toEqual(
      expect.arrayContaining(['customSites=', 'sites.custom.enabled=true', 'sites.custom.everyPosts=9', 'sites.mastodon.enabled=false', 'cadence.everyPosts=40', 'locale=zh_CN', 'snooze.custom=1h']),
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
    const p = JSON.parse(EXAMPLE);
    p.measures = ['sessions'];
    delete p.experienceSampling;
    await enrol({ text: JSON.stringify(p) });
    await simulate();
    const c = await countStudy();
    expect(c.tables.sessions).toBe(2);
    expect(c.total - c.meta - c.tables.sessions).toBe(0);
  });

  it('stops at the end of the study: no more rows, no more arm; the data stays', async () => {
    await enrol();
    await simulate();
    const before = await countStudy();
    const after = T0 + 14 * DAY;
    expect(await activeArm(T0 + MIN)).not.toBeNull();
    expect(await activeArm(after)).toBeNull();
    await logProgress('x', 10, 1000, after + MIN);
    expect(await logImpression({ siteKey: 'x', frameId: 'z', collectionId: 'c', postsSince: 1 }, 'en', () => 0, after + MIN)).toBeUndefined();
    expect((await countStudy()).total).toBe(before.total);
    expect((await studyStatus(after)).state).toBe('ended');
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

describe('study store: export and withdraw', () => {
  it('exports the enrolment and every row', async () => {
    await enrol();
    await simulate();
    const data = await exportData('1.2.3', T0 + DAY);
    expect(data.enrolment.participantId).toBe('SF-7K3M-Q9XP-2WDA-H4TZ');
    expect(data.records.length).toBe((await countStudy()).total - (await countStudy()).meta);
  });

  it('withdraw deletes every study record and the participant id, and proves it', async () => {
    await enrol();
    await simulate();
    const db = await getDB();
    await db.put('settings', DEFAULT_SETTINGS, 'current'); // not study data: it stays
    const res = await withdraw();
    expect(res.before.total).toBeGreaterThan(5);
    expect(res.after.total).toBe(0);
    expect(Object.values(res.after.tables).every((n) => n === 0)).toBe(true);
    expect(await db.count('study')).toBe(0);
    expect(await db.count('studyLog')).toBe(0);
    expect(await getEnrolment()).toBeNull();
    expect(await db.get('settings', 'current')).toBeTruthy();
    expect((await studyStatus()).state).toBe('none');
    await expect(exportData('1')).rejects.toThrow();
  });
});

describe('pure pieces', () => {
  it('velocityRow: slow-down on px/s, else on posts/min, empty when nothing moved before', () => {
    expect(velocityRow('i', 'x', 10_000, { ms: 10_000, posts: 4, px: 2000 }, { ms: 10_000, posts: 2, px: 500 }).slowdown_pct).toBe(75);
    expect(velocityRow('i', 'x', 10_000, { ms: 10_000, posts: 4, px: 0 }, { ms: 10_000, posts: 1, px: 0 }).slowdown_pct).toBe(75);
    expect(velocityRow('i', 'x', 10_000, { ms: 10_000, posts: 0, px: 0 }, { ms: 10_000, posts: 3, px: 0 }).slowdown_pct).toBeNull();
    expect(velocityRow('i', 'x', 10_000, { ms: 0, posts: 0, px: 0 }, { ms: 10_000, posts: 3, px: 10 }).before_px_per_s).toBe(0);
  });

  it('settingsChanges: only what changed, values only for numbers, switches and choices', () => {
    const a = structuredClone(DEFAULT_SETTINGS);
    const b = { ...structuredClone(DEFAULT_SETTINGS), enabled: false, wordLanguages: ['en' as const] };
    expect(settingsChanges(a, b)).toEqual([
      { field: 'enabled', value: 'false' },
      { field: 'wordLanguages', value: '' },
    ]);
    expect(settingsChanges(a, a)).toEqual([]);
  });
});
