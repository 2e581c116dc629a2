import { browser, type Browser } from 'wxt/browser';
import type { Message, MessageType, Responses } from './messages';

/** The name of the content script's long-lived port to the background (utils/background/port-server.ts). */
export const CHANNEL_NAME = 'stillframe/content';

/**
 * How long a message that nobody is waiting on (progress, a frame scrolled past, a decision's
 * windows) may wait for company before it goes: with the next message that cannot wait (a claim,
 * a frame placed), or after this long on its own — two port messages a frame instead of four,
 * and none of their own for progress while frames come. (Each is a call into the extension's
 * bindings and a trip to the worker; the bench could not see the two saved in its thread time:
 * docs/PERFORMANCE.md, sixth round.)
 */
export const LATER_MS = 2000;

type Req<T extends MessageType> = Extract<Message, { type: T }>;
type Answer = { ok: boolean; data?: unknown; error?: string };
/** One request with its number; the answer comes back with the same number (none for 0). */
export interface Envelope {
  id: number;
  msg: Message;
}
/** What goes over the port: the requests and notifications queued since the last post, in order. */
export type Batch = Envelope[];
export interface Reply {
  id: number;
  res: Answer;
}

interface Pending {
  msg: Message;
  resolve(data: unknown): void;
  reject(err: unknown): void;
  /** Sent again once already (over a new port after the old one closed). */
  retried?: boolean;
}

export interface ChannelOptions {
  onOrphaned?: () => void;
  /** The timer for LATER_MS (a content script's own, which stops when the script is invalidated). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

/**
 * The content script's requests to the background over one long-lived port instead of a
 * `runtime.sendMessage` per message: a one-off message opens and closes a message channel in the
 * renderer every time, a port opens one for the tab's life (npm run bench: the sends were the
 * largest single item of our main-thread time). Same contract as `send`: a typed request, the
 * background's answer, rejected on an error answer.
 *
 * Messages go out in batches, in the order they were made: a request (someone waits for its
 * answer) goes at once with whatever was waiting; what can wait (`later`) waits up to LATER_MS for
 * the next one. The background handles a batch's messages one after another, so a progress report
 * queued before a claim is counted before the claim is decided.
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
  private queue: Batch = [];
  private timer = false;
  private hurried = false;

  /** Public so that the shared content channel can be given the script's timers once they exist. */
  constructor(public opts: ChannelOptions = {}) {}

  /**
   * A request: someone waits for its answer, so it goes now with everything queued before it —
   * unless `later`: then it may wait up to LATER_MS for company (or until `flush`).
   */
  request<T extends MessageType>(msg: Req<T>, later = false): Promise<Responses[T]> {
    return new Promise<Responses[T]>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { msg, resolve: resolve as (d: unknown) => void, reject });
      this.enqueue({ id, msg }, later);
    });
  }

  /**
   * A message whose answer nobody waits for: no number, no answer, nothing kept; `later` as for
   * a request. If the port is found closed as it goes, it goes once more over a new one.
   */
  notify(msg: Message, later = false): void {
    this.enqueue({ id: 0, msg }, later);
  }

  /**
   * The page is being hidden or left: send what waits, and from now on nothing waits (a listener
   * after ours may still report something) until `hurry(false)`, when the page is back.
   */
  hurry(on: boolean): void {
    this.hurried = on;
    if (on) this.flush();
  }

  /** Sends everything queued now, in one port message. */
  flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.open().postMessage(batch);
    } catch (err) {
      // The port died between our last message and this one: `lost` sends it all again.
      this.port = null;
      this.lost(err, batch);
    }
  }

  /** Closes the port; unanswered requests are rejected, queued notifications dropped. */
  close(): void {
    const port = this.port;
    this.port = null;
    this.queue = [];
    try {
      port?.disconnect();
    } catch {
      /* already closed */
    }
    this.failAll(new Error('channel closed'));
  }

  private enqueue(env: Envelope, later: boolean): void {
    this.queue.push(env);
    if (!later || this.hurried) this.flush();
    else if (!this.timer) {
      this.timer = true;
      (this.opts.setTimeout ?? setTimeout)(() => {
        this.timer = false;
        this.flush();
      }, LATER_MS);
    }
  }

  private open(): Browser.runtime.Port {
    if (this.port) return this.port;
    const port = browser.runtime.connect({ name: CHANNEL_NAME });
    this.port = port;
    port.onMessage.addListener((reply: Reply) => {
      const p = this.pending.get(reply?.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.res?.ok === true) p.resolve(reply.res.data);
      else p.reject(new Error(reply.res?.error || 'no answer'));
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.port = null;
      this.lost(new Error('port closed'));
    });
    return port;
  }

  /**
   * The port closed: resend each unanswered request once over a new one (and the notifications
   * of a batch that could not be posted), or give up when orphaned. Requests still queued go with the queue.
   */
  private lost(err: unknown, failed: Batch = []): void {
    if (!browser.runtime?.id) {
      this.failAll(err);
      this.opts.onOrphaned?.();
      return;
    }
    const again = failed.filter((e) => e.id === 0);
    for (const [id, p] of [...this.pending]) {
      if (this.queue.some((e) => e.id === id)) continue;
      if (p.retried) {
        this.pending.delete(id);
        p.reject(err);
      } else {
        p.retried = true;
        again.push({ id, msg: p.msg });
      }
    }
    if (!again.length) return;
    try {
      this.open().postMessage(again);
    } catch (e) {
      for (const { id } of again) {
        this.pending.get(id)?.reject(e);
        this.pending.delete(id);
      }
    }
  }

  private failAll(err: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
