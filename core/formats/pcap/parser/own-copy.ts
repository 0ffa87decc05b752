// What a parser keeps past the packet it came in is copied into a buffer of its own size. The
// bytes it is handed are views into the reader's buffers (a MiB each, parsers/source/walk.ts),
// and Node's Buffer.prototype.slice() makes another view, not a copy (unlike Uint8Array's): a
// segment kept that way would keep the whole MiB it came in alive for as long as it waits.

export function ownCopy(data: Uint8Array): Uint8Array {
  return new Uint8Array(data);
}
