// The record layout of an unmutated evidence file: where each record (pcap packet record, pcapng
// or scap block, HPROF top-level record, a Go profile's top-level protobuf field) starts and ends, and where its length fields are. Written
// here from the formats' public specs, independently of capscope's parsers, because it is the
// oracle the fuzzer holds them to: a mutation or a cut at byte m leaves every record that ends at
// or before m untouched, so whatever capscope read from those records must still be there.

export type FuzzFormat = 'scap' | 'pcap' | 'pcapng' | 'hprof' | 'pprof';

export interface LayoutRecord {
  offset: number;
  end: number;
}

/** A field that holds a length: the "huge length" mutator writes there. */
export interface LengthField {
  at: number;
  size: 4 | 8;
  littleEndian: boolean;
}

export interface Layout {
  format: FuzzFormat;
  /** Records in file order; the byte after the last one is where a clean file ends. */
  records: LayoutRecord[];
  /** Record end by record start, for the records capscope stores rows for (file_offset). */
  endAt: Map<number, number>;
  lengthFields: LengthField[];
}

const SECTION_MAGIC = 0x1a2b3c4d;
const SECTION_BLOCK = 0x0a0d0d0a;

export function layoutOf(format: FuzzFormat, bytes: Buffer): Layout {
  switch (format) {
    case 'pcap':
      return pcapLayout(bytes);
    case 'pcapng':
    case 'scap':
      return blockLayout(format, bytes);
    case 'hprof':
      return hprofLayout(bytes);
    case 'pprof':
      return protobufLayout(bytes);
  }
}

function finish(format: FuzzFormat, records: LayoutRecord[], lengthFields: LengthField[]): Layout {
  return { format, records, endAt: new Map(records.map((r) => [r.offset, r.end])), lengthFields };
}

/** Classic pcap: a 24-byte header, then records of 16 bytes + the captured length. */
function pcapLayout(bytes: Buffer): Layout {
  const magic = bytes.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (at: number) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const records: LayoutRecord[] = [];
  const lengthFields: LengthField[] = [{ at: 16, size: 4, littleEndian: le }]; // the snapshot length
  for (let at = 24; at + 16 <= bytes.length; ) {
    const end = at + 16 + u32(at + 8);
    if (end > bytes.length) break;
    records.push({ offset: at, end });
    lengthFields.push({ at: at + 8, size: 4, littleEndian: le }, { at: at + 12, size: 4, littleEndian: le });
    at = end;
  }
  return finish('pcap', records, lengthFields);
}

/**
 * pcapng and scap share the block frame: type, total length, body, total length again; a section
 * header block's byte-order magic says the byte order of the blocks after it.
 */
function blockLayout(format: 'pcapng' | 'scap', bytes: Buffer): Layout {
  let le = true;
  const records: LayoutRecord[] = [];
  const lengthFields: LengthField[] = [];
  for (let at = 0; at + 12 <= bytes.length; ) {
    if (bytes.readUInt32LE(at) === SECTION_BLOCK) le = bytes.readUInt32LE(at + 8) === SECTION_MAGIC;
    const length = le ? bytes.readUInt32LE(at + 4) : bytes.readUInt32BE(at + 4);
    if (length < 12 || at + length > bytes.length) break;
    const type = le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    records.push({ offset: at, end: at + length });
    lengthFields.push({ at: at + 4, size: 4, littleEndian: le }, { at: at + length - 4, size: 4, littleEndian: le });
    // The length inside the block's body: pcapng's captured packet length (EPB, OPB); scap's
    // event length (after the 8-byte timestamp and thread id of an event block).
    if (format === 'pcapng' && (type === 6 || type === 2) && length >= 32) lengthFields.push({ at: at + 20, size: 4, littleEndian: le });
    if (format === 'scap' && length >= 36 && type !== SECTION_BLOCK) lengthFields.push({ at: at + 24, size: 4, littleEndian: le });
    at += length;
  }
  return finish(format, records, lengthFields);
}

/**
 * HPROF: "JAVA PROFILE 1.0.x\0", a 4-byte identifier size and an 8-byte timestamp, then records of
 * a 1-byte tag, a 4-byte time offset and a 4-byte body length (big-endian throughout).
 */
function hprofLayout(bytes: Buffer): Layout {
  const nul = bytes.indexOf(0);
  const records: LayoutRecord[] = [];
  const lengthFields: LengthField[] = [{ at: nul + 1, size: 4, littleEndian: false }];
  for (let at = nul + 13; at + 9 <= bytes.length; ) {
    const end = at + 9 + bytes.readUInt32BE(at + 5);
    if (end > bytes.length) break;
    records.push({ offset: at, end });
    lengthFields.push({ at: at + 5, size: 4, littleEndian: false });
    at = end;
  }
  return finish('hprof', records, lengthFields);
}

/**
 * A Go profile (profile.proto, gunzipped): a protobuf message whose top-level fields are its
 * records, each a varint key (field number << 3 | wire type) and then, by wire type, a varint (0),
 * 8 bytes (1), a varint length and that many bytes (2: the samples, locations, functions, strings),
 * or 4 bytes (5). No file header. The length varints are where the "huge length" mutator writes:
 * four bytes of a huge number there read as a varint that declares gigabytes.
 */
function protobufLayout(bytes: Buffer): Layout {
  const records: LayoutRecord[] = [];
  const lengthFields: LengthField[] = [];
  const varint = (at: number): { value: number; end: number } | null => {
    let value = 0;
    for (let i = 0; i < 10 && at + i < bytes.length; i++) {
      value += (bytes[at + i]! & 0x7f) * 2 ** (7 * i);
      if (bytes[at + i]! < 0x80) return { value, end: at + i + 1 };
    }
    return null;
  };
  for (let at = 0; at < bytes.length; ) {
    const key = varint(at);
    if (!key || key.value < 8) break;
    let end: number;
    switch (key.value % 8) {
      case 0: {
        const v = varint(key.end);
        if (!v) return finish('pprof', records, lengthFields);
        end = v.end;
        break;
      }
      case 1:
        end = key.end + 8;
        break;
      case 2: {
        const length = varint(key.end);
        if (!length) return finish('pprof', records, lengthFields);
        lengthFields.push({ at: key.end, size: 4, littleEndian: true });
        end = length.end + length.value;
        break;
      }
      case 5:
        end = key.end + 4;
        break;
      default:
        return finish('pprof', records, lengthFields);
    }
    if (end > bytes.length) break;
    records.push({ offset: at, end });
    at = end;
  }
  return finish('pprof', records, lengthFields);
}

/** The record a byte offset falls strictly inside (not at its first byte), if any. */
export function recordCutAt(layout: Layout, offset: number): LayoutRecord | null {
  let lo = 0;
  let hi = layout.records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = layout.records[mid]!;
    if (offset <= r.offset) hi = mid - 1;
    else if (offset >= r.end) lo = mid + 1;
    else return r;
  }
  return null;
}

/** Where the header before the first record ends (pcap's 24 bytes, HPROF's header). */
export function headerEnd(layout: Layout): number {
  return layout.records[0]?.offset ?? 0;
}
