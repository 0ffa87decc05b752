// The analyses that follow a capture piped in while it is read: when the reading has caught up with
// the stream and the rows it held are in the index, the HTTP exchanges settled since the last time
// are written (core/analysis/http/live-pass.ts) and the findings drawn from them again. They run at
// a bounded cadence: at most once a second, and never more than a fifth of the time (the next pass
// waits four times as long as the last one took), so a busy stream is read, not analysed over and
// over. A file that is not growing never runs them: its analyses run once, after it is read.
//
// Each time the views have something new to show (rows handed over, exchanges written) `updates`
// grows; the ingest's progress carries it, and the views ask again when it changes.

import type Database from 'better-sqlite3';
import type { Diagnostic } from '../../common/diagnostics';
import { analyseFindings } from '../analysis/findings/analyse-findings';
import { runLiveHttpPass } from '../analysis/http/live-pass';
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
  /** A handover being waited for: catching up again meanwhile adds nothing. */
  private waiting = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly onUpdate: () => void,
    private readonly onFailure: (d: Diagnostic) => void,
  ) {}

  /** The reading caught up with the stream; `handedOver` settles once the rows it held are written. */
  caughtUp(handedOver: Promise<void> | void): void {
    if (this.stopped || this.waiting) return;
    this.waiting = true;
    void Promise.resolve(handedOver).then(
      () => {
        this.waiting = false;
        if (this.stopped) return;
        this.updated();
        this.schedule();
      },
      // The writer failed: the ingest hears of it from the writer itself.
      () => (this.waiting = false),
    );
  }

  /** The stream is read: the analyses after it take over. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs the passes when they are due, or sets a timer for then (a stream gone quiet still gets its last exchanges). */
  private schedule(): void {
    if (this.failed || this.timer) return;
    const wait = this.lastEnd + Math.max(MIN_INTERVAL_MS, SPACING * this.lastMs) - performance.now();
    if (wait <= 0) this.run();
    else
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.run();
      }, wait);
  }

  private run(): void {
    const started = performance.now();
    let analysis = 'http';
    try {
      const { exchanges } = runLiveHttpPass(this.db);
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
