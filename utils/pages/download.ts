/**
 * Saves a file from an extension page (no `downloads` permission needed): the settings export,
 * a collection file, the study's zip, a consent text, a site report. The object URL lives a
 * minute, long enough for a large zip to be handed to the browser's download.
 */
export function downloadFile(fileName: string, data: string | Blob | Uint8Array, mime: string): void {
  const part = data instanceof Uint8Array ? (data as Uint8Array<ArrayBuffer>) : data;
  const url = URL.createObjectURL(new Blob([part], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
