import { useState } from 'react';
import type { ApiError } from '../../../core/api';
import type { ResolvedBookmark } from '../../../core/domain/bookmarks/contract';
import { ErrorLine } from '../../components/ErrorLine';
import { useApp } from '../../context/app-context';
import { useTimeDisplay } from '../../context/time-display-context';
import { formatMoment } from '../../formatting/time-display';
import { useQuery } from '../../hooks/use-query';
import { caseRoute, routeHash } from '../../routing/route';
import { toApiError } from '../../transport/errors';
import type { CaseContext } from '../../view-kit/case-view';
import { showFinding } from '../findings/findings-memory';
import './bookmarks.css';

const KIND_LABEL: Record<ResolvedBookmark['key']['kind'], string> = {
  event: 'event',
  packet: 'packet',
  stream: 'stream',
  'stream-range': 'bytes',
  exchange: 'HTTP exchange',
  finding: 'finding',
  'heap-object': 'heap object',
};

/**
 * What we looked at and why: the case's bookmarks in the order they were made, with their notes
 * (edited in place), each opening its place; one the index no longer holds says what is gone.
 */
export function BookmarksView({ context }: { context: CaseContext }) {
  const { api } = useApp();
  const { caseId, revision } = context;
  const [edits, setEdits] = useState(0);
  const { data, error } = useQuery(JSON.stringify([caseId, revision, edits]), () => api.call('bookmarks.list', { caseId }));
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const act = (work: Promise<unknown>) =>
    work.then(
      () => setEdits((n) => n + 1),
      (reason) => setActionError(toApiError(reason)),
    );

  if (error) return <ErrorLine error={error} />;
  if (!data) return <p className="status-line muted">Loading…</p>;
  if (data.bookmarks.length === 0) {
    return <p className="muted empty">No bookmarks yet. Select an event, a packet, a stream's bytes, an HTTP exchange, a finding or a heap object and press b (or its ☆ Bookmark button) to mark it with a note.</p>;
  }
  return (
    <section className="bookmarks-view" aria-label="Bookmarks">
      <ErrorLine error={actionError} />
      <ol className="bookmark-list">
        {data.bookmarks.map((b) => (
          <BookmarkItem key={b.id} bookmark={b} context={context} onSave={(note) => act(api.call('bookmarks.update', { caseId, id: b.id, note }))} onRemove={() => act(api.call('bookmarks.remove', { caseId, id: b.id }))} />
        ))}
      </ol>
    </section>
  );
}

function BookmarkItem({ bookmark: b, context, onSave, onRemove }: { bookmark: ResolvedBookmark; context: CaseContext; onSave(note: string): void; onRemove(): void }) {
  const time = useTimeDisplay();
  const [note, setNote] = useState(b.note);
  const open = () => openPlace(b, context);
  return (
    <li className={`bookmark${b.missing ? ' bookmark-missing' : ''}`}>
      <div className="bookmark-head">
        <span className="badge badge-neutral">{KIND_LABEL[b.key.kind]}</span>
        <button type="button" className="link-button bookmark-open" disabled={!b.place} onClick={open} title={b.place ? 'Open it where it is' : undefined}>
          {b.label}
        </button>
        {b.ts && <span className="muted small">{formatMoment(b.ts, time)}</span>}
      </div>
      {b.missing && <p className="bookmark-gone small">{`No longer in the index: ${b.missing}`}</p>}
      <div className="bookmark-edit">
        <textarea aria-label={`Note on ${b.label}`} rows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <button type="button" disabled={note === b.note} onClick={() => onSave(note)}>
          Save note
        </button>
        <button type="button" onClick={onRemove} aria-label={`Remove the bookmark on ${b.label}`}>
          Remove
        </button>
      </div>
    </li>
  );
}

/** The view a bookmark's place is shown in, at the place. */
function openPlace(b: ResolvedBookmark, context: CaseContext): void {
  const place = b.place;
  if (!place) return;
  switch (place.kind) {
    case 'event':
      // The events table narrowed to the one event, by the filter sysdig would use.
      context.setFilter(`evt.num=${place.num}`);
      context.openTable('events');
      return;
    case 'exchange':
      context.openExchange(place.exchangeId);
      return;
    case 'finding':
      // The findings are listed on the overview, the case's landing view: its group expanded, it in view.
      if (b.key.kind === 'finding') showFinding(context.caseId, b.key.groupKey, b.key.index, place.findingId);
      window.location.hash = routeHash(caseRoute(context.caseId));
      return;
    case 'heap-object':
      window.location.hash = routeHash(caseRoute(context.caseId, { view: 'heap', rest: [String(place.sourceId)] }));
      return;
    case 'packet':
      // The packet list, the packet selected (and the filter and range left as they are: the list says when they leave it out).
      window.location.hash = routeHash(caseRoute(context.caseId, { view: 'packets', rest: ['frame', String(place.sourceId), String(place.frame)] }));
      return;
    case 'stream':
    case 'stream-range':
      if (b.stream) context.openStream(b.stream);
      return;
  }
}
