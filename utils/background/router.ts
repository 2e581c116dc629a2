import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import { MessageSchema, CONTENT_MESSAGES, type Message } from '@/utils/messaging/messages';
import { handlers, type HandlerCtx } from './message-handlers';
import { logEvent } from '@/utils/storage/events';

type Sender = Browser.runtime.MessageSender;

/** Dropped messages are counted (and visible in the options page's data section). */
async function countDrop(reason: string): Promise<void> {
  await logEvent({ ts: Date.now(), type: 'message-dropped', detail: reason.slice(0, 200) });
}

export function isExtensionPage(sender: Sender): boolean {
  const base = browser.runtime.getURL('/');
  return typeof sender.url === 'string' && sender.url.startsWith(base);
}

/**
 * Accepts a message only if it validates against the one union and comes from the right
 * kind of sender: content messages from a tab's content script, page messages from our
 * own extension pages. Anything else is dropped, counted, and answered with an error.
 */
export async function route(raw: unknown, sender: Sender): Promise<{ ok: true; data: unknown } | { ok: false; error: string }> {
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
  try {
    const handler = handlers[msg.type] as (m: Message, c: HandlerCtx) => Promise<unknown>;
    // A private (incognito) window's tab is never logged: not in a study, not in Insights.
    const data = await handler(msg, { tabId: fromContent ? sender.tab!.id! : null, incognito: sender.tab?.incognito === true });
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
