import type { Settings } from '@/utils/storage/settings';
import { isCuratedCollectionId } from '@/utils/frames/library';
import type { Scalar } from './types';
import { studySite, utcOffsetMin } from './rows';

/**
 * The settings_snapshots rows: all settings at enrolment and after every change, so a reviewer
 * sees the dose each participant really had — the participant's own settings and the ones the
 * scheduler used with the arm on top. Pure.
 */

/**
 * Settings with nothing that could name a person or a place: added sites and Mastodon servers
 * become counts ("custom", "mastodon"), the participant's own collections become a count, and
 * the list of added origins a number. Everything that shapes the dose stays as it is.
 */
export function sanitiseSettings(s: Settings): Record<string, unknown> {
  const sites: Record<string, unknown> = {};
  const grouped: Record<string, { count: number; on: number }> = {};
  for (const [key, site] of Object.entries(s.sites)) {
    const k = studySite(key);
    if (k !== key) {
      const g = (grouped[k] ??= { count: 0, on: 0 });
      g.count++;
      if (site.enabled) g.on++;
    } else
      sites[k] = {
        enabled: site.enabled,
        ...(site.everyPosts !== undefined ? { everyPosts: site.everyPosts } : {}),
        ...(site.collections?.length ? { collections: site.collections.length } : {}),
      };
  }
  for (const [k, g] of Object.entries(grouped)) sites[k] = g;
  const collections: Record<string, unknown> = {};
  let own = 0;
  for (const [id, pref] of Object.entries(s.collections)) {
    if (isCuratedCollectionId(id)) collections[id] = { enabled: pref.enabled, weight: pref.weight };
    else own++;
  }
  if (own > 0) collections.own = { count: own };
  return {
    enabled: s.enabled,
    cadence: { ...s.cadence },
    schedule: structuredClone(s.schedule),
    sites,
    collections,
    wordLanguages: s.wordLanguages === 'auto' ? 'auto' : [...s.wordLanguages],
    breakMinutes: s.breakMinutes,
    stoppingPoint: { ...s.stoppingPoint },
    locale: s.locale,
    gentleHold: s.gentleHold,
    addedSites: s.customSites.length,
    compareWithSkips: s.compareWithSkips,
  };
}

/** A settings_snapshots row: the participant's own (sanitised) settings and the dose actually applied. */
export function buildSnapshotRow(x: {
  snapshotId: string;
  at: number;
  event: string;
  own: Settings;
  effective: Settings;
  pShow: number;
}): Record<string, Scalar> {
  return {
    snapshot_id: x.snapshotId,
    recorded_at: x.at,
    utc_offset_min: utcOffsetMin(x.at),
    event: x.event,
    p_show: x.pShow,
    own_settings_json: JSON.stringify(sanitiseSettings(x.own)),
    effective_settings_json: JSON.stringify(sanitiseSettings(x.effective)),
  };
}
