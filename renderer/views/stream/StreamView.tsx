import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../core/api';
import type { ChunkView, StreamInfo, StreamGrpcMessage, StreamMark, StreamPeer } from '../../../core/domain/streams/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { toApiError } from '../../transport/errors';
import { formatInstant, formatMoment } from '../../formatting/time-display';
import { useTimeDisplay } from '../../context/time-display-context';
import type { StreamTarget } from '../../view-kit/contract';
import { decodeBase64 } from '../../formatting/bytes';
import { ChunkBlock, type ByteRendering } from './ChunkBlock';
import { lineLength, type ByteRange } from './highlight';
import { streamHash } from './stream-route';
import { useQuery } from '../../hooks/use-query';
import '../../formatting/bytes.css';
import './stream.css';
import { formatCount } from '../../format';
import { StreamExports } from './StreamExports';
import { StreamFind } from './StreamFind';
import { peerPlace } from './peer-place';
import { BookmarkButton } from '../../components/BookmarkButton';
import { caseRoute, routeHash } from '../../routing/route';
import { formatBytePlace } from '../../../common/format';

const PAGE = 200;
const RENDERINGS: { id: ByteRendering; label: string }[] = [
  { id: 'ascii', label: 'ASCII' },
  { id: 'hex', label: 'Hex' },
  { id: 'both', label: 'Hex + ASCII' },
];

