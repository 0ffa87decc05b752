import { formatCount } from '../format';

interface PagerProps {
  offset: number;
  limit: number;
  total: number;
  /** What is being paged, singular and plural ("diagnostic", "diagnostics"). */
  noun: [string, string];
  onOffset(offset: number): void;
}
export function Pager({ offset, limit, total, noun, onOffset }: PagerProps) {
  const label = total === 1 ? noun[0] : noun[1];
  if (total <= limit) {
    return <span className="pager-range">{`${formatCount(total)} ${label}`}</span>;
  }
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`${noun[1]} pages`}>
      <button type="button" onClick={() => onOffset(Math.max(0, offset - limit))} disabled={offset === 0}>
        ‹ Previous
      </button>
      <span className="pager-range" aria-live="polite">
        {`${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)} ${label}`}
      </span>
      <button type="button" onClick={() => onOffset(offset + limit)} disabled={last >= total}>
        Next ›
      </button>
    </nav>
  );
}
