// Entry point of the ingest worker thread: runs one ingest off the main thread (the Electron main
// process and the web server stay responsive), posting throttled progress and honouring cancel.

import { parentPort, workerData } from 'node:worker_threads';
import { GrowingEvidence } from './growing-evidence';
import { runIngest, type IngestProgressEvent } from './pipeline';
import type { WorkerReply, WorkerRequest, WorkerStart } from './protocol';
import type { WorkerData } from './spare-worker';

const PROGRESS_EVERY_MS = 100;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('ingest-worker must run as a worker thread');
  const data = workerData as WorkerData;
  const abort = new AbortController();
  let growing: GrowingEvidence | undefined;
  const begin = (start: WorkerStart) => {
    growing = start.growing ? new GrowingEvidence(start.growing) : undefined;
    return start;
  };
  // A spare worker waits for its start, the first message; one listener takes every message, in order.
  let started!: (start: WorkerStart) => void;
  const startMessage = new Promise<WorkerStart>((resolve) => (started = resolve));
  port.on('message', (message: WorkerRequest) => {
    if (message.type === 'start') started(begin(message.start));
    else if (message.type === 'cancel') {
      abort.abort();
      growing?.wakeAll(); // a walk waiting for more of the stream sees the cancel
    } else growing?.update({ size: message.size, final: message.final });
  });
  const start = 'spare' in data ? await startMessage : begin(data);
  const post = (reply: WorkerReply) => port.postMessage(reply);
  let lastPost = 0;
  // An event held back by the throttle is posted when its turn comes, unless a later one was: the
  // last word before a pause (a stream gone quiet) must reach the views.
  let heldBack: IngestProgressEvent | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = (event: IngestProgressEvent) => {
    lastPost = Date.now();
    heldBack = null;
    post({ type: 'progress', ...event });
  };
  const onProgress = (event: IngestProgressEvent) => {
    const wait = lastPost + PROGRESS_EVERY_MS - Date.now();
    if (wait <= 0 || event.currentEntry === null) {
      send(event);
      return;
    }
    heldBack = event;
    timer ??= setTimeout(() => {
      timer = null;
      if (heldBack) send(heldBack);
    }, wait);
  };
  try {
    const outcome = await runIngest({ file: start.file, dbPath: start.dbPath, signal: abort.signal, onProgress, growing });
    post({ type: 'done', outcome });
  } catch (err) {
    post({ type: 'done', outcome: { state: 'failed', bytesDone: 0, error: err instanceof Error ? err.message : String(err) } });
  }
  if (timer) clearTimeout(timer);
  port.close();
}

void main();
