import { browser } from 'wxt/browser';
import type { Message, MessageType, Responses } from './messages';

/**
 * The sending half of utils/messaging/messages.ts (which re-exports it), on its own so that the content
 * script can talk to the background without bundling the message schema (valibot): validation
 * happens in the background, the side that must not trust its input.
 */
type Req<T extends MessageType> = Extract<Message, { type: T }>;

/** Typed request/response to the background. Rejects if the background answered with an error. */
export async function send<T extends MessageType>(msg: Req<T>): Promise<Responses[T]> {
  let res: { ok: boolean; data?: Responses[T]; error?: string; code?: string } | undefined;
  try {
    res = (await browser.runtime.sendMessage(msg)) as typeof res;
  } catch (err) {
    // The MV3 worker was being stopped as we spoke ("receiving end does not exist", "port
    // closed"): the next message starts a fresh one, so try once more — unless we are orphaned.
    if (!browser.runtime?.id) throw err;
    await new Promise((r) => setTimeout(r, 150));
    res = (await browser.runtime.sendMessage(msg)) as typeof res;
  }
  if (!res || res.ok !== true) throw new SendError(res?.error || 'No answer from the background', res?.code);
  return res.data as Responses[T];
}

/** The background's refusal: its words, and a code (e.g. 'storage-full') a page can say in its own language. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}
