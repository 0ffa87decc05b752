/** Web mode without a valid token: say exactly how to get in, since the page cannot. */
export function UnauthorisedView({ detail }: { detail: string }) {
  return (
    <div className="notice-view" role="alert">
      <h1>Not authorised</h1>
      <p>
        This capscope page needs the access token that <code>capscope serve</code> puts in the URL it prints. Open the
        URL printed by <code>capscope serve</code> (it ends in <code>#token=…</code>) in this tab.
      </p>
      <p className="muted">
        The token changes every time capscope serve starts; if you restarted it, use the new URL. ({detail})
      </p>
    </div>
  );
}
