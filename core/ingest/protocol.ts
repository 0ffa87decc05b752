// Messages between the ingest job (main thread) and the ingest worker.

import type { IngestOutcome, IngestProgressEvent } from './pipeline';

import type { GrowthNews } from '../../parsers/source/growing-file';

export interface WorkerStart {
  file: string;
  dbPath: string;
  /** The file is a copy still being written (standard input): how far it had got when the worker started. */
  growing?: GrowthNews;
}

/**
 * `start`: what a spare worker (spare-worker.ts), started before it was needed, is to ingest; the
 * first message it gets. `grew`: the copy being written has reached `size` bytes (and is complete
 * when `final`).
 */
export type WorkerRequest = { type: 'start'; start: WorkerStart } | { type: 'cancel' } | ({ type: 'grew' } & GrowthNews);

export type WorkerReply = ({ type: 'progress' } & IngestProgressEvent) | { type: 'done'; outcome: IngestOutcome };
