import { memo, type ReactNode } from 'react';
import type { ChunkView } from '../../../core/domain/streams/contract';
import { decodeBase64, dumpChar, hexByte, hexOffset, printable } from '../../formatting/bytes';
import { segments, type ByteRange, type Segment } from './highlight';
import { formatCount } from '../../format';
import { BookmarkButton } from '../../components/BookmarkButton';

export type ByteRendering = 'ascii' | 'hex' | 'both';

interface ChunkBlockProps {
  chunk: ChunkView;
  rendering: ByteRendering;
  /** Highlights in this chunk's direction. */
  ranges: readonly ByteRange[];
  /** "client → server", "write", ... */
  dirLabel: string;
  frameLabel: string;
  isTarget: boolean;
  /** When it moved, in the case's time base. */
  timeText: string;
  /** For bookmarking the chunk's bytes (the target chunk's button takes the b / Ctrl+B key). */
  caseId: string;
  streamId: number;
}
/** One chunk: a line saying what moved and when, then its captured bytes as text, never markup. */
export const ChunkBlock = memo(function ChunkBlock({ chunk, rendering, ranges, dirLabel, frameLabel, isTarget, timeText, caseId, streamId }: ChunkBlockProps) {
  const bytes = decodeBase64(chunk.data);
  const cut = chunk.captured < chunk.length;
  return (
    <div className={`chunk chunk-${chunk.dir}${isTarget ? ' chunk-target' : ''}`} data-seq={chunk.seq}>
      {chunk.gapBefore > 0 && <div className="stream-gap">{`${formatCount(chunk.gapBefore)} bytes missing in the capture`}</div>}
      <div className="chunk-head">
        <span className="chunk-dir">{dirLabel}</span>
        <span>{cut ? `${formatCount(chunk.captured)} of ${formatCount(chunk.length)} bytes captured` : `${formatCount(chunk.length)} bytes`}</span>
        <span className="muted">{`@${formatCount(chunk.offset)}`}</span>
        <span className="muted chunk-time">{timeText}</span>
        {chunk.frame !== null && <span className="muted">{`${frameLabel} ${chunk.frame}`}</span>}
        {chunk.length > 0 && (
          <BookmarkButton
            caseId={caseId}
            place={{ kind: 'stream-range', streamId, dir: chunk.dir, offset: chunk.offset, length: chunk.length }}
            what={`bytes ${chunk.offset}–${chunk.offset + chunk.length - 1} ${chunk.dir === 'out' ? 'sent' : 'received'}`}
            shortcut={isTarget}
          />
        )}
      </div>
      {bytes.length > 0 && (rendering === 'ascii' ? <AsciiBody bytes={bytes} base={chunk.offset} ranges={ranges} /> : <HexBody bytes={bytes} base={chunk.offset} ranges={ranges} withText={rendering === 'both'} />)}
      {cut && <div className="chunk-cut">{`… ${formatCount(chunk.length - chunk.captured)} more bytes not captured (snapshot length)`}</div>}
    </div>
  );
});

const MARK_CLASS: Record<NonNullable<Segment['kind']>, string> = {
  target: 'stream-mark stream-target',
  mark: 'stream-mark',
  'grpc-prefix': 'stream-grpc stream-grpc-prefix',
  grpc: 'stream-grpc',
};

function wrap(seg: Segment, content: string, key: number): ReactNode {
  if (seg.kind === null) return <span key={key}>{content}</span>;
  return (
    <mark key={key} className={MARK_CLASS[seg.kind]} title={seg.title ?? undefined}>
      {content}
    </mark>
  );
}

function AsciiBody({ bytes, base, ranges }: { bytes: Uint8Array; base: number; ranges: readonly ByteRange[] }) {
  const parts = segments(base, bytes.length, ranges);
  return <pre className="chunk-text">{parts.map((s, i) => wrap(s, printable(bytes.subarray(s.start, s.end)), i))}</pre>;
}

const ROW = 16;

function HexBody({ bytes, base, ranges, withText }: { bytes: Uint8Array; base: number; ranges: readonly ByteRange[]; withText: boolean }) {
  const rows: ReactNode[] = [];
  for (let at = 0; at < bytes.length; at += ROW) {
    const row = bytes.subarray(at, Math.min(at + ROW, bytes.length));
    const parts = segments(base + at, row.length, ranges);
    const hex = parts.map((s, i) => wrap(s, Array.from(row.subarray(s.start, s.end), (b) => `${hexByte(b)} `).join(''), i));
    rows.push(
      <div className="hex-row" key={at}>
        <span className="hex-offset">{hexOffset(base + at)}</span>
        <span className="hex-bytes">
          {hex}
          {'   '.repeat(ROW - row.length)}
        </span>
        {withText && <span className="hex-text">{parts.map((s, i) => wrap(s, Array.from(row.subarray(s.start, s.end), dumpChar).join(''), i))}</span>}
      </div>,
    );
  }
  return <pre className="chunk-hex">{rows}</pre>;
}
