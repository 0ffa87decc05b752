import { ByteHitList, ByteSearchForm, useByteSearch } from '../../components/ByteSearch';
import { useApp } from '../../context/app-context';
import type { StreamTarget } from '../../view-kit/contract';

/** Find in this stream's bytes (both directions); a hit moves the view to its byte. */
export function StreamFind({ caseId, streamId, network, onGo }: { caseId: string; streamId: number; network: boolean; onGo: (target: StreamTarget) => void }) {
  const { api } = useApp();
  const search = useByteSearch((query) => api.call('search.bytes', { caseId, query, streamId, limit: 500 }));
  return (
    <details className="stream-find">
      <summary>Find in this stream</summary>
      <ByteSearchForm label="Find in this stream" run={search.run} busy={search.busy} />
      <ByteHitList
        result={search.result}
        error={search.error}
        showStream={false}
        dirLabel={(h) => (network ? (h.dir === 'out' ? 'client → server' : 'server → client') : h.dir === 'out' ? 'written' : 'read')}
        onOpen={(h) => onGo({ streamId, dir: h.dir, offset: h.offset })}
      />
    </details>
  );
}
