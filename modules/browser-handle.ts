import { addViteConfig, defineWxtModule } from 'wxt/modules';
import { resolve } from 'node:path';

/**
 * Every `browser` in the build — ours and WXT's own (`wxt/browser` re-exports
 * `@wxt-dev/browser`) — comes from utils/messaging/browser-api.ts, which never takes a page element
 * named "browser" for the extension API (DOM clobbering, issue #19; see that file).
 */
export default defineWxtModule({
  name: 'stillframe:browser-handle',
  setup(wxt) {
    const handle = resolve(wxt.config.root, 'utils', 'messaging', 'browser-api.ts');
    addViteConfig(wxt, () => ({ resolve: { alias: [{ find: /^@wxt-dev\/browser$/, replacement: handle }] } }));
  },
});
