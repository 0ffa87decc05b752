// Messages between the ingest job (main thread) and the ingest worker.

import type { IngestOutcome, IngestProgressEvent } from './pipeline';

export interface WorkerStart {
  file: string;
  dbPath: string;
}

export type WorkerRequest = { type: 'cancel' };

export type WorkerReply = ({ type: 'progress' } & IngestProgressEvent) | { type: 'done'; outcome: IngestOutcome };
