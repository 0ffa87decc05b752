// The diagnostics of the ingest pipeline itself (entries it skips, leaves unread or sees fail, an
// evidence file it cannot go on reading) and of the analyses it runs after the reading.

import { defineDiagnostics } from '../../common/diagnostics';

export const INGEST_DIAGNOSTICS = defineDiagnostics('ingest', {
  'entry-skipped': {
    severity: 'warning',
    group: 'skipped',
    template: 'skipped {entry}: {reason}',
  },
  'entry-not-indexed': {
    severity: 'info',
    group: 'unsupported',
    template: '{format} contents are not indexed by this version of capscope: the entry was read through, measured and its compression verified',
  },
  // The error's own message says where and what (a SourceError: file, entry, byte, expected, found).
  'entry-failed': {
    severity: 'error',
    group: 'failure',
    template: '{error}',
  },
  // Evidence piped in ends where its writer stopped (Ctrl-C, a killed tcpdump), often inside a
  // record: everything before that record is indexed, and the cut is said, not failed.
  'stream-cut': {
    severity: 'warning',
    group: 'truncated',
    template: 'the stream ended inside a record, which is left out (and trimmed from the copy of a plain stream): {error}',
  },
  'evidence-failed': {
    severity: 'error',
    group: 'failure',
    template: '{error}',
  },
});

export const ANALYSIS_DIAGNOSTICS = defineDiagnostics('analysis', {
  failed: {
    severity: 'error',
    group: 'failure',
    template: 'the {analysis} analysis failed: {error}',
  },
  // The passes run while a capture piped in is read (live-analyses.ts): one that fails is not run
  // again, and the analyses after the stream ends do all the work, as without them.
  'live-failed': {
    severity: 'warning',
    group: 'failure',
    template: 'the {analysis} analysis run while the stream was read failed, so the rest waited for the stream to end: {error}',
  },
});
