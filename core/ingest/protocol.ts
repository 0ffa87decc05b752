// Messages between the ingest job (main thread) and the ingest worker.

import type { IngestOutcome, IngestProgressEvent } from './pipeline';

import type { GrowthNews } from '../../parsers/source/growing-file';

export interface WorkerStart {
  file: string;
  dbPath: string;
  /** The file is a copy still being written (standard input): how far it had got when the worker started. */
  growing?: GrowthNews;
}

/** `grew`: the copy being written has reached `size` bytes (and is complete when `final`). */
export type WorkerRequest = { type: 'cancel' } | ({ type: 'grew' } & GrowthNews);

export type WorkerReply = ({ type: 'progress' } & IngestProgressEvent) | { type: 'done'; outcome: IngestOutcome };
