// The one error type of the source layer. Its message is a single line a person can act on: which
// file (and which entry inside an archive), where, what was expected and what was found.

import type { Diagnostic } from '../../common/diagnostics';

export interface SourceErrorDetails {
  /** The evidence file on disk. */
  file: string;
  /** Path of the entry inside the file's layers ("bundle.tar.gz › app.scap.gz"), if not the file itself. */
  entry?: string;
  /** Byte offset of the fault in the stream named by `stream`. */
  offset?: number;
  /** Which byte stream the offset counts in: "file", "gzip data", "tar member", ... */
  stream?: string;
  /** What was expected at that place. */
  expected?: string;
  /** What was there instead. */
  found: string;
  /**
   * The declared diagnostic this fault is (a reader's "expected …, found …" fault), which the
   * ingest records it as; its message is this error's without the place in front.
   */
  diagnostic?: Diagnostic;
}

export class SourceError extends Error {
  readonly details: SourceErrorDetails;

  constructor(details: SourceErrorDetails) {
    super(formatSourceError(details));
    this.name = 'SourceError';
    this.details = details;
  }

  get file(): string {
    return this.details.file;
  }

  get offset(): number | undefined {
    return this.details.offset;
  }
}

function formatSourceError(d: SourceErrorDetails): string {
  const where = d.entry ? `${d.file} › ${d.entry}` : d.file;
  const at = d.offset === undefined ? '' : ` at byte ${d.offset}${d.stream ? ` of the ${d.stream}` : ''}`;
  const expected = d.expected ? `: expected ${d.expected}` : '';
  const sep = expected ? ', found ' : ': ';
  return `${where}${at}${expected}${sep}${d.found}`;
}

/** Printable rendering of a few bytes for error messages: `8f 3a 00 "PK"`-style hex. */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …` : shown;
}
