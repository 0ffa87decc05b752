// The analyses that follow a capture piped in while it is read: when the reading has caught up with
// the stream, the rows the ingest holds are handed over, and once they are in the index the HTTP
// exchanges settled since the last time are written (core/analysis/http/live-pass.ts) and the
// findings drawn from them again. They run at a bounded cadence: at most once a second, and never
// more than a fifth of the time (the next pass waits four times as long as the last one took), so a
// busy stream is read, not analysed over and over; a stream gone quiet gets its pass when it is due.
// A file that is not growing never runs them: its analyses run once, after it is read.
//
// The connections a pass writes whole are those whose parse was finished when the rows were handed
// over: their chunks are all in the index then, should the pass need to read any (an HTTP/2
// connection the ingest did not parse, say), while the ingest may go on reading meanwhile.
//
// Each time the views have something new to show (rows handed over, exchanges written) `updates`
// grows; the ingest's progress carries it, and the views ask again when it changes.

import type Database from 'better-sqlite3';
import type { Diagnostic } from '../../common/diagnostics';
import { analyseFindings } from '../analysis/findings/analyse-findings';
import { runLiveHttpPass } from '../analysis/http/live-pass';
import { peekPreparsedViews } from '../analysis/http/preparsed';
import { ANALYSIS_DIAGNOSTICS } from './diagnostics';

/** The least time between the end of one pass and the start of the next. */
const MIN_INTERVAL_MS = 1000;
/** The next pass waits this many times as long as the last one took. */
const SPACING = 4;

export class LiveAnalyses {
  /** How many times the index has grown in a way the views can show. */
  updates = 0;
  private lastEnd = -Infinity;
  private lastMs = 0;
  private stopped = false;
  private failed = false;
  /** A hand-over being waited for: catching up again meanwhile is taken up once it is done. */
  private waiting = false;
  private caughtUpAgain = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Database.Database,
    /** Hands the rows the ingest holds over to the index; settles once they are written (none: the entry's reading is over). */
    private readonly handOver: () => void | Promise<void> | undefined,
    private readonly onUpdate: () => void,
    private readonly onFailure: (d: Diagnostic) => void,
  ) {}

  /** The reading caught up with the stream: hand over what is held, and run the passes if they are due. */
  caughtUp(): void {
    if (this.stopped) return;
    if (this.waiting) {
      this.caughtUpAgain = true;
      return;
    }
    if (this.due() > 0) {
      this.handOverThen(() => this.schedule());
      return;
    }
    this.passNow();
  }

  /** The stream is read: the analyses after it take over. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Milliseconds until the next pass may run. */
  private due(): number {
    return this.lastEnd + Math.max(MIN_INTERVAL_MS, SPACING * this.lastMs) - performance.now();
  }

  /** A timer for the next pass, so that a stream gone quiet still gets its last exchanges. */
  private schedule(): void {
    if (this.failed || this.timer || this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.stopped && !this.waiting) this.passNow();
      },
      Math.max(0, this.due()),
    );
  }

  private passNow(): void {
    if (this.failed) {
      this.handOverThen(() => {});
      return;
    }
    // The finished connections whose chunks go to the index with this hand-over.
    const finished = [...(peekPreparsedViews(this.db)?.keptStreams() ?? [])];
    this.handOverThen(() => this.run(finished));
  }

  private handOverThen(then: () => void): void {
    this.waiting = true;
    void Promise.resolve(this.handOver()).then(
      () => {
        this.waiting = false;
        if (this.stopped) return;
        this.updated();
        then();
        if (this.caughtUpAgain) {
          this.caughtUpAgain = false;
          this.caughtUp();
        }
      },
      // The writer failed: the ingest hears of it from the writer itself.
      () => (this.waiting = false),
    );
  }

  private run(finished: readonly number[]): void {
    const started = performance.now();
    let analysis = 'http';
    try {
      const { exchanges } = runLiveHttpPass(this.db, finished);
      if (exchanges > 0) {
        analysis = 'findings';
        analyseFindings(this.db);
        this.updated();
      }
    } catch (err) {
      this.failed = true;
      this.onFailure(ANALYSIS_DIAGNOSTICS.emit('live-failed', { analysis, error: err instanceof Error ? err.message : String(err) }));
    }
    this.lastEnd = performance.now();
    this.lastMs = this.lastEnd - started;
  }

  private updated(): void {
    this.updates++;
    this.onUpdate();
  }
}
