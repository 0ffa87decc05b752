// An opened file is shown as a case only once it is known to be evidence: a text file or a PDF
// opened by mistake fails its ingest at byte 0 with nothing read, and the open screen says why
// rather than showing an empty case of seventeen tiles.

import { ApiError, type ApiClient, type CaseSummary } from '../../../core/api';

/** How often the case is asked again while its first entry is being sniffed. */
const POLL_MS = 120;
/** Past this the case is shown whatever it turns out to be: its own page says the rest. */
const PATIENCE_MS = 10_000;

/**
 * The summary once the case has a source (its file is evidence), was read before, or waits for
 * its turn to be read; an ApiError with the ingest's own error when it ended with nothing read (the
 * case is closed first: there is nothing in it to look at).
 */
export async function untilEvidence(api: ApiClient, opened: CaseSummary): Promise<CaseSummary> {
  const deadline = Date.now() + PATIENCE_MS;
  for (let summary = opened; ; ) {
    const { state, waiting, error } = summary.progress;
    if (summary.sources.length > 0 || state === 'done' || state === 'idle' || waiting !== null) return summary;
    if (state === 'failed' || state === 'cancelled') {
      await api.call('case.close', { caseId: summary.caseId }).catch(() => undefined);
      throw new ApiError('bad-input', error ?? `${summary.file}: nothing in it could be read`);
    }
    if (Date.now() > deadline) return summary;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    summary = await api.call('case.get', { caseId: summary.caseId });
  }
}
