/**
 * E-mailed links carry their token in the URL fragment (`#t=…`), which never reaches the server's
 * logs or a Referer. The page reads it once and clears it from the address bar at once, so it is
 * not left in the history, a bookmark or a shared screenshot.
 */

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

export interface AddressBar {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}

export interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string): void;
}

/** The token in a fragment like `#t=abc`, or null when there is none or it is malformed. */
export function tokenFromFragment(hash: string): string | null {
  const raw = hash.startsWith("#") ? hash.slice(1) : hash;
  if (raw === "") return null;
  const token = new URLSearchParams(raw).get("t");
  return token !== null && TOKEN.test(token) ? token : null;
}

/** Read the token (if any) and clear the fragment, keeping path and query. */
export function takeFragmentToken(bar: AddressBar, history: HistoryLike): string | null {
  if (bar.hash === "" || bar.hash === "#") return null;
  const token = tokenFromFragment(bar.hash);
  history.replaceState(null, "", bar.pathname + bar.search);
  return token;
}

export interface StoreLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The answer page's token: from the fragment (kept for this tab only, so a reload can resume an
 * upload), else the one this tab kept earlier.
 */
export function answerToken(bar: AddressBar, history: HistoryLike, tab: StoreLike, key = "wfc_answer"): string | null {
  if (bar.hash !== "" && bar.hash !== "#") {
    // A new link replaces whatever this tab kept, even when it is malformed.
    const fresh = takeFragmentToken(bar, history);
    if (fresh === null) tab.removeItem(key);
    else tab.setItem(key, fresh);
    return fresh;
  }
  const kept = tab.getItem(key);
  return kept !== null && TOKEN.test(kept) ? kept : null;
}
