import { printableByte } from '../../../common/format';

const PER_LINE = 16;

/** Which bytes to mark: a layer's or a field's. */
export interface ByteSpan {
  start: number;
  length: number;
}

/**
 * A frame's captured bytes as Wireshark's bytes pane shows them: the offset, sixteen bytes in hex,
 * and the same bytes printable (a dot for the rest); the bytes of the layer or field picked are marked.
 */
export function PacketBytes({ bytes, mark }: { bytes: Uint8Array; mark: ByteSpan | null }) {
  const marked = (i: number) => mark !== null && i >= mark.start && i < mark.start + mark.length;
  const lines = [];
  for (let at = 0; at < bytes.length; at += PER_LINE) {
    const slice = Array.from(bytes.subarray(at, at + PER_LINE));
    lines.push(
      <div key={at} className="packet-bytes-line">
        <span className="packet-bytes-offset">{at.toString(16).padStart(4, '0')}</span>
        <span className="packet-bytes-hex">
          {slice.map((b, i) => (
            <span key={i} className={marked(at + i) ? 'packet-byte is-marked' : 'packet-byte'}>
              {b.toString(16).padStart(2, '0')}
            </span>
          ))}
        </span>
        <span className="packet-bytes-text">
          {slice.map((b, i) => (
            <span key={i} className={marked(at + i) ? 'is-marked' : undefined}>
              {printableByte(b)}
            </span>
          ))}
        </span>
      </div>,
    );
  }
  return (
    <div className="packet-bytes" role="region" aria-label="Packet bytes">
      {lines}
    </div>
  );
}
