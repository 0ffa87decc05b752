// A file that is still being written while it is read (a capture piped into capscope, copied to
// the cache as it arrives): the walk reads it to its current end, then asks this how far it has
// grown, until the writer says it is complete.

export interface GrowthNews {
  /** The file's size now. */
  size: number;
  /** True once the writer has finished: `size` is final. */
  final: boolean;
}

export interface GrowingFile {
  /**
   * Resolves once the file is larger than `size` bytes, or once it is final (whatever its size), or
   * when the read is cancelled (the walk then checks its signal).
   */
  waitBeyond(size: number): Promise<GrowthNews>;
}
