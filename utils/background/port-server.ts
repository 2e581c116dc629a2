import type { Browser } from 'wxt/browser';
import { type Batch, CHANNEL_NAME, type Envelope, type Reply } from '@/utils/messaging/channel';
import { errorText, route } from './router';

/**
 * The background's end of each content script's long-lived port (utils/messaging/channel.ts):
 * every request goes through the same `route` as a one-off message — the same schema, the same
 * sender checks (a port's sender is the tab's content script, as for sendMessage) — and its
 * answer goes back with the request's number. A batch's messages are handled in order.
 */
export function servePort(port: Browser.runtime.Port): void {
  if (port.name !== CHANNEL_NAME || !port.sender) return;
  const sender = port.sender;
  port.onMessage.addListener((batch: Batch | Envelope) => {
    const list = Array.isArray(batch) ? batch : [batch];
    // A batch's messages one after another: a progress report queued before a claim is counted
    // before the claim is decided. Batches are independent (a frame UI being injected does not hold up a claim).
    void (async () => {
      for (const env of list) {
        // 0: a notification (a frame placed or scrolled past); nobody waits for its answer.
        const id = typeof env?.id === 'number' && env.id > 0 ? env.id : null;
        let res: Reply['res'];
        try {
          res = await route(env?.msg, sender);
        } catch (err) {
          res = { ok: false, error: errorText(err) };
        }
        if (id === null) continue;
        try {
          port.postMessage({ id, res } satisfies Reply);
        } catch {
          /* the tab went away while we worked */
        }
      }
    })();
  });
}
