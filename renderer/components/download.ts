// Offers a file's contents as a download from the page (web mode has no save dialog of its own): a
// Blob behind a temporary <a download>, released once the browser has taken it. Text (a report, a
// table's rows) or bytes (an exported capture).

export function offerDownload(contents: string | Uint8Array<ArrayBuffer>, mediaType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after the click returns; a short grace before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
