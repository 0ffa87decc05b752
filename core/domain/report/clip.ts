// Captured lines can be kilobytes long (a 16 KiB header section is legal): a report quotes the
// start and says how long the whole was.

export const QUOTE_CHARS = 400;

export function clip(text: string, max = QUOTE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)` : text;
}
