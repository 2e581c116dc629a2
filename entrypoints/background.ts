import { route } from '@/utils/background/router';
import { WAKE_ALARM, pushConfigs, scheduleWake } from '@/utils/background/message-handlers';
import { updateTab } from '@/utils/background/tabs';
import { injectIntoOpenTabs, syncCustomSites } from '@/utils/background/injection';
import { readUserSettings } from '@/utils/background/settings-db';

export default defineBackground(() => {
  // Listeners are registered synchronously at start-up so a message that wakes the worker is heard.
  // The answer goes through sendResponse + `return true`, which every browser the manifest admits
  // supports; a Promise returned from the listener is not answered by older Chromium (README:
  // "Why no webextension-polyfill").
  browser.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    void route(msg, sender).then(sendResponse, (err: unknown) => sendResponse({ ok: false, error: String(err) }));
    return true;
  });
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== WAKE_ALARM) return;
    // A snooze ended, a quiet window closed, or a new day began: tell the tabs, plan the next wake.
    await pushConfigs();
    await scheduleWake();
  });
  browser.tabs.onRemoved.addListener((tabId) => void updateTab(tabId, null));
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    await scheduleWake();
    const { settings } = await readUserSettings();
    await syncCustomSites(settings);
    // Only on install/update: then open tabs have no live content script of this version.
    if (reason === 'install' || reason === 'update') await injectIntoOpenTabs(settings);
  });
});
