import { describe, expect, it } from 'vitest';
import { chooseFrame, eligibleCandidates, fewerLikeThis, MIN_FRAME_WEIGHT, resetFrameWeights } from '@/utils/schedule/frame-choice';
import { initialState } from '@/utils/schedule/scheduler-state';
import { mulberry32 } from '@/utils/schedule/rng';
import type { FrameCandidate, Rng, SchedulerState } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';
import { at, plain, UTC } from './schedule-helpers';

const frames = (col: string, n: number): FrameCandidate[] => Array.from({ length: n }, (_, i) => ({ id: `${col}:${i}`, collectionId: col }));

function draw(settings: Settings, state: SchedulerState, site: string, cands: FrameCandidate[], n: number, rng: Rng) {
  const out: string[] = [];
  let s = state;
  for (let i = 0; i < n; i++) {
    const r = chooseFrame(settings, s, site, cands, rng);
    s = r.state;
    if (r.frameId === null) throw new Error('no frame');
    out.push(r.frameId);
  }
  return { ids: out, state: s };
}

const s0 = () => initialState(at(0, 12), UTC);

describe('chooseFrame', () => {
  it('returns null when nothing is eligible', () => {
    expect(chooseFrame(plain(), s0(), 'x', [], mulberry32(1)).frameId).toBeNull();
    const off = plain({ collections: { words: { enabled: false, weight: 1 } } });
    expect(chooseFrame(off, s0(), 'x', frames('words', 3), mulberry32(1)).frameId).toBeNull();
    const zero = plain({ collections: { words: { enabled: true, weight: 0 } } });
    expect(chooseFrame(zero, s0(), 'x', frames('words', 3), mulberry32(1)).frameId).toBeNull();
  });

  it('the shuffle bag exhausts a collection before any repeat', () => {
    const cands = frames('art', 7);
    for (let seed = 0; seed < 50; seed++) {
      const { ids } = draw(plain(), s0(), 'x', cands, 7 * 6, mulberry32(seed));
      expect(new Set(ids.slice(0, 7)).size).toBe(7);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
      // later rounds have 6 frames (the one just shown sits the round out): still no repeats inside a round
      for (let r = 0; r < 5; r++) expect(new Set(ids.slice(7 + r * 6, 13 + r * 6)).size).toBe(6);
    }
  });

  it('the bag is persisted in the state and survives across calls', () => {
    const cands = frames('art', 5);
    const a = chooseFrame(plain(), s0(), 'x', cands, mulberry32(1));
    expect(a.state.bags.art).toHaveLength(4);
    expect(a.state.bags.art).not.toContain(a.frameId);
    const viaJson = JSON.parse(JSON.stringify(a.state)) as SchedulerState;
    const { ids } = draw(plain(), viaJson, 'x', cands, 4, mulberry32(2));
    expect(new Set([a.frameId, ...ids]).size).toBe(5);
  });

  it('frames that disappear from the candidates leave the bag; one frame alone repeats', () => {
    const { state } = draw(plain(), s0(), 'x', frames('art', 5), 1, mulberry32(1));
    const fewer = frames('art', 5).filter((f) => state.bags.art.slice(0, 2).includes(f.id) === false);
    const { ids } = draw(plain(), state, 'x', fewer, 3, mulberry32(2));
    for (const id of ids) expect(fewer.map((f) => f.id)).toContain(id);
    const solo = draw(plain(), s0(), 'x', frames('one', 1), 3, mulberry32(1));
    expect(solo.ids).toEqual(['one:0', 'one:0', 'one:0']);
  });

  it('collections are chosen by weight', () => {
    const set = plain({ collections: { a: { enabled: true, weight: 3 }, b: { enabled: true, weight: 1 } } });
    const { ids } = draw(set, s0(), 'x', [...frames('a', 5), ...frames('b', 5), ...frames('c', 5)], 5000, mulberry32(9));
    const share = (c: string) => ids.filter((i) => i.startsWith(`${c}:`)).length / ids.length;
    // a: 3/5, b: 1/5, c (no pref → weight 1): 1/5
    expect(share('a')).toBeGreaterThan(0.55);
    expect(share('a')).toBeLessThan(0.65);
    expect(share('b')).toBeGreaterThan(0.16);
    expect(share('b')).toBeLessThan(0.24);
    expect(share('c')).toBeGreaterThan(0.16);
  });

  it('per-site collections narrow the choice; an empty list means all', () => {
    const cands = [...frames('words', 4), ...frames('art', 4), ...frames('breath', 4)];
    const set = plain({
      sites: { x: { enabled: true, collections: ['words', 'breath'] }, reddit: { enabled: true, collections: [] } },
      collections: { breath: { enabled: false, weight: 1 } },
    });
    const x = draw(set, s0(), 'x', cands, 200, mulberry32(3)).ids;
    expect(x.every((i) => i.startsWith('words:'))).toBe(true);
    const reddit = draw(set, s0(), 'reddit', cands, 200, mulberry32(3)).ids;
    expect(new Set(reddit.map((i) => i.split(':')[0]))).toEqual(new Set(['words', 'art']));
    expect(eligibleCandidates(set, 'x', [...cands, cands[0]])).toHaveLength(4);
  });

  it('"fewer like this" lowers a frame\'s frequency over many draws', () => {
    const cands = frames('q', 4);
    const base = draw(plain(), s0(), 'x', cands, 4000, mulberry32(11)).ids.filter((i) => i === 'q:0').length / 4000;
    expect(base).toBeGreaterThan(0.22);
    let s = fewerLikeThis(fewerLikeThis(s0(), 'q:0'), 'q:0');
    expect(s.frameWeights['q:0']).toBe(0.25);
    const after = draw(plain(), s, 'x', cands, 4000, mulberry32(11)).ids.filter((i) => i === 'q:0').length / 4000;
    // weight 0.25 against three at 1: about 0.25 / 3.25 ≈ 8 %
    expect(after).toBeLessThan(0.12);
    expect(after).toBeGreaterThan(0.04);
    // floor
    for (let i = 0; i < 20; i++) s = fewerLikeThis(s, 'q:0');
    expect(s.frameWeights['q:0']).toBe(MIN_FRAME_WEIGHT);
    const floor = draw(plain(), s, 'x', cands, 4000, mulberry32(12)).ids.filter((i) => i === 'q:0').length;
    expect(floor).toBeGreaterThan(0);
    expect(resetFrameWeights(s).frameWeights).toEqual({});
  });

  it('"fewer like this" takes the frame out of the current round', () => {
    const cands = frames('q', 5);
    const first = chooseFrame(plain(), s0(), 'x', cands, mulberry32(1));
    const victim = first.state.bags.q[0];
    const s = fewerLikeThis(first.state, victim);
    expect(s.bags.q).not.toContain(victim);
    expect(s.bags.q).toHaveLength(3);
  });

  it('is deterministic for a seed', () => {
    const cands = [...frames('a', 6), ...frames('b', 3)];
    const one = draw(plain(), s0(), 'x', cands, 100, mulberry32(77));
    const two = draw(plain(), s0(), 'x', cands, 100, mulberry32(77));
    expect(one).toEqual(two);
  });
});

import { eligibleCandidates as eligibleForFallback } from '@/utils/schedule/frame-choice';
import { DEFAULT_SETTINGS as DEFAULTS_FOR_FALLBACK, mergeSettings as mergeForFallback } from '@/utils/storage/settings';

describe('eligibleCandidates never silently empties', () => {
  const cands = [
    { id: 'a1', collectionId: 'a' },
    { id: 'b1', collectionId: 'b' },
  ];
  it('ignores a site list whose collections no longer exist', () => {
    const s = mergeForFallback(DEFAULTS_FOR_FALLBACK, { sites: { x: { enabled: true, collections: ['deleted'] } } });
    expect(eligibleForFallback(s, 'x', cands).map((c) => c.id)).toEqual(['a1', 'b1']);
  });
  it('keeps honouring the collection switches', () => {
    const one = mergeForFallback(DEFAULTS_FOR_FALLBACK, {
      collections: { a: { enabled: false, weight: 1 } },
      sites: { x: { enabled: true, collections: ['a'] } },
    });
    expect(eligibleForFallback(one, 'x', cands).map((c) => c.id)).toEqual(['b1']);
  });
});
