// Web mode: `capscope serve` prints a URL carrying a per-run token in the fragment
// (`#token=...`). The fragment never reaches the server's logs or a Referer header; we take it
// out of the address bar at once so it is not bookmarked, copied or left in history, and keep it
// in sessionStorage, which dies with the tab.
const STORAGE_KEY = 'capscope.token';
const TOKEN_PARAM = 'token';

/**
 * Moves a `#token=` from the URL into sessionStorage; true when there was one. Call before
 * rendering, and again when the fragment changes (pasting the printed URL into a tab already on
 * the page only changes the fragment, so the page does not reload).
 */
export function adoptTokenFromUrl(): boolean {
  const fragment = location.hash.replace(/^#/, '');
  if (!fragment.includes(`${TOKEN_PARAM}=`)) return false;
  const params = new URLSearchParams(fragment);
  const token = params.get(TOKEN_PARAM);
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  params.delete(TOKEN_PARAM);
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return true;
}

export function webToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}
