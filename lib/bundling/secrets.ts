import { bundlingError } from './messages';
import { hasUrlCredentials, redactUrls } from '../shared/redact';

/**
 * Credentials in the bundling `environment` (an index URL with a token, `*_TOKEN`, `*_PASSWORD`, ...)
 * change who may download, never what is installed: rotating a CI token must not publish a new layer,
 * version and SnapStart snapshot. They are kept out of every hash input and every message. Internal.
 */

/** Variable names whose value is a credential: only their presence is hashed. */
const CREDENTIAL_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|API_?KEY|ACCESS_KEY|PRIVATE_KEY|SESSION)/i;

/** True when the variable holds a credential by its name. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/**
 * The environment as it enters the asset hash: credential variables as `***`, the userinfo of every URL
 * as `***` (scheme, host and path still count: another index may serve other packages).
 */
export function hashableEnvironment(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    out[key] = isCredentialName(key) ? '***' : redactUrls(env[key]);
  }
  return out;
}

/** pip's index variables: each value a URL (PIP_EXTRA_INDEX_URL may list several, space-separated). */
const INDEX_URL_VARIABLES = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_DEFAULT_INDEX'];

/**
 * A malformed index URL fails here with the URL redacted (CDK's own check would print it whole,
 * credentials included).
 */
export function checkIndexUrls(label: string, env: Record<string, string>): void {
  for (const key of INDEX_URL_VARIABLES) {
    const value = env[key];
    if (value === undefined) continue;
    for (const url of value.split(/\s+/).filter((u) => u)) {
      let ok = true;
      try {
        const parsed = new URL(url);
        ok = /^(https?|file):$/.test(parsed.protocol);
      } catch {
        ok = false;
      }
      if (!ok) {
        const shown = url.includes('://') ? redactUrls(url) : url.replace(/^.*@/, '***@');
        throw bundlingError(label, `environment.${key}`, `'${shown}' is not a valid http(s) URL${hasUrlCredentials(url) || shown !== url ? ' (credentials hidden)' : ''}`,
          'pip could not reach the package index and bundling would fail',
          `set ${key} to the index's URL, e.g. https://user:TOKEN@pypi.example.com/simple (percent-encode '@', ':' and '/' inside the token)`);
      }
    }
  }
}
