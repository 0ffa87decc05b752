// An ingest cancelled as soon as it has read a given number of bytes (as the UI's Cancel does).

import { runIngest, type IngestOutcome } from '../../core/ingest/pipeline';

export function ingestCancelledAfter(file: string, dbPath: string, bytes: number): Promise<IngestOutcome> {
  const abort = new AbortController();
  return runIngest({
    file,
    dbPath,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.bytesDone >= bytes) abort.abort();
    },
  });
}
