import { finite } from '@/utils/finite';
import type { FrameCandidate, Rng, SchedulerState } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';

/** "Fewer like this" multiplies a frame's weight by this, down to the floor. */
export const FEWER_FACTOR = 0.5;
export const MIN_FRAME_WEIGHT = 0.05;

function weightedIndex(weights: number[], rng: Rng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return -1;
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0 && weights[i] > 0) return i;
  }
  // floating-point leftovers: the last positive weight
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return -1;
}

export const frameWeight = (state: SchedulerState, id: string) => {
  const w = state.frameWeights[id];
  return finite(w) ? Math.min(1, Math.max(MIN_FRAME_WEIGHT, w)) : 1;
};

/**
 * A new round of a collection's bag: every candidate except `exclude`, each kept with
 * probability = its weight (so a frame at weight 0.25 sits out about three rounds in four).
 * Never empty while the collection has candidates.
 */
function refillBag(state: SchedulerState, ids: string[], exclude: string | null, rng: Rng): string[] {
  const pool = ids.length > 1 && exclude !== null ? ids.filter((id) => id !== exclude) : ids;
  const bag = pool.filter((id) => {
    const w = frameWeight(state, id);
    return w >= 1 || rng() < w;
  });
  if (bag.length === 0 && pool.length > 0)
    bag.push(
      pool[
        weightedIndex(
          pool.map((id) => frameWeight(state, id)),
          rng,
        )
      ],
    );
  return bag;
}

/** The candidates a site may use: enabled collections, narrowed to the site's list when it has one. */
export function eligibleCandidates(settings: Settings, siteKey: string, candidates: FrameCandidate[]): FrameCandidate[] {
  const only = settings.sites[siteKey]?.collections;
  const allowed = only && only.length > 0 ? new Set(only) : null;
  const pick = (useSiteList: boolean, useEnabled: boolean) => {
    const seen = new Set<string>();
    return candidates.filter((c) => {
      if (seen.has(c.id)) return false;
      if (useEnabled && settings.collections[c.collectionId]?.enabled === false) return false;
      if (useSiteList && allowed && !allowed.has(c.collectionId)) return false;
      seen.add(c.id);
      return true;
    });
  };
  // A site's list that leaves nothing (its collection was deleted) widens to every enabled
  // collection rather than silently ending that site's pauses. Switches are the user's word.
  const strict = pick(true, true);
  return strict.length > 0 || !allowed ? strict : pick(false, true);
}

/**
 * Picks the next frame: a collection by weight (settings.collections[id].weight, default 1),
 * then a frame from that collection's persisted shuffle bag (weighted by frameWeights).
 * No frame repeats until its collection's bag is empty; the bag is refilled at once with the
 * whole collection minus the frame just drawn, so no frame ever shows twice in a row.
 */
export function chooseFrame(
  settings: Settings,
  state: SchedulerState,
  siteKey: string,
  candidates: FrameCandidate[],
  rng: Rng,
): { state: SchedulerState; frameId: string | null } {
  const eligible = eligibleCandidates(settings, siteKey, candidates);
  const byCollection = new Map<string, string[]>();
  for (const c of eligible) {
    const list = byCollection.get(c.collectionId);
    if (list) list.push(c.id);
    else byCollection.set(c.collectionId, [c.id]);
  }
  const cols = [...byCollection.keys()];
  const ci = weightedIndex(
    cols.map((id) => settings.collections[id]?.weight ?? 1),
    rng,
  );
  if (ci < 0) return { state, frameId: null };
  const col = cols[ci];
  const ids = byCollection.get(col)!;
  const idSet = new Set(ids);

  let bag = (state.bags[col] ?? []).filter((id) => idSet.has(id));
  if (bag.length === 0) bag = refillBag(state, ids, null, rng);
  const k = weightedIndex(
    bag.map((id) => frameWeight(state, id)),
    rng,
  );
  const frameId = bag[k >= 0 ? k : 0];
  let rest = bag.filter((id) => id !== frameId);
  if (rest.length === 0) rest = refillBag(state, ids, frameId, rng);
  return { state: { ...state, bags: { ...state.bags, [col]: rest } }, frameId };
}

/**
 * "Fewer like this": halves the frame's weight (floor 0.05) and takes it out of the current
 * round — unless it is the last frame left in a bag: an empty bag would be refilled without
 * knowing which frame was just shown, which could repeat it back to back.
 */
export function fewerLikeThis(state: SchedulerState, frameId: string): SchedulerState {
  const w = Math.max(MIN_FRAME_WEIGHT, frameWeight(state, frameId) * FEWER_FACTOR);
  const bags: Record<string, string[]> = {};
  for (const [k, b] of Object.entries(state.bags)) bags[k] = b.includes(frameId) && b.length > 1 ? b.filter((id) => id !== frameId) : b;
  return { ...state, bags, frameWeights: { ...state.frameWeights, [frameId]: w } };
}

/** Forgets every "fewer like this". */
export function resetFrameWeights(state: SchedulerState): SchedulerState {
  return { ...state, frameWeights: {} };
}
