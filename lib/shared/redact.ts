/**
 * Credentials never leave the build machine through a message: every URL the library prints goes
 * through `redactUrls`, which keeps the scheme, host and path and replaces the userinfo
 * (`https://user:TOKEN@host/...` -> `https://***@host/...`).
 * Internal: not part of the public API.
 */
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/\s@'"]+)@/g;

/** Replaces the userinfo of every URL in `text` with `***`. */
export function redactUrls(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

/** True when `text` holds a URL with userinfo (a user name or a token). */
export function hasUrlCredentials(text: string): boolean {
  URL_USERINFO.lastIndex = 0;
  const found = URL_USERINFO.test(text);
  URL_USERINFO.lastIndex = 0;
  return found;
}
