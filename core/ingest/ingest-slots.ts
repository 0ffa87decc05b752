// How many ingests run at once in this process. Each ingest is a worker thread with its own SQLite
// connections, row batches and nursery (tens to hundreds of MiB); unbounded, a burst of opens in web
// mode started one per request (131 threads, 1.5 GB for 40 requests). Ingests beyond the limit wait
// their turn in order of arrival, costing nothing but their place in the line.

export class IngestSlots {
  private running = 0;
  private readonly line: { start: () => void }[] = [];

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`the number of ingests at once must be a whole number ≥ 1, got ${limit}`);
  }

  /** Ingests waiting for a slot. */
  get waiting(): number {
    return this.line.length;
  }

  /**
   * Takes a slot now if one is free (returns the function that gives it back), or joins the line: then
   * `onTurn` is called with that function when a slot frees, unless `leave()` (returned in place of it)
   * took the ingest out of the line first.
   */
  take(onTurn: (release: () => void) => void): { release: () => void } | { leave: () => void } {
    if (this.running < this.limit) {
      this.running++;
      return { release: this.releaser() };
    }
    const place = { start: () => onTurn(this.releaser()) };
    this.line.push(place);
    return {
      leave: () => {
        const at = this.line.indexOf(place);
        if (at >= 0) this.line.splice(at, 1);
      },
    };
  }

  /** A slot's release, which frees it once however often it is called, and hands it to the next in line. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.line.shift();
      if (next) next.start(); // the slot passes on: `running` stays as it is
      else this.running--;
    };
  }
}
