import { describe, expect, it } from 'vitest';
import { assessHealth, AdapterHealth, type HealthObservation } from '@/utils/feeds/health';

const obs = (at: number, o: Partial<HealthObservation> = {}): HealthObservation => ({
  at,
  adapterItems: 0,
  pageGrew: false,
  containerFound: false,
  feedRoute: true,
  ...o,
});

describe('assessHealth', () => {
  it.each([
    [{ adapterItems: 5, pageGrew: true, containerFound: true, feedRoute: false }, 'not-feed'],
    [{ adapterItems: 5, pageGrew: false, containerFound: true, feedRoute: true }, 'working'],
    [{ adapterItems: 0, pageGrew: false, containerFound: true, feedRoute: true }, 'waiting'],
    [{ adapterItems: 0, pageGrew: false, containerFound: false, feedRoute: true }, 'waiting'],
    [{ adapterItems: 0, pageGrew: true, containerFound: false, feedRoute: true }, 'fallback'],
    [{ adapterItems: 0, pageGrew: true, containerFound: true, feedRoute: true }, 'fallback'],
    [{ adapterItems: 3, pageGrew: true, containerFound: false, feedRoute: true }, 'fallback'], // stale count
    [{ adapterItems: Number.NaN, pageGrew: false, containerFound: true, feedRoute: true }, 'waiting'],
  ] as const)('%o → %s', (input, status) => {
    expect(assessHealth(input)).toBe(status);
  });
});

describe('AdapterHealth', () => {
  it('falls back only after 3 s and two growth observations with nothing found', () => {
    const h = new AdapterHealth();
    expect(h.observe(obs(0, { pageGrew: true }))).toBe('waiting');
    expect(h.observe(obs(1000, { pageGrew: true }))).toBe('waiting'); // two growths, but too soon
    expect(h.observe(obs(2999))).toBe('waiting');
    expect(h.observe(obs(3000))).toBe('fallback');
  });

  it('does not fall back on a slow page that is not growing', () => {
    const h = new AdapterHealth();
    for (let t = 0; t <= 20_000; t += 1000) expect(h.observe(obs(t, { containerFound: true }))).toBe('waiting');
  });

  it('needs the growth, not only the time', () => {
    const h = new AdapterHealth();
    h.observe(obs(0, { pageGrew: true }));
    expect(h.observe(obs(5000))).toBe('waiting'); // one growth only
    expect(h.observe(obs(5100, { pageGrew: true }))).toBe('fallback');
  });

  it('a working adapter survives a pause, and a brief empty render', () => {
    const h = new AdapterHealth();
    expect(h.observe(obs(0, { adapterItems: 20, containerFound: true }))).toBe('working');
    expect(h.observe(obs(1000, { adapterItems: 0, containerFound: true }))).toBe('working');
    expect(h.observe(obs(1500, { adapterItems: 0, pageGrew: true }))).toBe('working');
    expect(h.observe(obs(2000, { adapterItems: 22, containerFound: true, pageGrew: true }))).toBe('working');
  });

  it('a working adapter that goes blind while the page grows falls back', () => {
    const h = new AdapterHealth();
    h.observe(obs(0, { adapterItems: 20, containerFound: true }));
    h.observe(obs(1000, { pageGrew: true }));
    h.observe(obs(2500, { pageGrew: true }));
    expect(h.observe(obs(4000, { pageGrew: true }))).toBe('fallback');
  });

  it('stays in fallback while blind, returns to working when items reappear', () => {
    const h = new AdapterHealth({ graceMs: 0, growthObservations: 1 });
    expect(h.observe(obs(0, { pageGrew: true }))).toBe('fallback');
    expect(h.observe(obs(10))).toBe('fallback');
    expect(h.observe(obs(20, { adapterItems: 4, containerFound: true }))).toBe('working');
  });

  it('a non-feed route resets the history', () => {
    const h = new AdapterHealth();
    h.observe(obs(0, { pageGrew: true }));
    h.observe(obs(1000, { pageGrew: true }));
    expect(h.observe(obs(2000, { feedRoute: false }))).toBe('not-feed');
    expect(h.observe(obs(3500, { pageGrew: true }))).toBe('waiting'); // the clock started again
    h.observe(obs(4000, { pageGrew: true }));
    h.reset();
    expect(h.observe(obs(4100, { pageGrew: true }))).toBe('waiting'); // and again after reset, though it grew for 4 s
  });

  it('never throws on garbage', () => {
    const h = new AdapterHealth({ graceMs: Number.NaN, growthObservations: -4 });
    expect(() => h.observe(undefined as unknown as HealthObservation)).not.toThrow();
    expect(() => h.observe({ at: Number.NaN } as HealthObservation)).not.toThrow();
    expect(() => assessHealth(null as never)).not.toThrow();
    expect(assessHealth(null as never)).toBe('not-feed');
  });
});
