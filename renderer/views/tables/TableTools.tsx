import { useCallback, useEffect, useRef, useState } from 'react';
import type { ViewScope } from '../../../core/api';
import type { DrillContext, TableColumn, TableExportFormat, TableId, TableSort } from '../../../core/domain/tables/contract';
import { useApp } from '../../context/app-context';
import { formatCount } from '../../format';
import { toApiError } from '../../transport/errors';
import { offerDownload } from '../../components/download';

const STORAGE_KEY = 'capscope.hiddenColumns';

/** The columns left out of a table, remembered per table across pages and cases. */
export function useHiddenColumns(table: TableId): [ReadonlySet<string>, (hidden: ReadonlySet<string>) => void] {
  const [all, setAll] = useState<Partial<Record<TableId, string[]>>>(readSaved);
  const hidden = new Set(all[table] ?? []);
  const set = useCallback(
    (next: ReadonlySet<string>) =>
      setAll((prev) => {
        const saved = { ...prev, [table]: [...next] };
        try {
          localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
        } catch {
          // Storage refused (a private window): the choice lasts for this page.
        }
        return saved;
      }),
    [table],
  );
  return [hidden, set];
}

function readSaved(): Partial<Record<TableId, string[]>> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return parsed !== null && typeof parsed === 'object' ? (parsed as Partial<Record<TableId, string[]>>) : {};
  } catch {
    return {};
  }
}

interface TableToolsProps {
  caseId: string;
  table: TableId;
  scope: ViewScope;
  drill: DrillContext;
  sort: TableSort | null;
  columns: readonly TableColumn[];
  hidden: ReadonlySet<string>;
  onHidden(hidden: ReadonlySet<string>): void;
  onStatus(text: string): void;
}

/**
 * A table's tools: the column chooser, and the export of every row in scope (asked of the API, so
 * it is the whole scope and not the rows on screen) as CSV or JSON, with the columns shown.
 */
export function TableTools({ caseId, table, scope, drill, sort, columns, hidden, onHidden, onStatus }: TableToolsProps) {
  const { api } = useApp();
  const [choosing, setChoosing] = useState(false);
  const [exporting, setExporting] = useState<TableExportFormat | null>(null);
  const chooser = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!choosing) return;
    const away = (event: MouseEvent) => {
      if (!chooser.current?.contains(event.target as Node)) setChoosing(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [choosing]);

  async function exportRows(format: TableExportFormat) {
    setExporting(format);
    onStatus(`Exporting ${format.toUpperCase()}…`);
    try {
      const shown = columns.filter((c) => !hidden.has(c.id)).map((c) => c.id);
      const out = await api.call('table.export', { caseId, table, scope, drill, sort, columns: shown, format });
      offerDownload(out.text, out.mediaType, out.fileName);
      onStatus(`Exported ${formatCount(out.rows)} ${out.rows === 1 ? 'row' : 'rows'} to ${out.fileName}.`);
    } catch (reason) {
      onStatus(`Export failed: ${toApiError(reason).message}`);
    } finally {
      setExporting(null);
    }
  }

  const shownCount = columns.filter((c) => !hidden.has(c.id)).length;
  return (
    <div className="table-tools">
      <div className="column-chooser" ref={chooser}>
        <button type="button" aria-expanded={choosing} aria-haspopup="true" onClick={() => setChoosing((c) => !c)}>
          {`Columns (${shownCount} of ${columns.length})`}
        </button>
        {choosing && (
          <fieldset className="column-chooser-list" onKeyDown={(e) => e.key === 'Escape' && setChoosing(false)}>
            <legend className="small muted">Columns shown</legend>
            {columns.map((col) => (
              <label key={col.id} className="column-choice">
                <input
                  type="checkbox"
                  checked={!hidden.has(col.id)}
                  // The last column shown stays: a table of no columns says nothing.
                  disabled={!hidden.has(col.id) && shownCount === 1}
                  onChange={(e) => {
                    const next = new Set(hidden);
                    if (e.target.checked) next.delete(col.id);
                    else next.add(col.id);
                    onHidden(next);
                  }}
                />
                {col.label}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      <button type="button" disabled={exporting !== null} onClick={() => void exportRows('csv')}>
        Export CSV
      </button>
      <button type="button" disabled={exporting !== null} onClick={() => void exportRows('json')}>
        Export JSON
      </button>
    </div>
  );
}
