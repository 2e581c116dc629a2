import type { Browser } from 'wxt/browser';
import { CHANNEL_NAME, type Envelope, type Reply } from '@/utils/messaging/channel';
import { route } from './router';

/**
 * The background's end of each content script's long-lived port (utils/messaging/channel.ts):
 * every request goes through the same `route` as a one-off message — the same schema, the same
 * sender checks (a port's sender is the tab's content script, as for sendMessage) — and its
 * answer goes back with the request's number.
 */
export function servePort(port: Browser.runtime.Port): void {
  if (port.name !== CHANNEL_NAME || !port.sender) return;
  const sender = port.sender;
  port.onMessage.addListener((env: Envelope) => {
    // 0: a notification (progress); nobody waits for its answer.
    const id = typeof env?.id === 'number' && env.id > 0 ? env.id : null;
    void route(env?.msg, sender).then((res) => {
      if (id === null) return;
      try {
        port.postMessage({ id, res } satisfies Reply);
      } catch {
        /* the tab went away while we worked */
      }
    });
  });
}
