import { CONTENT_MATCHES } from '@/utils/feeds/registry';
import { ContentController } from '@/utils/content/controller';
import { swallowed } from '@/utils/dev-log';

export default defineContentScript({
  matches: CONTENT_MATCHES,
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
