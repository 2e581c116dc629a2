import { CONTENT_MATCHES } from '@/utils/feeds/registry';
import { ContentController } from '@/utils/content/controller';

export default defineContentScript({
  matches: CONTENT_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    try {
      new ContentController(ctx).start();
    } catch {
      // Never let our failure become the page's failure.
    }
  },
});
