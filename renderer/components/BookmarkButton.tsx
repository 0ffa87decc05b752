import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../core/api';
import type { BookmarkPlace } from '../../core/domain/bookmarks/contract';
import { useApp } from '../context/app-context';
import { toApiError } from '../transport/errors';
import { ErrorLine } from './ErrorLine';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

interface BookmarkButtonProps {
  caseId: string;
  /** The place to mark; null: nothing here can be marked (the button is not shown). */
  place: BookmarkPlace | null;
  /** What the place is, for the button's accessible name ("event 1234", "exchange 5"). */
  what: string;
  /** Ctrl+B and "b" (outside a text field) open this button's note: for the one selected thing of a view. */
  shortcut?: boolean;
}

/**
 * Marks a place of the evidence with a note (core/domain/bookmarks): a button that opens a note
 * field, saved with Enter or the Save button; the Bookmarks tab lists what was marked.
 */
export function BookmarkButton({ caseId, place, what, shortcut = false }: BookmarkButtonProps) {
  const { api } = useApp();
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  // Where the keyboard was when the note opened (the table's rows): it goes back there when the note closes.
  const returnTo = useRef<HTMLElement | null>(null);
  const placeKey = JSON.stringify(place);

  // Another place: another bookmark to make.
  useEffect(() => {
    setEditing(false);
    setSaved(null);
    setError(null);
    setNote('');
  }, [placeKey]);

  useEffect(() => {
    if (!shortcut || !place) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.altKey || event.metaKey) return;
      const ctrlB = event.ctrlKey && (event.key === 'b' || event.key === 'B');
      const b = !event.ctrlKey && event.key === 'b';
      if (!ctrlB && !b) return;
      // Ctrl+B is the browser's bookmark key too: this page's bookmark comes first.
      event.preventDefault();
      returnTo.current = document.activeElement as HTMLElement | null;
      setEditing(true);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [shortcut, placeKey]);

  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);

  if (!place) return null;

  const close = () => {
    setEditing(false);
    returnTo.current?.focus({ preventScroll: true });
    returnTo.current = null;
  };

  const save = () => {
    setError(null);
    api.call('bookmarks.add', { caseId, place, note: note.trim() }).then(
      (b) => {
        setSaved(b.label);
        close();
      },
      (reason) => setError(toApiError(reason)),
    );
  };

  return (
    <span className="bookmark-control">
      <button
        type="button"
        className={`bookmark-button${saved ? ' is-bookmarked' : ''}`}
        aria-label={`Bookmark ${what}`}
        aria-expanded={editing}
        title={`Bookmark ${what} with a note${shortcut ? ' (b or Ctrl+B)' : ''}`}
        onClick={() => setEditing(!editing)}
      >
        {saved ? '★ Bookmarked' : '☆ Bookmark'}
      </button>
      {editing && (
        <span className="bookmark-form" role="group" aria-label={`Note for the bookmark on ${what}`}>
          <textarea
            ref={field}
            aria-label="Bookmark note"
            rows={2}
            placeholder="Why it matters (optional)"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                save();
              } else if (e.key === 'Escape') {
                e.stopPropagation();
                close();
              }
            }}
          />
          <button type="button" className="primary" onClick={save}>
            Save bookmark
          </button>
        </span>
      )}
      <ErrorLine error={error} />
    </span>
  );
}
