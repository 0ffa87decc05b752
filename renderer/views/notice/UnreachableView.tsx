/** The first API call failed for another reason than the token: nothing else can work. */
export function UnreachableView({ detail, onRetry }: { detail: string; onRetry(): void }) {
  return (
    <div className="notice-view" role="alert">
      <h1>capscope is not answering</h1>
      <p>{detail}</p>
      <p className="muted">In web mode, check that capscope serve is still running.</p>
      <button type="button" className="primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
