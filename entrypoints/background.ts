import { route } from '@/utils/background/router';
import { WAKE_ALARM, pushConfigs, scheduleWake } from '@/utils/background/message-handlers';
import { updateTab } from '@/utils/background/tabs';
import { injectIntoOpenTabs, syncCustomSites } from '@/utils/background/injection';
import { readUserSettings } from '@/utils/background/settings-db';

export default defineBackground(() => {
  // Listeners are registered synchronously at start-up so a message that wakes the worker is heard.
  browser.runtime.onMessage.addListener((msg, sender) => route(msg, sender));
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
