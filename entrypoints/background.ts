import { route } from '@/utils/background/router';
import { servePort } from '@/utils/background/port-server';
import { WAKE_ALARM, applySettingsPatch, pushConfigs, scheduleWake } from '@/utils/background/message-handlers';
import { updateTab } from '@/utils/background/tabs';
import { injectIntoOpenTabs, syncCustomSites } from '@/utils/background/injection';
import { readUserSettings } from '@/utils/background/settings-db';
import { BREAK_ALARM, scheduleBreakWake } from '@/utils/background/feed-break';
import { maybeWelcome } from '@/utils/background/onboarding';
import { takePendingSites } from '@/utils/background/pending-sites';
import { devLog } from '@/utils/dev-log';

export default defineBackground(() => {
  // Listeners are registered synchronously at start-up so a message that wakes the worker is heard.
  // The answer goes through sendResponse + `return true`, which every browser the manifest admits
  // supports; a Promise returned from the listener is not answered by older Chromium (README:
  // "Why no webextension-polyfill").
  browser.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    void route(msg, sender).then(sendResponse, (err: unknown) => sendResponse({ ok: false, error: String(err) }));
    return true;
  });
  // Content scripts talk over one long-lived port each (utils/messaging/channel.ts).
  browser.runtime.onConnect.addListener(servePort);
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === WAKE_ALARM) {
      // A snooze ended, a quiet window closed, or a new day began: tell the tabs, plan the next wake.
      await pushConfigs();
      await scheduleWake();
    } else if (alarm.name === BREAK_ALARM) {
      // A feed's break is over: its tabs lift the cover (they also do on their own at that time).
      await pushConfigs();
      await scheduleBreakWake();
    }
  });
  browser.tabs.onRemoved.addListener((tabId) => void updateTab(tabId, null));
  // "Add this site" in the popup: the grant may arrive after the popup closed.
  browser.permissions.onAdded.addListener(async (perms) => {
    const origins = await takePendingSites(perms.origins ?? []);
    if (!origins.length) return;
    const { settings } = await readUserSettings();
    const added = origins.filter((o) => !settings.customSites.includes(o));
    if (added.length) await applySettingsPatch({ customSites: [...settings.customSites, ...added] });
  });
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    // First: a new person should not wait for the rest to see what they installed.
    // The welcome page is a courtesy: the rest of the install goes on without it.
    await maybeWelcome(reason).catch(devLog('welcome page'));
    await scheduleWake();
    const { settings } = await readUserSettings();
    await syncCustomSites(settings);
    // Only on install/update: then open tabs have no live content script of this version.
    if (reason === 'install' || reason === 'update') await injectIntoOpenTabs(settings);
  });
});
