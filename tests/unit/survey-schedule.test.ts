import { describe, expect, it } from 'vitest';
import { advanceSurvey, recordOffer, scheduledTrigger, underDailyCap } from '@/utils/study/survey-schedule';
import { EMPTY_SURVEY_STATE } from '@/utils/study/bookkeeping';
import type { ExperienceSampling } from '@/utils/study/protocol';

const es = (schedule: ExperienceSampling['schedule']): ExperienceSampling => ({ id: 'q', question: { en: 'q', zh_CN: 'q' }, min: 1, max: 5, schedule });
const MIN = 60_000;

describe('the survey\u2019s own schedule', () => {
  it('offers after N posts, counting from the last offer of any kind', () => {
    let s = advanceSurvey(EMPTY_SURVEY_STATE, 29, '2026-03-02');
    expect(scheduledTrigger(es({ everyPosts: 30 }), s, 0, 0, '2026-03-02')).toBeNull();
    s = advanceSurvey(s, 1, '2026-03-02');
    expect(scheduledTrigger(es({ everyPosts: 30 }), s, 0, 0, '2026-03-02')).toBe('posts');
    s = recordOffer(s, 5 * MIN, '2026-03-02');
    expect(s.postsSinceOffer).toBe(0);
    expect(scheduledTrigger(es({ everyPosts: 30 }), advanceSurvey(s, 10, '2026-03-02'), 6 * MIN, 0, '2026-03-02')).toBeNull();
  });

  it('offers after M minutes since the last offer (or since the study began)', () => {
    const s = advanceSurvey(EMPTY_SURVEY_STATE, 1, 'd');
    expect(scheduledTrigger(es({ everyMinutes: 60 }), s, 59 * MIN, 0, 'd')).toBeNull();
    expect(scheduledTrigger(es({ everyMinutes: 60 }), s, 60 * MIN, 0, 'd')).toBe('time');
    const after = recordOffer(s, 60 * MIN, 'd');
    expect(scheduledTrigger(es({ everyMinutes: 60 }), after, 100 * MIN, 0, 'd')).toBeNull();
  });

  it('at most K a day; a new day starts the count again', () => {
    let s = recordOffer(recordOffer(EMPTY_SURVEY_STATE, 1, 'mon'), 2, 'mon');
    expect(underDailyCap(es({ everyPosts: 1, maxPerDay: 2 }), s, 'mon')).toBe(false);
    expect(scheduledTrigger(es({ everyPosts: 1, maxPerDay: 2 }), advanceSurvey(s, 5, 'mon'), 3, 0, 'mon')).toBeNull();
    s = advanceSurvey(s, 5, 'tue');
    expect(s.offersToday).toBe(0);
    expect(scheduledTrigger(es({ everyPosts: 1, maxPerDay: 2 }), s, 4, 0, 'tue')).toBe('posts');
  });

  it('without a schedule nothing is offered by it', () => {
    expect(scheduledTrigger(es(undefined), advanceSurvey(EMPTY_SURVEY_STATE, 1000, 'd'), 10 ** 9, 0, 'd')).toBeNull();
  });
});
