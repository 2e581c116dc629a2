import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Host permissions are the supported feeds only; anything else is asked for at run time
// through optional_host_permissions (see utils/feeds/registry.ts for the list).
export default defineConfig({
  manifestVersion: 3,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'stillframe@stillframe.app', strict_min_version: '128.0' } } }
      : {}),
  }),
});
