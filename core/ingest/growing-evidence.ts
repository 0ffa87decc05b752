// The ingest's side of evidence that is still arriving: what the main thread said of the copy it
// writes (its size, whether it is complete), turned into the waits the source walk asks for.

import type { GrowingFile, GrowthNews } from '../../parsers/source/growing-file';

export class GrowingEvidence implements GrowingFile {
  private news: GrowthNews;
  private waiters: { beyond: number; resolve: (news: GrowthNews) => void }[] = [];

  constructor(initial: GrowthNews) {
    this.news = { ...initial };
  }

  get size(): number {
    return this.news.size;
  }

  get final(): boolean {
    return this.news.final;
  }

  /** The writer's latest word: the copy has `size` bytes, and is complete when `final`. */
  update(news: GrowthNews): void {
    // A size never shrinks and a complete copy stays complete, whatever order messages come in.
    this.news = { size: Math.max(this.news.size, news.size), final: this.news.final || news.final };
    this.settle(false);
  }

  /** Wakes every wait (a cancel): the walk checks its signal after waking. */
  wakeAll(): void {
    this.settle(true);
  }

  waitBeyond(size: number): Promise<GrowthNews> {
    if (this.news.size > size || this.news.final) return Promise.resolve({ ...this.news });
    return new Promise((resolve) => this.waiters.push({ beyond: size, resolve }));
  }

  private settle(all: boolean): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (all || this.news.size > waiter.beyond || this.news.final) waiter.resolve({ ...this.news });
      else this.waiters.push(waiter);
    }
  }
}
