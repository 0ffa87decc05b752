import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../core/api';
import type { ByteHit, ByteQuery, ByteSearchResult, SearchMode } from '../../core/domain/search/contract';
import { ErrorLine } from './ErrorLine';
import { toApiError } from '../transport/errors';

const MODES: { id: SearchMode; label: string }[] = [
  { id: 'text', label: 'Text' },
  { id: 'hex', label: 'Hex bytes' },
  { id: 'regex', label: 'Regex' },
];

/** A query's field, its kind (text, hex, regex) and case folding, and the search it runs. */
export function ByteSearchForm({ label, run, busy }: { label: string; run: (query: ByteQuery) => void; busy: boolean }) {
  const [pattern, setPattern] = useState('');
  const [mode, setMode] = useState<SearchMode>('text');
  const [ignoreCase, setIgnoreCase] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pattern !== '') run({ mode, pattern, ignoreCase });
  };
  return (
    <form className="byte-search-form" role="search" aria-label={label} onSubmit={submit}>
      <input
        type="search"
        value={pattern}
        onChange={(e) => setPattern(e.currentTarget.value)}
        placeholder={mode === 'hex' ? 'de ad be ef' : mode === 'regex' ? 'HTTP/1\\.[01] 5\\d\\d' : 'text to find in the bytes'}
        aria-label={`${label}: pattern`}
        spellCheck={false}
      />
      <select value={mode} onChange={(e) => setMode(e.currentTarget.value as SearchMode)} aria-label="Pattern kind">
        {MODES.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </select>
      <label className="muted small">
        <input type="checkbox" checked={ignoreCase} disabled={mode === 'hex'} onChange={(e) => setIgnoreCase(e.currentTarget.checked)} /> Ignore case
      </label>
      <button type="submit" disabled={busy || pattern === ''}>
        {busy ? 'Searching…' : 'Find'}
      </button>
    </form>
  );
}

/** One search's state: its result or error, and whether it runs. */
export function useByteSearch(search: (query: ByteQuery) => Promise<ByteSearchResult>) {
  const [result, setResult] = useState<ByteSearchResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (query: ByteQuery) => {
    setBusy(true);
    setError(null);
    search(query).then(
      (r) => {
        setResult(r);
        setBusy(false);
      },
      (reason: unknown) => {
        setError(toApiError(reason));
        setResult(null);
        setBusy(false);
      },
    );
  };
  return { result, error, busy, run };
}

/** The hits, each its context with the hit marked; a click (or Enter) opens the stream at it. */
export function ByteHitList({ result, error, showStream, dirLabel, onOpen }: { result: ByteSearchResult | null; error: ApiError | null; showStream: boolean; dirLabel: (hit: ByteHit) => string; onOpen: (hit: ByteHit) => void }) {
  if (error) return <ErrorLine error={error} />;
  if (!result) return null;
  return (
    <div className="byte-hits">
      <p className="muted small" role="status">
        {result.hits.length === 0 ? 'No hit' : `${result.hits.length.toLocaleString()}${result.complete ? '' : '+'} ${result.hits.length === 1 ? 'hit' : 'hits'}`} in{' '}
        {result.bytesSearched.toLocaleString()} bytes of {result.streamsSearched.toLocaleString()} {result.streamsSearched === 1 ? 'stream' : 'streams'}
        {result.complete ? '' : ' (the first ones; narrow the pattern for the rest)'}
      </p>
      {result.hits.length > 0 && (
        <ol className="byte-hit-list">
          {result.hits.map((h) => (
            <li key={`${h.streamId}:${h.dir}:${h.offset}`}>
              <button type="button" className="byte-hit" onClick={() => onOpen(h)}>
                {showStream && <span className="byte-hit-stream">{`stream ${h.streamId} ${h.label}`}</span>}
                <span className="byte-hit-where">{`${dirLabel(h)} @${h.offset}`}</span>
                <code className="byte-hit-preview">
                  {h.preview.slice(0, h.before)}
                  <mark>{h.preview.slice(h.before, h.before + h.shown)}</mark>
                  {h.preview.slice(h.before + h.shown)}
                </code>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
