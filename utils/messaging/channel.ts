import { browser, type Browser } from 'wxt/browser';
import type { Message, MessageType, Responses } from './messages';

/** The name of the content script's long-lived port to the background (utils/background/port-server.ts). */
export const CHANNEL_NAME = 'stillframe/content';

type Req<T extends MessageType> = Extract<Message, { type: T }>;
type Answer = { ok: boolean; data?: unknown; error?: string };
/** What goes over the port: a request with its number; the answer comes back with the same number (none for 0). */
export interface Envelope {
  id: number;
  msg: Message;
}
export interface Reply {
  id: number;
  res: Answer;
}

interface Pending {
  msg: Message;
  resolve(data: unknown): void;
  reject(err: Error): void;
  /** Sent again once already (over a new port after the old one closed). */
  retried: boolean;
}

/**
 * The content script's requests to the background over one long-lived port instead of a
 * `runtime.sendMessage` per message: a one-off message opens and closes a message channel in the
 * renderer every time, a port opens one for the tab's life (npm run bench: the sends were the
 * largest single item of our main-thread time). Same contract as `send`: a typed request, the
 * background's answer, rejected on an error answer.
 *
 * The MV3 worker closes the port when it stops (idle, or killed): requests still unanswered then
 * are sent once more over a new port (which starts a fresh worker), like `send` retries once. The
 * port is opened lazily, so a quiet tab never wakes the worker. A closed port after the extension
 * was reloaded or removed (no runtime id) means this content script is orphaned: `onOrphaned`.
 */
export class Channel {
  private port: Browser.runtime.Port | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(private opts: { onOrphaned?: () => void; connect?: () => Browser.runtime.Port } = {}) {}

  request<T extends MessageType>(msg: Req<T>): Promise<Responses[T]> {
    return new Promise<Responses[T]>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { msg, resolve: resolve as (d: unknown) => void, reject, retried: false });
      this.post({ id, msg });
    });
  }

  /**
   * A message whose answer nobody waits for (progress): no number, no answer, nothing kept. If
   * the port is found closed as it goes, it goes once more over a new one.
   */
  notify(msg: Message): void {
    try {
      this.open().postMessage({ id: 0, msg } satisfies Envelope);
    } catch {
      this.port = null;
      try {
        if (browser.runtime?.id) this.open().postMessage({ id: 0, msg } satisfies Envelope);
      } catch {
        /* the extension is gone */
      }
    }
  }

  /** Closes the port; unanswered requests are rejected. */
  close(): void {
    const port = this.port;
    this.port = null;
    try {
      port?.disconnect();
    } catch {
      /* already closed */
    }
    this.failAll(new Error('channel closed'));
  }

  private post(env: Envelope): void {
    try {
      this.open().postMessage(env);
    } catch (err) {
      // The port died between our last message and this one: the disconnect handler retries.
      this.port = null;
      this.lost(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private open(): Browser.runtime.Port {
    if (this.port) return this.port;
    const port = this.opts.connect ? this.opts.connect() : browser.runtime.connect({ name: CHANNEL_NAME });
    this.port = port;
    port.onMessage.addListener((reply: Reply) => {
      const p = this.pending.get(reply?.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.res?.ok === true) p.resolve(reply.res.data);
      else p.reject(new Error(reply.res?.error ?? 'No answer from the background'));
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.port = null;
      // Read here, or Chrome logs "Unchecked runtime.lastError: Could not establish connection…"
      // in the page's console whenever the worker was gone as we connected (scheduler.spec caught
      // it, stopping the worker mid-scroll); used, so the bundler cannot drop the read.
      this.lost(new Error((browser.runtime as { lastError?: { message?: string } }).lastError?.message ?? 'port closed'));
    });
    return port;
  }

  /** The port closed: resend each unanswered request once over a new one, or give up when orphaned. */
  private lost(err: Error): void {
    if (!browser.runtime?.id) {
      this.failAll(err);
      this.opts.onOrphaned?.();
      return;
    }
    for (const [id, p] of [...this.pending]) {
      if (p.retried) {
        this.pending.delete(id);
        p.reject(err);
        continue;
      }
      p.retried = true;
      try {
        this.open().postMessage({ id, msg: p.msg });
      } catch (e) {
        this.pending.delete(id);
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
