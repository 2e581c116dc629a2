import { ContentController } from '@/utils/content/controller';
import { swallowed } from '@/utils/dev-log';

export default defineContentScript({
  // The registry's CONTENT_MATCHES, put in at build time (wxt.config.ts, 'entrypoints:resolved'):
  // the list, and the registry code that makes it, are not needed in the script itself, which every
  // feed page runs (npm run bench: the 15 KB budget).
  matches: [],
  runAt: 'document_idle',
  // WXT otherwise also announces each start with window.postMessage, which every script on the
  // page can read (and it names our extension id); its same-document CustomEvent is enough to
  // stop an older copy of this script after an update.
  noScriptStartedPostMessage: true,
  main(ctx) {
    try {
      new ContentController(ctx).start();
    } catch (err) {
      // Never let our failure become the page's failure.
      swallowed('content script start', err);
    }
  },
});
