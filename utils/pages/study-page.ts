import { browser } from 'wxt/browser';
import { send } from '@/utils/messaging';
import { buildExport, exportFileName, zipExport } from '@/utils/study/export';
import type { StudyExportData, StudyStatus } from '@/utils/study/types';
import { swallowed } from '@/utils/dev-log';

/**
 * Extension-page side of the export (options → Study): the background hands over the rows,
 * the page builds the zip (pure builder + fflate) and saves it, or — only on the participant's
 * click, only when the protocol names an endpoint and they agreed to it — posts it there.
 */
export async function makeExportZip(): Promise<{ data: StudyExportData; bytes: Uint8Array; fileName: string }> {
  const data = await send({ type: 'study/export' });
  const built = buildExport(data);
  return { data, bytes: zipExport(built, data.exportedAt), fileName: exportFileName(data) };
}

/** https://collector.example.org/path → { origin, host, pattern } for the permission request. */
export function endpointTarget(endpoint: string): { origin: string; host: string; pattern: string } | null {
  try {
    const u = new URL(endpoint);
    if (u.protocol !== 'https:' || u.username || u.password) return null;
    return { origin: u.origin, host: u.host, pattern: `${u.origin}/*` };
  } catch {
    return null;
  }
}

export type UploadResult =
  | { ok: true; host: string }
  | { ok: false; reason: 'no-endpoint' | 'no-consent' | 'denied' | 'failed'; error?: string; host?: string };

/**
 * "Send to researcher": asks for the endpoint's origin at click time (optional_host_permissions
 * covers https://*), then POSTs the zip. Call it straight from the click handler, with the status the page already shows.
 */
export async function sendToResearcher(status: Pick<StudyStatus, 'protocol' | 'uploadConsent'>): Promise<UploadResult> {
  const endpoint = status.protocol?.endpoint;
  const target = endpoint ? endpointTarget(endpoint) : null;
  if (!endpoint || !target) return { ok: false, reason: 'no-endpoint' };
  if (!status.uploadConsent) return { ok: false, reason: 'no-consent', host: target.host };
  // First thing after the click, so the browser still sees the user's gesture.
  const granted = await browser.permissions.request({ origins: [target.pattern] }).catch((err) => (swallowed('endpoint permission request', err), false));
  if (!granted) return { ok: false, reason: 'denied', host: target.host };
  try {
    const { data, bytes, fileName } = await makeExportZip();
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/zip',
        'x-stillframe-study': data.enrolment.protocol.studyId,
        'x-stillframe-participant': data.enrolment.participantId,
        'x-stillframe-file': fileName,
      },
      body: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) return { ok: false, reason: 'failed', error: `HTTP ${res.status}`, host: target.host };
    return { ok: true, host: target.host };
  } catch (err) {
    return { ok: false, reason: 'failed', error: err instanceof Error ? err.message : String(err), host: target.host };
  }
}

/**
 * Optional, on the participant's click while withdrawing: asks the researchers' collector to
 * delete what this participant sent. One POST, no cookies, no referrer:
 *   POST <endpoint>   content-type: application/json   x-stillframe-request: delete
 *   { "action": "delete", "studyId": …, "participantId": … }
 * Call it straight from the click (the permission prompt needs the user's gesture).
 */
export async function requestDeletion(endpoint: string, studyId: string, participantId: string): Promise<UploadResult> {
  const target = endpointTarget(endpoint);
  if (!target) return { ok: false, reason: 'no-endpoint' };
  const granted = await browser.permissions.request({ origins: [target.pattern] }).catch((err) => (swallowed('endpoint permission request', err), false));
  if (!granted) return { ok: false, reason: 'denied', host: target.host };
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-stillframe-request': 'delete',
        'x-stillframe-study': studyId,
        'x-stillframe-participant': participantId,
      },
      body: JSON.stringify({ action: 'delete', studyId, participantId }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) return { ok: false, reason: 'failed', error: `HTTP ${res.status}`, host: target.host };
    return { ok: true, host: target.host };
  } catch (err) {
    return { ok: false, reason: 'failed', error: err instanceof Error ? err.message : String(err), host: target.host };
  }
}

/** Gives back the permission to reach the collector (after withdrawing): Stillframe keeps no access it no longer needs. */
export async function releaseEndpoint(endpoint: string | null, keepOrigins: readonly string[] = []): Promise<boolean> {
  const target = endpoint ? endpointTarget(endpoint) : null;
  // A site the participant added themselves (same origin) keeps its permission.
  if (!target || keepOrigins.includes(target.origin)) return false;
  try {
    if (!(await browser.permissions.contains({ origins: [target.pattern] }))) return false;
    return await browser.permissions.remove({ origins: [target.pattern] });
  } catch (err) {
    swallowed('give back endpoint permission', err);
    return false;
  }
}
