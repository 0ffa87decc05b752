import { useEffect, useRef } from 'react';
import type { ExchangeDetail as Detail, GrpcMessageBytes, MessageSide } from '../../../core/domain/http/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { decodeBase64, dumpChar, hexByte, printable } from '../../formatting/bytes';
import { useQuery } from '../../hooks/use-query';
import type { StreamTarget } from '../../view-kit/contract';
import { formatNs } from '../../formatting/time';
import { formatMoment } from '../../formatting/time-display';
import { useTimeDisplay } from '../../context/time-display-context';
import { formatCount } from '../../format';
import { formatBytePlace } from '../../../common/format';
import { BookmarkButton } from '../../components/BookmarkButton';
/** One exchange: request and response side by side, with their bytes and diagnostics. */
export function ExchangeDetail({
  caseId,
  id,
  onOpenStream,
  reveal = false,
  onShown,
}: {
  caseId: string;
  id: number;
  onOpenStream: (t: StreamTarget) => void;
  reveal?: boolean;
  /** Told once the exchange's detail shows, with its heading (the HTTP view keeps it on screen). */
  onShown?: (heading: HTMLElement) => void;
}) {
  const { api } = useApp();
  const { data, error } = useQuery(`${caseId}/${id}`, () => api.call('http.exchange', { caseId, id }));
  const section = useRef<HTMLElement | null>(null);
  const loaded = data?.row.id === id;
  // Opened from a link to this exchange: its detail is what the user came for, so it is brought into view.
  useEffect(() => {
    if (reveal && loaded) section.current?.scrollIntoView({ block: 'start' });
    else if (loaded && section.current) onShown?.(section.current.querySelector('h2') ?? section.current);
  }, [reveal, loaded, id]);
  if (error) return <ErrorLine error={error} />;
  if (!data || data.row.id !== id) return <p className="status-line muted">Loading exchange {id}…</p>;
  const row = data.row;
  return (
    <section className="exchange-detail" aria-label={`Exchange ${id}`} ref={section}>
      <h2>
        {`Exchange ${id}: ${row.method ?? '?'} ${row.target ?? ''} → ${row.status ?? 'no response'} ${row.reason ?? ''}`.trimEnd()}
        {row.grpc && ` · gRPC ${row.grpc.statusName ?? 'status not seen'}${row.grpc.message !== null ? ` '${row.grpc.message}'` : ''}`}
      </h2>
      <p className="muted small">
        {[
          `${row.client ?? '?'} → ${row.server ?? '?'}`,
          row.http2Stream !== null ? `HTTP/2 stream ${row.http2Stream}` : row.version ? `HTTP/${row.version}` : null,
          row.http2Error ? `ended by ${row.http2Error}` : null,
          row.container ? `container ${row.container.name ?? row.container.id}` : null,
          row.proc,
          `latency ${formatNs(row.latencyNs)}`,
          row.views > 1 ? `stitched from ${row.views} views` : null,
          row.truncated ? 'truncated by the capture' : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <BookmarkButton caseId={caseId} place={{ kind: 'exchange', exchangeId: id }} what={`exchange ${id}`} shortcut />
      {data.diagnostics.length > 0 && (
        <ul className="exchange-diagnostics">
          {data.diagnostics.map((d, i) => (
            <li key={i} className={`diag diag-${d.severity}`}>
              <span className={`badge badge-${d.severity === 'error' ? 'bad' : d.severity === 'warning' ? 'warn' : 'neutral'}`}>{d.code}</span>{' '}
              <span>{`${d.side}: ${d.message}`}</span>{' '}
              <button type="button" className="link-button" onClick={() => onOpenStream({ streamId: d.streamId, dir: d.dir, offset: d.offset })}>
                {`see the bytes (stream ${d.streamId}, ${formatBytePlace(d.at, d.length === d.line.length && d.line.length > 0 ? { offset: d.offset, text: d.line } : null)})`}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="message-pair">
        <MessagePane title="Request" side={data.request} detail={data} onOpenStream={onOpenStream} />
        {data.response ? <MessagePane title="Response" side={data.response} detail={data} onOpenStream={onOpenStream} /> : <div className="message-pane empty">No response was captured.</div>}
      </div>
      {data.grpcMessages.length > 0 && <GrpcMessages messages={data.grpcMessages} onOpenStream={onOpenStream} />}
    </section>
  );
}

function MessagePane({ title, side, detail, onOpenStream }: { title: string; side: MessageSide; detail: Detail; onOpenStream: (t: StreamTarget) => void }) {
  const time = useTimeDisplay();
  const text = printable(decodeBase64(side.data));
  const marks = detail.diagnostics.filter((d) => d.streamId === side.streamId && d.dir === side.dir && d.offset >= side.start && d.offset < side.end);
  return (
    <div className="message-pane">
      <div className="message-head">
        <h3>{title}</h3>
        <span className="muted small">{formatMoment(side.ts, time)}</span>
        <span className="muted small">{`${formatCount(side.end - side.start)} bytes${side.complete ? '' : ', incomplete'}`}</span>
        {side.dir !== null && (
          <button type="button" className="link-button" onClick={() => onOpenStream({ streamId: side.streamId, dir: side.dir!, offset: side.start })}>
            {`stream ${side.streamId}`}
          </button>
        )}
      </div>
      {detail.row.http2Stream !== null ? (
        // HTTP/2 frames are binary and interleave with other streams': the decoded header fields say it.
        <pre className="message-bytes" aria-label={`${title} header fields`}>
          {side.headers.length > 0 ? side.headers.map(([n, v]) => `${n}: ${v}`).join('\n') : '(no header field decoded)'}
        </pre>
      ) : (
        <pre className="message-bytes">{highlightLines(text, marks.map((m) => m.line))}</pre>
      )}
      {detail.row.http2Stream === null && side.cut && <p className="chunk-cut">{`Shown: ${formatCount(side.capturedBytes)} captured bytes of ${formatCount(side.end - side.start)}.`}</p>}
    </div>
  );
}

/** The message's text with the lines a diagnostic is about marked. Plain text only: no markup from the capture. */
function highlightLines(text: string, lines: string[]) {
  if (lines.length === 0) return text;
  return text.split('\n').map((line, i, all) => {
    const bare = line.replace(/\r$/, '');
    const suffix = i < all.length - 1 ? '\n' : '';
    return lines.includes(bare) ? (
      <span key={i}>
        <mark className="stream-mark">{bare}</mark>
        {suffix}
      </span>
    ) : (
      <span key={i}>{line + suffix}</span>
    );
  });
}

const HEX_ROW = 16;

/** A gRPC call's messages, each framed with its prefix's facts; bytes as hex and printable, never decoded. */
function GrpcMessages({ messages, onOpenStream }: { messages: GrpcMessageBytes[]; onOpenStream: (t: StreamTarget) => void }) {
  return (
    <div className="grpc-messages">
      <h3>gRPC messages</h3>
      <p className="muted small">Length-prefixed messages as sent; their bytes are not decoded (that needs the service's schema).</p>
      {messages.map((m) => {
        const bytes = decodeBase64(m.data);
        const rows: { at: number; hex: string; text: string }[] = [];
        for (let i = 0; i < bytes.length; i += HEX_ROW) {
          const slice = Array.from(bytes.subarray(i, i + HEX_ROW));
          rows.push({ at: i, hex: slice.map(hexByte).join(' '), text: slice.map(dumpChar).join('') });
        }
        return (
          <figure key={`${m.side}-${m.index}`} className={`grpc-message grpc-${m.side}`} aria-label={`${m.side} message ${m.index}`}>
            <figcaption>
              <strong>{`${m.side === 'request' ? 'Request' : 'Response'} message ${m.index}`}</strong>
              <span className="muted small">{` · ${formatCount(m.length)} bytes${m.compressed ? ' · compressed' : ''}${m.complete ? '' : ' · incomplete'}`}</span>{' '}
              <button type="button" className="link-button" onClick={() => onOpenStream({ streamId: m.streamId, dir: m.dir, offset: m.offset })}>
                {`stream ${m.streamId}, byte ${formatCount(m.offset)}`}
              </button>
            </figcaption>
            {bytes.length === 0 ? (
              <p className="muted small">{m.length === 0 ? 'An empty message.' : 'Its bytes were not captured.'}</p>
            ) : (
              <pre className="grpc-dump">{rows.map((r) => `${r.at.toString(16).padStart(4, '0')}  ${r.hex.padEnd(HEX_ROW * 3 - 1)}  ${r.text}`).join('\n')}</pre>
            )}
            {bytes.length > 0 && bytes.length < m.length && <p className="chunk-cut">{`Shown: ${formatCount(bytes.length)} captured bytes of ${formatCount(m.length)}.`}</p>}
          </figure>
        );
      })}
    </div>
  );
}
