import type { StreamTarget } from '../../view-kit/contract';
import { ByteHitList, ByteSearchForm, useByteSearch } from '../../components/ByteSearch';
import { useApp } from '../../context/app-context';
import './search.css';

/** A string, hex bytes or a regex across the captured bytes of every stream; a hit opens its stream there. */
export function SearchView({ caseId, network, onOpenStream }: { caseId: string; network: boolean; onOpenStream: (target: StreamTarget) => void }) {
  const { api } = useApp();
  const search = useByteSearch((query) => api.call('search.bytes', { caseId, query, limit: 500 }));
  return (
    <div className="search-view">
      <p className="muted small">Every stream&apos;s captured bytes, each direction in order (a hit across two packets or two calls is found; none across bytes the capture missed).</p>
      <ByteSearchForm label="Search all streams" run={search.run} busy={search.busy} />
      <ByteHitList
        result={search.result}
        error={search.error}
        showStream
        dirLabel={(h) => (network ? (h.dir === 'out' ? 'client → server' : 'server → client') : h.dir === 'out' ? 'written' : 'read')}
        onOpen={(h) => onOpenStream({ streamId: h.streamId, dir: h.dir, offset: h.offset })}
      />
    </div>
  );
}
