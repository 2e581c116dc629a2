import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import { MessageSchema, CONTENT_MESSAGES, type Message } from '@/utils/messaging/messages';
import { handlers, type HandlerCtx } from './message-handlers';
import { logEvent } from '@/utils/storage/events';
import { TabRateLimiter } from './rate-limit';
import { isStorageFullError, StorageFullError } from '@/utils/storage/quota';

type Sender = Browser.runtime.MessageSender;

/** Dropped messages are counted (and visible in the options page's data section). */
async function countDrop(reason: string, count = 1): Promise<void> {
  await logEvent({ ts: Date.now(), type: 'message-dropped', detail: reason.slice(0, 200), ...(count !== 1 ? { value: count } : {}) });
}

/** What each tab may report per minute (rate-limit.ts); in the worker's memory. */
const limiter = new TabRateLimiter();

export function isExtensionPage(sender: Sender): boolean {
  const base = browser.runtime.getURL('/');
  return typeof sender.url === 'string' && sender.url.startsWith(base);
}

/**
 * Accepts a message only if it validates against the one union and comes from the right
 * kind of sender: content messages from a tab's content script, page messages from our
 * own extension pages. Anything else is dropped, counted, and answered with an error.
 */
export async function route(raw: unknown, sender: Sender): Promise<{ ok: true; data: unknown } | { ok: false; error: string; code?: string }> {
  if (sender.id !== browser.runtime.id) {
    await countDrop('foreign-sender');
    return { ok: false, error: 'unknown sender' };
  }
  const parsed = v.safeParse(MessageSchema, raw);
  if (!parsed.success) {
    const type = (raw as { type?: unknown })?.type;
    await countDrop(`invalid:${typeof type === 'string' ? type : typeof raw}`);
    return { ok: false, error: `invalid message: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? 'message'}: ${i.message}`).join('; ')}` };
  }
  const msg: Message = parsed.output;
  const fromPage = isExtensionPage(sender);
  const fromContent = !fromPage && sender.tab?.id !== undefined;
  if (CONTENT_MESSAGES.has(msg.type) ? !fromContent : !fromPage) {
    await countDrop(`wrong-sender:${msg.type}`);
    return { ok: false, error: `${msg.type} is not accepted from this sender` };
  }
  if (fromContent) {
    const report = msg.type === 'posts/progress' ? { posts: msg.posts, activeMs: msg.activeMs } : {};
    const verdict = limiter.check(sender.tab!.id!, report, Date.now(), (n) => void countDrop('rate:more', n));
    if (!verdict.ok) {
      if (verdict.first) await countDrop(`rate:${verdict.reason}:${msg.type}`);
      return { ok: false, error: `too many reports from this tab (${verdict.reason})` };
    }
  }
  try {
    const handler = handlers[msg.type] as (m: Message, c: HandlerCtx) => Promise<unknown>;
    // A private (incognito) window's tab is never logged: not in a study, not in Insights.
    const data = await handler(msg, { tabId: fromContent ? sender.tab!.id! : null, incognito: sender.tab?.incognito === true });
    return { ok: true, data };
  } catch (err) {
    // A full disk says so in words, with a code the page can put in its own language.
    return isStorageFullError(err) ? { ok: false, error: errorText(err), code: 'storage-full' } : { ok: false, error: errorText(err) };
  }
}

/**
 * A readable error for the sender, never an empty string: Chromium's QuotaExceededError from
 * IndexedDB comes with an empty message (the options page showed `{ ok: false, error: "" }`).
 */
export function errorText(err: unknown): string {
  if (isStorageFullError(err)) return err instanceof StorageFullError ? err.message : new StorageFullError().message;
  const e = err as { message?: unknown; name?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message.trim() : '';
  if (message) return message;
  const name = typeof e?.name === 'string' && e.name ? e.name : '';
  return name || String(err) || 'unknown error';
}
