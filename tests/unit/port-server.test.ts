import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { servePort } from '@/utils/background/port-server';
import { writeUserSettings } from '@/utils/background/settings-db';
import { CHANNEL_NAME, type Envelope, type Reply } from '@/utils/messaging/channel';
import { DEFAULT_SETTINGS, mergeSettings } from '@/utils/storage/settings';

/** The background's end of a content script's port, fed one batch as the channel sends it. */
function contentPort() {
  const listeners: Array<(m: unknown) => void> = [];
  const replies: Reply[] = [];
  const port = {
    name: CHANNEL_NAME,
    sender: { id: fakeBrowser.runtime.id, url: 'http://127.0.0.1/demo.html', tab: { id: 7 } },
    onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) },
    onDisconnect: { addListener: () => {} },
    postMessage: (r: Reply) => replies.push(r),
  };
  servePort(port as never);
  return { send: (batch: Envelope[]) => listeners.forEach((l) => l(batch)), replies };
}

describe('the background end of the content port', () => {
  it('handles a batch in its order: progress queued before a claim is counted before the claim is decided', async () => {
    await writeUserSettings(mergeSettings(DEFAULT_SETTINGS, { stoppingPoint: { enabled: true, posts: 30 } }));
    const port = contentPort();
    port.send([
      { id: 0, msg: { type: 'frame/placed', ticketId: 'none', siteKey: 'demo' } }, // a notification: no answer
      { id: 1, msg: { type: 'posts/progress', siteKey: 'demo', posts: 30, activeMs: 1000 } },
      { id: 2, msg: { type: 'stop/claim', siteKey: 'demo', unsent: 0 } },
    ]);
    await expect.poll(() => port.replies.length).toBe(2);
    expect(port.replies.map((r) => r.id)).toEqual([1, 2]);
    expect(port.replies[1].res).toEqual({ ok: true, data: { show: true, posts: 30 } });
  });

  it('answers a message it refuses with an error, and goes on with the rest of the batch', async () => {
    const port = contentPort();
    port.send([
      { id: 1, msg: { type: 'posts/progress', siteKey: 'demo', posts: -5, activeMs: 0 } as never },
      { id: 2, msg: { type: 'ticket/request', siteKey: 'demo' } },
    ]);
    await expect.poll(() => port.replies.length).toBe(2);
    expect(port.replies[0].res.ok).toBe(false);
    expect(port.replies[1].res.ok).toBe(true);
  });
});
