// The API token in browser mode: `dark8 serve` prints http://127.0.0.1:PORT/#token=…; the
// fragment never reaches the server or its logs. It is taken out of the address bar at once
// and kept for this tab only.

const KEY = "dark8.api-token";

/** The token from `location` (removed from it) or from this tab's storage. */
export function takeToken(
  location: { hash: string; pathname: string; search: string },
  storage: Pick<Storage, "getItem" | "setItem">,
  replaceUrl: (url: string) => void,
): string | null {
  const match = /(?:^#|&)token=([0-9a-fA-F]{64})(?:&|$)/.exec(location.hash);
  if (match) {
    storage.setItem(KEY, match[1]);
    replaceUrl(location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(KEY);
}

/** Keeps a new token (after a rotation) for this tab. */
export function keepToken(storage: Pick<Storage, "setItem">, token: string): void {
  storage.setItem(KEY, token);
}
