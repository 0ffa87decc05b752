// Offers text as a file download from the page (web mode has no save dialog of its own): a Blob
// behind a temporary <a download>, released once the browser has taken it.

export function offerDownload(text: string, mediaType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
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
