import { useState } from 'react';
import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { useQuery } from '../../hooks/use-query';
import { formatBytes } from '../../format';
import type { DocumentInfo } from '../../../core/domain/profile/contract';

/**
 * The text files that came with the profiles (a /debug/pprof/all bundle's shards.txt, stats.txt,
 * diagnostics.txt): pick one, read it as it is. Text only: React writes it as text, never markup.
 */
export function BundleDocuments({ caseId, documents }: { caseId: string; documents: DocumentInfo[] }) {
  const [picked, setPicked] = useState<number | null>(null);
  const shown = documents.find((d) => d.id === picked) ?? documents[0];
  if (!shown) return <p className="muted empty">No text documents came with these profiles.</p>;
  return (
    <div className="bundle-documents">
      <ul className="document-list" aria-label="Documents">
        {documents.map((d) => (
          <li key={d.id}>
            <button type="button" className={d.id === shown.id ? 'document-pick selected' : 'document-pick'} aria-pressed={d.id === shown.id} onClick={() => setPicked(d.id)}>
              <span className="mono">{d.entry}</span> <span className="muted small">{formatBytes(d.bytes)}</span>
            </button>
          </li>
        ))}
      </ul>
      <DocumentText caseId={caseId} document={shown} />
    </div>
  );
}

function DocumentText({ caseId, document }: { caseId: string; document: DocumentInfo }) {
  const { api } = useApp();
  const { data, error } = useQuery(`${caseId}/document/${document.id}`, () => api.call('profile.document', { caseId, id: document.id }));
  return (
    <section className="document-text" aria-label={document.entry}>
      <ErrorLine error={error} />
      {document.truncated && <p className="muted small">{`Only its first MiB is kept (it has ${formatBytes(document.bytes)}).`}</p>}
      {data && <pre className="document-body">{data.text}</pre>}
    </section>
  );
}