interface Loaded {
  chunks: ChunkView[];
  hasBefore: boolean;
  hasAfter: boolean;
  located: number | null;
}
/** One connection's conversation, both directions interleaved in two colours, a page at a time. */
export function StreamView({ caseId, target }: { caseId: string; target: StreamTarget }) {
  const { api } = useApp();
  const time = useTimeDisplay();
  const { streamId, dir, offset } = target;
  const [rendering, setRendering] = useState<ByteRendering>('ascii');
  const head = useQuery(`${caseId}/${streamId}`, () => api.call('stream.get', { caseId, streamId }));
  const peers = useQuery(`${caseId}/${streamId}`, () => api.call('stream.peers', { caseId, streamId }));
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const scrollPending = useRef(false);
  const targetRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const mine = ++generation.current;
    setLoaded(null);
    setError(null);
    setBusy(true);
    const at = dir !== undefined && offset !== undefined ? { dir, offset } : undefined;
    api.call('stream.chunks', { caseId, streamId, at, fromSeq: at ? undefined : 0, limit: PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        scrollPending.current = page.located !== null;
        setLoaded(page);
        setBusy(false);
      },
      (reason) => {
        if (mine !== generation.current) return;
        setError(toApiError(reason));
        setBusy(false);
      },
    );
  }, [api, caseId, streamId, dir, offset]);

  const loadMore = useCallback(
    (where: 'before' | 'after') => {
      if (!loaded || busy) return;
      const mine = generation.current;
      setBusy(true);
      const req = where === 'after' ? { fromSeq: (loaded.chunks.at(-1)?.seq ?? -1) + 1 } : { beforeSeq: loaded.chunks[0]?.seq ?? 0 };
      api.call('stream.chunks', { caseId, streamId, limit: PAGE, ...req }).then(
        (page) => {
          if (mine !== generation.current) return;
          setLoaded((prev) =>
            prev && where === 'after'
              ? { ...prev, chunks: [...prev.chunks, ...page.chunks], hasAfter: page.hasAfter }
              : prev && { ...prev, chunks: [...page.chunks, ...prev.chunks], hasBefore: page.hasBefore },
          );
          setBusy(false);
        },
        (reason) => {
          if (mine !== generation.current) return;
          setError(toApiError(reason));
          setBusy(false);
        },
      );
    },
    [api, caseId, streamId, loaded, busy],
  );

  // Scroll to the place a link pointed at, once its chunk is on screen.
  useLayoutEffect(() => {
    if (!scrollPending.current || !targetRef.current) return;
    scrollPending.current = false;
    const mark = targetRef.current.querySelector('.stream-target') ?? targetRef.current;
    mark.scrollIntoView({ block: 'center' });
    targetRef.current.focus({ preventScroll: true });
  }, [loaded, rendering]);

  // Reading on past the end of a page loads the next one.
  const sentinel = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !loaded?.hasAfter) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore('after'), { rootMargin: '400px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [loaded, loadMore]);

  const stream = head.data?.stream ?? null;
  const ranges = useMemo(() => highlightRanges(head.data?.marks ?? [], head.data?.grpcMessages ?? [], loaded, target), [head.data, loaded, target]);
  const network = stream !== null && stream.endpoints.every((e) => e.pid === null);

  return (
    <div className="stream-view">
      <header className="stream-header">
        <h1>{stream ? `Stream ${stream.id}: ${stream.tuple ?? stream.kind}` : `Stream ${streamId}`}</h1>
        {stream && <StreamFacts stream={stream} network={network} />}
        <ErrorLine error={head.error} />
      </header>
      {peers.data && peers.data.peers.length > 0 && <PeerLinks caseId={caseId} peers={peers.data.peers} target={target} />}
      {head.data && head.data.marks.length > 0 && <MarkLinks caseId={caseId} streamId={streamId} marks={head.data.marks} />}
      {stream && <StreamFind caseId={caseId} streamId={streamId} network={network} onGo={(t) => (window.location.hash = streamHash(caseId, t))} />}
      {head.data && head.data.grpcMessages.length > 0 && <GrpcLinks caseId={caseId} streamId={streamId} messages={head.data.grpcMessages} />}
      <div className="toolbar stream-toolbar">
        <div className="segmented" role="group" aria-label="Show bytes as">
          {RENDERINGS.map((r) => (
            <button key={r.id} type="button" aria-pressed={rendering === r.id} onClick={() => setRendering(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
        <span className="stream-legend">
          <span className="legend-out">{network ? 'client → server' : 'written (out)'}</span>
          <span className="legend-in">{network ? 'server → client' : 'read (in)'}</span>
        </span>
        {stream && network && (
          <button type="button" title="This connection's packets in the packet list (Wireshark's conversation filter)" onClick={() => (window.location.hash = routeHash(caseRoute(caseId, { view: 'packets', rest: ['stream', String(streamId)] })))}>
            Packets
          </button>
        )}
        {stream && <StreamExports caseId={caseId} streamId={streamId} network={network} />}
        {stream && <BookmarkButton caseId={caseId} place={{ kind: 'stream', streamId }} what={`stream ${stream.tuple ?? stream.id}`} shortcut={loaded?.located === null} />}
      </div>
      <ErrorLine error={error} />
      {loaded && loaded.hasBefore && (
        <button type="button" className="stream-more" disabled={busy} onClick={() => loadMore('before')}>
          Load earlier bytes
        </button>
      )}
      <div className="stream-body" role="region" aria-label="Stream bytes" tabIndex={0} aria-busy={busy}>
        {loaded && loaded.chunks.length === 0 && <p className="empty">This stream carried no bytes.</p>}
        {loaded?.chunks.map((c, i) => {
          const isTarget = c.seq === loaded.located;
          const block = (
            <ChunkBlock
              key={c.seq}
              chunk={c}
              rendering={rendering}
              ranges={ranges[c.dir]}
              dirLabel={dirLabel(c.dir, network)}
              frameLabel={network ? 'frame' : 'event'}
              isTarget={isTarget}
              timeText={formatInstant(c.ts, time, loaded.chunks[i - 1]?.ts ?? null)}
              caseId={caseId}
              streamId={streamId}
            />
          );
          return isTarget ? (
            <div key={c.seq} ref={targetRef} tabIndex={-1} className="chunk-anchor">
              {block}
            </div>
          ) : (
            block
          );
        })}
        {busy && <p className="status-line muted">Loading bytes…</p>}
        <div ref={sentinel} />
      </div>
      {loaded && loaded.hasAfter && (
        <button type="button" className="stream-more" disabled={busy} onClick={() => loadMore('after')}>
          Load more bytes
        </button>
      )}
    </div>
  );
}

function dirLabel(dir: 'in' | 'out', network: boolean): string {
  if (network) return dir === 'out' ? 'client → server' : 'server → client';
  return dir === 'out' ? 'write' : 'read';
}

function StreamFacts({ stream, network }: { stream: StreamInfo; network: boolean }) {
  const time = useTimeDisplay();
  const ends = stream.endpoints
    .filter((e) => !network || e.role === stream.role || stream.endpoints.length === 1)
    .map((e) => [e.proc && `${e.proc}${e.pid !== null ? ` (pid ${e.pid})` : ''}`, e.container && `container ${e.container.name ?? e.container.id}`, e.fd !== null && `fd ${e.fd}`].filter(Boolean).join(', '))
    .filter(Boolean);
  const cut = (captured: number, moved: number) => (captured < moved ? `${formatCount(captured)} of ${formatCount(moved)} bytes captured` : `${formatCount(moved)} bytes`);
  return (
    <dl className="stream-facts">
      <div>
        <dt>{network ? 'client → server' : 'written'}</dt>
        <dd>{cut(stream.capturedOut, stream.bytesOut)}</dd>
      </div>
      <div>
        <dt>{network ? 'server → client' : 'read'}</dt>
        <dd>{cut(stream.capturedIn, stream.bytesIn)}</dd>
      </div>
      {stream.gapBytes > 0 && (
        <div>
          <dt>missing</dt>
          <dd>{`${formatCount(stream.gapBytes)} bytes`}</dd>
        </div>
      )}
      <div>
        <dt>kind</dt>
        <dd>{[stream.kind, stream.protocol, stream.state].filter(Boolean).join(' · ')}</dd>
      </div>
      {ends.length > 0 && (
        <div>
          <dt>endpoint</dt>
          <dd>{`${ends.join('; ')}${stream.role ? ` (${stream.role})` : ''}`}</dd>
        </div>
      )}
      <div>
        <dt>from</dt>
        <dd>{formatMoment(stream.firstTs, time)}</dd>
      </div>
    </dl>
  );
}

function PeerLinks({ caseId, peers, target }: { caseId: string; peers: StreamPeer[]; target: StreamTarget }) {
  return (
    <nav className="stream-peers" aria-label="Other views of this connection">
      <span className="muted">Also captured by the other end:</span>
      {peers.map((p) => {
        const who = p.stream.endpoints[0];
        const label = [who?.proc, who?.pid !== null && who?.pid !== undefined ? `pid ${who.pid}` : null, who?.container ? (who.container.name ?? who.container.id) : null, `stream ${p.stream.id}`].filter(Boolean).join(' · ');
        const place = peerPlace(p, target);
        return (
          <span key={p.stream.id} className="stream-peer">
            <a href={streamHash(caseId, place.target)}>{label}</a>
            {place.short && <span className="muted small peer-short">{` (${place.short})`}</span>}
          </span>
        );
      })}
    </nav>
  );
}

function MarkLinks({ caseId, streamId, marks }: { caseId: string; streamId: number; marks: StreamMark[] }) {
  return (
    <nav className="stream-marks" aria-label="Diagnostics in this stream">
      <span className="muted">{marks.length === 1 ? 'Diagnostic:' : `${marks.length} diagnostics:`}</span>
      {marks.slice(0, 20).map((m, i) => (
        <a key={i} href={streamHash(caseId, { streamId, dir: m.dir, offset: m.offset })} className={`mark-link mark-${m.severity}`} title={m.message}>
          {`${m.code} (${m.dir === 'in' ? 'received' : 'sent'}: ${formatBytePlace(m.at, markLine(m))})`}
        </a>
      ))}
      {marks.length > 20 && <span className="muted">{`and ${marks.length - 20} more`}</span>}
    </nav>
  );
}

/** The line a mark covers, when it was found in the captured bytes (else the mark is the offending byte alone). */
function markLine(m: StreamMark): { offset: number; text: string } | null {
  return m.length === m.line.length && m.line.length > 0 ? { offset: m.offset, text: m.line } : null;
}

function GrpcLinks({ caseId, streamId, messages }: { caseId: string; streamId: number; messages: StreamGrpcMessage[] }) {
  return (
    <nav className="stream-marks" aria-label="gRPC messages in this stream">
      <span className="muted">{`${messages.length} gRPC message${messages.length === 1 ? '' : 's'} framed:`}</span>
      {messages.slice(0, 12).map((m, i) => (
        <a key={i} href={streamHash(caseId, { streamId, dir: m.dir, offset: m.offset })} className="mark-link grpc-link" title={grpcTitle(m)}>
          {`${m.call ?? 'call'} ${m.side} ${m.index} (${formatCount(m.length)} B)`}
        </a>
      ))}
      {messages.length > 12 && <span className="muted">{`and ${messages.length - 12} more`}</span>}
    </nav>
  );
}

function grpcTitle(m: StreamGrpcMessage): string {
  return `gRPC ${m.side} message ${m.index}${m.call ? ` of ${m.call}` : ''}: ${m.length} bytes${m.compressed ? ', compressed' : ''} (exchange ${m.exchangeId})`;
}

/** The diagnostics' byte ranges per direction, the gRPC messages framed, and the range a link pointed at. */
function highlightRanges(marks: StreamMark[], grpc: StreamGrpcMessage[], loaded: Loaded | null, target: StreamTarget): Record<'in' | 'out', ByteRange[]> {
  const out: Record<'in' | 'out', ByteRange[]> = { in: [], out: [] };
  for (const m of marks) out[m.dir].push({ from: m.offset, to: m.offset + m.length, kind: 'mark', title: `${m.code}: ${m.message}` });
  for (const m of grpc) {
    const title = grpcTitle(m);
    out[m.dir].push({ from: m.offset, to: m.offset + 5, kind: 'grpc-prefix', title: `${title}: its 5-byte prefix` });
    for (const [at, length] of m.pieces) out[m.dir].push({ from: at, to: at + length, kind: 'grpc', title });
  }
  if (target.dir === undefined || target.offset === undefined) return out;
  const at = target.offset;
  const covering = out[target.dir].find((r) => r.from <= at && r.to > at);
  if (covering) {
    out[target.dir].push({ ...covering, kind: 'target' });
    return out;
  }
  // A link with no diagnostic behind it: the rest of the line it points into.
  const chunk = loaded?.chunks.find((c) => c.seq === loaded.located);
  if (chunk && chunk.dir === target.dir && at >= chunk.offset && at < chunk.offset + chunk.captured) {
    const length = lineLength(decodeBase64(chunk.data), at - chunk.offset);
    out[target.dir].push({ from: at, to: at + length, kind: 'target', title: 'linked bytes' });
  }
  return out;
}
