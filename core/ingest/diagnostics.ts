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
});
