import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings, validateSettingsImport, type Settings } from '@/utils/storage/settings';
import { eligibleCandidates } from '@/utils/schedule/frame-choice';
import { siteCollectionChoice, siteCollectionsPatch, usesAllCollections } from '@/components/options/site-collections';

const KNOWN = ['still', 'words', 'breath', 'questions', 'user-collection:a'];
const base = (sites: Settings['sites'] = {}): Settings => ({ ...structuredClone(DEFAULT_SETTINGS), sites });

/** Applies a patch the way the background does (merge, then strict validation). */
function apply(settings: Settings, patch: ReturnType<typeof siteCollectionsPatch>): Settings {
  expect(patch).not.toBeNull();
  const checked = validateSettingsImport(mergeSettings(settings, patch as never));
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  return checked.settings;
}

describe('per-site collections', () => {
  it('shows a site without a list as every collection ticked', () => {
    const s = base();
    expect([...siteCollectionChoice(s, 'x', KNOWN)]).toEqual(KNOWN);
    expect(usesAllCollections(s, 'x')).toBe(true);
  });

  it('unticking one from "all" lists the others, for a site that had no entry (keeping it on)', () => {
    const s = base();
    const patch = siteCollectionsPatch(s, 'reddit', KNOWN, 'words', false);
    expect(patch).toEqual({ sites: { reddit: { enabled: true, collections: ['still', 'breath', 'questions', 'user-collection:a'] } } });
    const next = apply(s, patch);
    expect(usesAllCollections(next, 'reddit')).toBe(false);
    expect(siteCollectionChoice(next, 'reddit', KNOWN).has('words')).toBe(false);
  });

  it('keeps the site’s switch and every-N override', () => {
    const s = base({ x: { enabled: false, everyPosts: 40 } });
    const next = apply(s, siteCollectionsPatch(s, 'x', KNOWN, 'still', false));
    expect(next.sites.x).toEqual({ enabled: false, everyPosts: 40, collections: ['words', 'breath', 'questions', 'user-collection:a'] });
  });

  it('ticks one into a list, in the known order, and back to "all" when every one is ticked', () => {
    let s = base({ x: { enabled: true, collections: ['user-collection:a'] } });
    s = apply(s, siteCollectionsPatch(s, 'x', KNOWN, 'still', true));
    expect(s.sites.x.collections).toEqual(['still', 'user-collection:a']);
    for (const id of ['words', 'breath']) s = apply(s, siteCollectionsPatch(s, 'x', KNOWN, id, true));
    expect(s.sites.x.collections).toEqual(['still', 'words', 'breath', 'user-collection:a']);
    s = apply(s, siteCollectionsPatch(s, 'x', KNOWN, 'questions', true));
    expect(s.sites.x.collections).toEqual([]);
    expect(usesAllCollections(s, 'x')).toBe(true);
  });

  it('refuses to untick the last one (an empty list would mean all)', () => {
    const s = base({ x: { enabled: true, collections: ['breath'] } });
    expect(siteCollectionsPatch(s, 'x', KNOWN, 'breath', false)).toBeNull();
  });

  it('keeps ids it does not know (a collection the page could not read)', () => {
    const s = base({ x: { enabled: true, collections: ['user-collection:gone', 'still'] } });
    expect([...siteCollectionChoice(s, 'x', KNOWN)]).toEqual(['still']);
    const next = apply(s, siteCollectionsPatch(s, 'x', KNOWN, 'words', true));
    expect(next.sites.x.collections).toEqual(['user-collection:gone', 'still', 'words']);
  });

  it('is what the scheduler honours', () => {
    const s = apply(base(), siteCollectionsPatch(base(), 'x', ['still', 'words'], 'words', false));
    const candidates = [
      { id: 'still:1', collectionId: 'still' },
      { id: 'words:1', collectionId: 'words' },
    ];
    expect(eligibleCandidates(s, 'x', candidates).map((c) => c.id)).toEqual(['still:1']);
    expect(eligibleCandidates(s, 'reddit', candidates).map((c) => c.id)).toEqual(['still:1', 'words:1']);
  });
});
