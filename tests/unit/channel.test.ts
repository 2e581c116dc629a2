import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Channel, type Envelope } from '@/utils/messaging/channel';

/**
 * A port as the browser hands one out: messages posted by the content script are queued for the
 * "background" below, which answers them or closes the port (the MV3 worker stopping).
 */
function fakePortFactory() {
  const ports: Array<{ sent: Envelope[]; answer(id: number, data: unknown, ok?: boolean): void; close(): void; closed: boolean }> = [];
  const connect = () => {
    const msgListeners: Array<(m: unknown) => void> = [];
    const discListeners: Array<() => void> = [];
    const p = {
      sent: [] as Envelope[],
      closed: false,
      answer(id: number, data: unknown, ok = true) {
        for (const l of msgListeners) l({ id, res: ok ? { ok: true, data } : { ok: false, error: String(data) } });
      },
      close() {
        p.closed = true;
        for (const l of discListeners) l();
      },
    };
    ports.push(p);
    return {
      name: 'stillframe/content',
      postMessage(m: Envelope) {
        if (p.closed) throw new Error('Attempting to use a disconnected port object');
        p.sent.push(m);
      },
      disconnect() {
        p.closed = true;
      },
      onMessage: { addListener: (l: (m: unknown) => void) => msgListeners.push(l) },
      onDisconnect: { addListener: (l: () => void) => discListeners.push(l) },
    } as never;
  };
  return { ports, connect };
}

describe('Channel (one long-lived port to the background)', () => {
  it('opens one port lazily and matches each answer to its request', async () => {
    const { ports, connect } = fakePortFactory();
    const ch = new Channel({ connect });
    expect(ports).toHaveLength(0); // a quiet tab never wakes the worker
    const a = ch.request({ type: 'ticket/request', siteKey: 'demo' });
    const b = ch.request({ type: 'frame/ui' });
    expect(ports).toHaveLength(1);
    const [ea, eb] = ports[0].sent;
    expect(ea.msg.type).toBe('ticket/request');
    ports[0].answer(eb.id, { ok: true });
    ports[0].answer(ea.id, { ticket: null });
    await expect(a).resolves.toEqual({ ticket: null });
    await expect(b).resolves.toEqual({ ok: true });
  });

  it('rejects an error answer like send() does', async () => {
    const { ports, connect } = fakePortFactory();
    const ch = new Channel({ connect });
    const a = ch.request({ type: 'frame/ui' });
    ports[0].answer(ports[0].sent[0].id, 'frame/ui needs a tab', false);
    await expect(a).rejects.toThrow('frame/ui needs a tab');
  });

  it('sends an unanswered request once more over a new port when the worker closes the old one, and gives up after that', async () => {
    fakeBrowser.runtime.id = 'test-extension';
    const { ports, connect } = fakePortFactory();
    const ch = new Channel({ connect });
    const a = ch.request({ type: 'ticket/claim', ticketId: 't1', siteKey: 'demo' });
    ports[0].close(); // the worker stopped before answering
    expect(ports).toHaveLength(2);
    expect(ports[1].sent.map((e) => e.msg.type)).toEqual(['ticket/claim']);
    const id = ports[1].sent[0].id;
    ports[1].close(); // and again: no third try
    await expect(a).rejects.toThrow();
    expect(ports).toHaveLength(2);
    expect(id).toBe(ports[0].sent[0].id);
  });

  it('notifications carry no number and wait for nothing; a closed port is replaced as one goes', () => {
    fakeBrowser.runtime.id = 'test-extension';
    const { ports, connect } = fakePortFactory();
    const ch = new Channel({ connect });
    ch.notify({ type: 'posts/progress', siteKey: 'demo', posts: 20, activeMs: 900 });
    expect(ports[0].sent).toEqual([{ id: 0, msg: { type: 'posts/progress', siteKey: 'demo', posts: 20, activeMs: 900 } }]);
    ports[0].closed = true; // closed without our noticing yet
    ch.notify({ type: 'posts/progress', siteKey: 'demo', posts: 20, activeMs: 800 });
    expect(ports).toHaveLength(2);
    expect(ports[1].sent.map((e) => e.msg)).toEqual([{ type: 'posts/progress', siteKey: 'demo', posts: 20, activeMs: 800 }]);
  });

  it('an orphaned content script (the extension was reloaded) stops: pending requests fail, onOrphaned is called', async () => {
    const { ports, connect } = fakePortFactory();
    let orphaned = 0;
    const ch = new Channel({ connect, onOrphaned: () => orphaned++ });
    const a = ch.request({ type: 'frame/ui' });
    fakeBrowser.runtime.id = undefined as never;
    ports[0].close();
    await expect(a).rejects.toThrow();
    expect(orphaned).toBe(1);
    expect(ports).toHaveLength(1);
    fakeBrowser.runtime.id = 'test-extension';
  });
});
