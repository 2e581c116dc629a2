import { describe, expect, it } from 'vitest';
import { siteState } from '@/utils/storage/site-state';
import { blockedReason } from '@/utils/schedule/gates';
import { initialState } from '@/utils/schedule/scheduler-state';
import { describeCadence } from '@/utils/pages/cadence-preview';
import { siteSwitch } from '@/components/ui/settings-helpers';
import { plain, UTC, at } from './schedule-helpers';

/**
 * One rule for "is this site on": the scheduler's gate, the options/popup switch and the preview
 * sentence all read utils/storage/site-state.ts, so they can no longer disagree. Every
 * combination of the global switch, the site's own entry and "was this site added" is checked
 * against all of them.
 */
const KEYS = ['reddit', 'custom:example.org', 'mastodon:social.example', 'custom:never-added.example'];
const combos = KEYS.flatMap((key) => [true, false].flatMap((global) => [undefined, true, false].map((explicit) => ({ key, global, explicit }))));

describe('siteState', () => {
  it.each(combos)('$key, global $global, site entry $explicit: gate, switch and preview agree', ({ key, global, explicit }) => {
    const settings = plain({ enabled: global, customSites: ['https://example.org', 'https://social.example'] });
    if (explicit !== undefined) settings.sites[key] = { enabled: explicit };
    const s = siteState(settings, key);
    const added = key !== 'custom:never-added.example';
    expect(s.switchOn).toBe(added && explicit !== false);
    expect(s.on).toBe(global && added && explicit !== false);
    expect(siteSwitch(settings, key)).toBe(s.switchOn);
    const blocked = blockedReason(settings, initialState(at(0, 12), UTC), key, at(0, 12), UTC);
    if (s.on) expect(blocked).toBeNull();
    else expect(blocked?.reason).toBe(global ? 'site-off' : 'disabled');
    const preview = describeCadence(settings, key).key;
    if (!global) expect(preview).toBe('schedule.preview.disabled');
    else if (!s.switchOn) expect(preview).toBe('schedule.preview.siteOff');
    else expect(preview).not.toMatch(/disabled|siteOff/);
  });

  it('names why a site is off, in the order the rule checks', () => {
    const settings = plain({ enabled: false });
    expect(siteState(settings, 'custom:x.example').reason).toBe('disabled');
    settings.enabled = true;
    expect(siteState(settings, 'custom:x.example').reason).toBe('not-added');
    settings.sites.reddit = { enabled: false };
    expect(siteState(settings, 'reddit').reason).toBe('site-off');
    expect(siteState(settings, 'x').reason).toBeNull();
  });
});
