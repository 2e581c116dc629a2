/**
 * The messaging contract for extension pages: the typed union and its schema (messages.ts) and
 * the sender (send.ts). The content script imports send.ts directly so that valibot's schemas
 * stay out of the script that runs on every feed page.
 */
export * from './messages';
export { send } from './send';
