// Captured bytes are hostile (DESIGN.md): every value a report shows passes through here before it
// reaches a document. `visible` makes a captured string single-line and unambiguous; `escapeHtml`
// is the one HTML escaper (the `html` template in html-template.ts calls it on every value it is
// given); the markdown helpers neutralise everything CommonMark/GFM could read as markup.

/**
 * Control characters become `\r`, `\n`, `\t`, `\xNN`; bidirectional overrides and isolates (which
 * can make a line read differently from what it holds) become `\u{NNNN}`. A lone surrogate
 * (a broken UTF-16 pair) becomes U+FFFD.
 */
export function visible(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => CONTROL_NAMES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u{${ch.charCodeAt(0).toString(16).padStart(4, '0')}}`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const CONTROL_NAMES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * Prose for Markdown (a paragraph or a table cell): every character CommonMark or GFM could read as
 * markup is backslash-escaped, including `|` (a table cell's end), and the starts of autolinks
 * (`http:`, `www.`, `@`) are broken so that captured text never becomes a link.
 */
export function escapeMarkdown(text: string): string {
  return (
    visible(text)
      .replace(/[\\`*_[\]<>|~&@]/g, (ch) => `\\${ch}`)
      .replace(/\b(https?|ftp|mailto):/gi, '$1\\:')
      .replace(/\bwww\./gi, 'www\\.')
      // Only at the start of a line do these begin a block (heading, list item, quote, rule).
      .replace(/^([#+=-])/, '\\$1')
      .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

/**
 * An inline code span holding `text` literally: the fence is one backtick longer than the longest
 * run inside, with spaces when the text starts or ends with a backtick. In a table cell `|` still
 * ends the cell inside a code span (GFM splits rows before reading inlines), so it is escaped there.
 */
export function markdownCode(text: string, inTable = false): string {
  let shown = visible(text);
  if (inTable) shown = shown.replace(/\|/g, '\\|');
  if (shown === '') return '` `';
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || (shown.startsWith(' ') && shown.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A fenced code block holding `lines` literally (each made visible first, so none can hold a line
 * break of its own): the fence is longer than any run of backticks inside.
 */
export function markdownFence(lines: readonly string[], info = ''): string {
  const shown = lines.map(visible);
  const longest = Math.max(0, ...shown.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${shown.join('\n')}\n${fence}`;
}
