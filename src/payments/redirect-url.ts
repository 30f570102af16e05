/**
 * Where a payment may send the customer's browser back to. KS Pay redirects there with
 * the payment's outcome, so the URL is checked on its raw text (no control characters,
 * no credentials, no fragment), on its host (REDIRECT_HOSTS, or https anywhere and http
 * only on this machine), and sent on in the parsed form, never as the client wrote it.
 */

export const MAX_REDIRECT_URL_LENGTH = 2048;

/** Normalised `hostname` (default port only) or `hostname:port` entries; null allows any host. */
export type RedirectHosts = ReadonlySet<string> | null;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whitespace, control and invisible format characters: a URL parser drops or rewrites them silently. */
const HIDDEN_CHARACTERS = /[\s\p{C}\p{Z}]/u;

export type RedirectUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

const TOO_LONG = `may be at most ${MAX_REDIRECT_URL_LENGTH} characters long`;

function refuse(problem: string): RedirectUrlCheck {
  return { ok: false, problem };
}

export function normaliseRedirectUrl(raw: string, allowedHosts: RedirectHosts): RedirectUrlCheck {
  if (raw.length > MAX_REDIRECT_URL_LENGTH) return refuse(TOO_LONG);
  if (HIDDEN_CHARACTERS.test(raw)) return refuse('may not contain whitespace or control characters');
  // One parse (null when it fails), not a check and then a parse.
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return refuse('must be an absolute http(s) URL');
  if (url.username || url.password) return refuse('may not contain a user name or password');
  // Servers that append the outcome as text would put it inside a fragment, which never reaches the merchant.
  if (raw.includes('#')) return refuse('may not contain a fragment (#…)');
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return refuse('must use https (http is allowed only for localhost)');
  }
  if (allowedHosts && !isAllowedHost(url, allowedHosts)) {
    return refuse(`may not point to ${url.host}: it is not one of the gateway's allowed redirect hosts`);
  }
  // Parsing percent-encodes what needs it, which can lengthen the URL.
  if (url.href.length > MAX_REDIRECT_URL_LENGTH) return refuse(TOO_LONG);
  return { ok: true, url: url.href };
}

function isAllowedHost(url: URL, allowed: ReadonlySet<string>): boolean {
  const port = url.port || DEFAULT_PORTS[url.protocol];
  return allowed.has(`${url.hostname}:${port}`) || (url.port === '' && allowed.has(url.hostname));
}

/**
 * One REDIRECT_HOSTS entry, `shop.example` or `shop.example:8443`, in the form a parsed
 * URL gives its host (lower case, punycode, bracketed IPv6); null when it is not one.
 */
export function parseRedirectHost(entry: string): string | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]\\]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match) return null;
  const [, host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  const hostname = URL.canParse(`https://${host}/`) ? new URL(`https://${host}/`).hostname : null;
  if (!hostname) return null;
  return port === undefined ? hostname : `${hostname}:${Number(port)}`;
}
