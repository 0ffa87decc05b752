// When the views ask the index again while it is written: driven by the ingest's progress (what it
// has read, and `updates`: rows handed over, exchanges written while a stream is followed), never
// by a clock alone, and at most once every `minMs` so that a busy ingest is not queried over and
// over. Growth seen within `minMs` of the last ask is not dropped: it is asked for when the
// interval ends (a stream that goes quiet still shows its last data). The ingest's end is asked
// for at once, and after it nothing is pending.

export class RefreshPacer {
  private state: string | null = null;
  private growth: string | null = null;
  private lastAsk = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly minMs: number,
    private readonly ask: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The ingest's progress as it was last polled: its state, and what says how far the index has grown. */
  observe(state: string, growth: string): void {
    if (this.state === null) {
      this.state = state;
      this.growth = growth;
      return;
    }
    if (state !== this.state) {
      this.state = state;
      this.growth = growth;
      this.askNow();
      return;
    }
    if (growth === this.growth) return;
    this.growth = growth;
    const wait = this.lastAsk + this.minMs - this.now();
    if (wait <= 0) this.askNow();
    else this.timer ??= setTimeout(() => this.askNow(), wait);
  }

  /** Nothing more to ask for (the case closed). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private askNow(): void {
    this.dispose();
    this.lastAsk = this.now();
    this.ask();
  }
}
