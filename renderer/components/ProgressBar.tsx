interface ProgressBarProps {
  /** Accessible name, e.g. "Indexing progress". */
  label: string;
  done: number;
  total: number;
}

/** A native <progress>: accessible as is, and styled without inline styles (the CSP forbids them). */
export function ProgressBar({ label, done, total }: ProgressBarProps) {
  const max = total > 0 ? total : 1;
  return <progress className="progress" aria-label={label} value={Math.min(done, max)} max={max} />;
}
