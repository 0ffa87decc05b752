import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type FormEvent } from 'react';
import type { FilterCheck, FilterTargetName } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { toApiError } from '../../transport/errors';

export interface FilterBarHandle {
  focus(): void;
}

interface FilterBarProps {
  caseId: string;
  /** The filter in force. */
  applied: string;
  /** What the current view filters (its rows' table); null when the view takes no filter. */
  target: FilterTargetName | null;
  onApply(filter: string): void;
}

interface Fault {
  message: string;
  column: number;
  expr: string;
}

/** Notes on an applied expression: its fields the case's evidence never fills. */
interface Notes {
  expr: string;
  lines: string[];
}

/**
 * The filter language over every view. Enter checks the expression against the current view's
 * target and applies it; a fault is shown under the field with its column marked, and while the
 * field holds other text than the filter in force, the bar says which filter the views show.
 */
export const FilterBar = forwardRef<FilterBarHandle, FilterBarProps>(function FilterBar({ caseId, applied, target, onApply }, ref) {
  const { api } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(applied);
  const [fault, setFault] = useState<Fault | null>(null);
  const [notes, setNotes] = useState<Notes | null>(null);
  const [checking, setChecking] = useState(false);

  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }), []);
  // A filter set from elsewhere (a tile's drill) shows in the field.
  useEffect(() => {
    setDraft(applied);
    setFault(null);
  }, [applied]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const expr = draft.trim();
    if (expr === '' || target === null) {
      setFault(null);
      onApply(expr);
      return;
    }
    setChecking(true);
    try {
      const check: FilterCheck = await api.call('filter.check', { expr, target, caseId });
      if (check.ok) {
        setFault(null);
        setNotes(check.notes ? { expr, lines: check.notes } : null);
        onApply(expr);
      } else {
        setFault({ message: check.message, column: check.column, expr });
        input.current?.focus();
        // Put the caret where the fault is.
        const at = Math.max(0, Math.min(expr.length, check.column - 1)) + (draft.length - draft.trimStart().length);
        input.current?.setSelectionRange(at, at + 1);
      }
    } catch (reason) {
      setFault({ message: toApiError(reason).message, column: 1, expr });
    } finally {
      setChecking(false);
    }
  }

  const dirty = draft.trim() !== applied;
  const inForce = fault !== null || (dirty && draft.trim() !== '');
  return (
    <form className="filter-bar" role="search" onSubmit={(e) => void submit(e)}>
      <label htmlFor="filter-input" className="filter-label">
        Filter
      </label>
      <input
        id="filter-input"
        ref={input}
        type="text"
        className={`filter-input mono${fault ? ' filter-input-bad' : ''}`}
        value={draft}
        spellCheck={false}
        autoComplete="off"
        placeholder="e.g. proc.name=curl and evt.type=connect   (/ or s to focus, Enter to apply)"
        aria-invalid={fault !== null}
        aria-describedby={fault ? 'filter-error' : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          if (fault) setFault(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setDraft(applied);
            setFault(null);
            input.current?.blur();
          }
        }}
      />
      <button type="submit" disabled={checking || (!dirty && !fault)}>
        Apply
      </button>
      {applied !== '' && (
        <button
          type="button"
          onClick={() => {
            setDraft('');
            setFault(null);
            onApply('');
          }}
        >
          Clear
        </button>
      )}
      {target === null && applied !== '' && <span className="muted small">This view is not filtered.</span>}
      {fault && <FilterFault fault={fault} />}
      {inForce && (
        <p className="filter-in-force small" aria-live="polite">
          {applied === '' ? (
            'The views show everything: no filter is in force.'
          ) : (
            <>
              The views show the filter in force: <code className="mono">{applied}</code>
            </>
          )}
          {fault ? '' : ' (Enter applies the text above, Escape puts it back)'}
        </p>
      )}
      {notes?.expr === applied && !dirty && (
        <ul className="filter-notes small" role="status">
          {notes.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </form>
  );
});

/** The expression again, with the faulty column marked, and the parser's message. */
function FilterFault({ fault }: { fault: Fault }) {
  const at = Math.max(0, Math.min(fault.expr.length, fault.column - 1));
  const before = fault.expr.slice(0, at);
  const marked = fault.expr.slice(at, at + 1) || ' ';
  const after = fault.expr.slice(at + 1);
  return (
    <div id="filter-error" className="filter-error" role="alert">
      <code className="filter-echo">
        {before}
        <mark className="filter-mark">{marked}</mark>
        {after}
      </code>
      {/* The message names its column itself. */}
      <span className="filter-message">{fault.message}</span>
    </div>
  );
}
