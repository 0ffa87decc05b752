// HPACK header block decoding (RFC 7541), one decoder per direction of a connection, for captured
// traffic: the capture may begin after the connection did, so the dynamic table's older entries can
// be unknown. A field that needs one of them is counted as undecodable, never guessed; static-table
// and literal fields are kept, and entries inserted while watching are known from then on.

import { STATIC_TABLE } from './hpack-tables';
import { HuffmanError, huffmanDecode } from './huffman';

export interface HeaderField {
  name: string;
  value: string;
}

export interface DecodedBlock {
  fields: HeaderField[];
  /** Fields that referred to dynamic-table entries this decoder never saw. */
  undecodable: number;
  /** A violation of RFC 7541 (the rest of the block was not read), with its offset in the block. */
  error: { offset: number; message: string } | null;
}

/** A dynamic-table entry; name or value null when it came from an entry that was itself unknown. */
interface Entry {
  name: string | null;
  value: string | null;
  /** RFC 7541 §4.1: name + value octets + 32; null when the name or value was unknown. */
  size: number | null;
  /**
   * The field an index to it decodes to, when name and value are known: one object (frozen) for
   * every block that refers to it, not one per field decoded. A connection's parse keeps its
   * streams' fields until it ends (40,000 streams of six fields in the h2c benchmark), so a new
   * object per indexed field was most of what they took.
   */
  field: HeaderField | null;
}

const STATIC_COUNT = STATIC_TABLE.length;
/** The static table as entries, made once (a lookup made one per indexed field before). Read only. */
const STATIC_ENTRIES: readonly Entry[] = STATIC_TABLE.map(([name, value]) => ({ name, value, size: null, field: Object.freeze({ name, value }) }));
/** Above any table a real peer announces; an integer past it is an error, not a number to trust. */
const MAX_INTEGER = 2 ** 31;

class BlockError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export class HpackDecoder {
  /** Newest first. */
  private entries: Entry[] = [];
  /** Octets of the entries whose size is known. */
  private size = 0;
  private maxSize: number;
  /** Whether `entries` is the whole table (false when the capture began after the connection, or a block was lost). */
  private complete: boolean;

  constructor(options: { fromStart: boolean; maxSize?: number }) {
    this.complete = options.fromStart;
    this.maxSize = options.maxSize ?? 4096;
  }

  /** A header block that was not captured: whatever it inserted is unknown from now on. */
  lose(): void {
    this.entries = [];
    this.size = 0;
    this.complete = false;
  }

  get tableSize(): number {
    return this.size;
  }

  decode(block: Uint8Array): DecodedBlock {
    const fields: HeaderField[] = [];
    let undecodable = 0;
    let p = 0;
    let sawField = false;
    const integer = (prefixBits: number): number => {
      if (p >= block.length) throw new BlockError(p, 'the block ends inside an integer');
      const mask = (1 << prefixBits) - 1;
      let value = block[p++]! & mask;
      if (value < mask) return value;
      let shift = 0;
      for (;;) {
        if (p >= block.length) throw new BlockError(p, 'the block ends inside an integer');
        const b = block[p++]!;
        value += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (value > MAX_INTEGER) throw new BlockError(p - 1, 'an integer larger than 2^31 (RFC 7541 §5.1 allows an implementation to refuse it)');
        if ((b & 0x80) === 0) return value;
      }
    };
    const string = (): string => {
      if (p >= block.length) throw new BlockError(p, 'the block ends before a string literal');
      const huffman = (block[p]! & 0x80) !== 0;
      const at = p;
      const length = integer(7);
      if (p + length > block.length) throw new BlockError(at, `a string literal of ${length} octets runs past the end of the block (${block.length - p} left)`);
      const start = p;
      p += length;
      if (!huffman) return latin1(block, start, p);
      try {
        return huffmanDecode(block, start, p);
      } catch (e) {
        if (e instanceof HuffmanError) throw new BlockError(at, e.message);
        throw e;
      }
    };
    try {
      while (p < block.length) {
        const at = p;
        const b = block[p]!;
        if (b & 0x80) {
          // §6.1 Indexed Header Field.
          const index = integer(7);
          if (index === 0) throw new BlockError(at, 'an indexed field with index 0 (RFC 7541 §6.1)');
          const e = this.lookup(index, at);
          if (e === null || e.field === null) undecodable++;
          else fields.push(e.field);
          sawField = true;
        } else if ((b & 0xe0) === 0x20) {
          // §6.3 Dynamic Table Size Update: only at the start of a block.
          if (sawField) throw new BlockError(at, 'a dynamic table size update after a field (RFC 7541 §4.2 allows it only at the start of a block)');
          const size = integer(5);
          this.maxSize = size;
          if (size === 0) {
            // An emptied table is known again, whatever the capture missed.
            this.entries = [];
            this.size = 0;
            this.complete = true;
          }
          this.evict();
        } else {
          // §6.2 Literal Header Field: with incremental indexing (01), without (0000), never indexed (0001).
          const indexing = (b & 0xc0) === 0x40;
          const nameIndex = integer(indexing ? 6 : 4);
          let name: string | null;
          if (nameIndex === 0) name = string();
          else {
            const e = this.lookup(nameIndex, at);
            name = e?.name ?? null;
          }
          const value = string();
          // The entry it is inserted as and the field decoded are one object.
          const field = name === null ? null : Object.freeze({ name, value });
          if (field === null) undecodable++;
          else fields.push(field);
          if (indexing) this.insert({ name, value, size: name === null ? null : name.length + value.length + 32, field });
          sawField = true;
        }
      }
    } catch (e) {
      if (!(e instanceof BlockError)) throw e;
      // A decoding error breaks the connection's table (COMPRESSION_ERROR): nothing after is trusted.
      this.lose();
      return { fields: fitted(fields), undecodable, error: { offset: e.offset, message: e.message } };
    }
    return { fields: fitted(fields), undecodable, error: null };
  }

  /** The entry at an index (static, then dynamic); null when it is an entry this decoder never saw. */
  private lookup(index: number, at: number): Entry | null {
    if (index <= STATIC_COUNT) return STATIC_ENTRIES[index - 1]!;
    const dynamic = index - STATIC_COUNT - 1;
    if (dynamic < this.entries.length) return this.entries[dynamic]!;
    if (this.complete) throw new BlockError(at, `index ${index} is past the end of the table (${STATIC_COUNT} static and ${this.entries.length} dynamic entries)`);
    return null;
  }

  private insert(e: Entry): void {
    if (e.size !== null && e.size > this.maxSize) {
      // §4.4: an entry larger than the table empties it and is not added.
      this.entries = [];
      this.size = 0;
      this.complete = true;
      return;
    }
    if (e.size === null) {
      // An entry of unknown size may have evicted any of the older ones: they are no longer known.
      // The newer ones are exact again: the oldest (this one first) go before them.
      this.entries = [e];
      this.size = 0;
      this.complete = false;
      return;
    }
    this.entries.unshift(e);
    this.size += e.size;
    this.evict();
  }

  /** Evicts the oldest entries until the table fits (§4.4). */
  private evict(): void {
    while (this.size > this.maxSize && this.entries.length > 0) {
      const old = this.entries.pop()!;
      this.size -= old.size ?? 0;
    }
  }
}

/**
 * The fields in a list of their own length: one grown by push has room for 16 or more, and the
 * list is kept as long as its stream's parse is (120 bytes more a six-field block).
 */
function fitted(fields: HeaderField[]): HeaderField[] {
  return fields.length === 0 ? fields : fields.slice();
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
