// Masking of credentials in what a report shows (on by default; `--no-redact` turns it off).
//
// What counts as a credential (docs/report.md keeps this list):
// - header values of Authorization, Proxy-Authorization, Cookie, Set-Cookie, and of any header
//   whose name is token-like (X-Api-Key, X-Auth-Token, X-CSRF-Token, ...); names are case-insensitive;
// - values of token-like query parameters (`?token=…`, `&api_key=…`) and of token-like command
//   line options (`--password=…`);
// - the same header lines and parameters inside free text (finding excerpts and explanations,
//   diagnostic lines), where captured bytes are quoted.
// Names stay visible (a cookie's name, an Authorization scheme such as `Bearer`), values do not.

export const REDACTED = '[redacted]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

const SECRET_PARAMS = new Set([
  'token', 'access_token', 'refresh_token', 'id_token', 'auth_token', 'api_key', 'apikey', 'api-key', 'key',
  'password', 'passwd', 'pwd', 'pass', 'secret', 'client_secret', 'sig', 'signature', 'session', 'sessionid',
  'session_id', 'sid', 'auth', 'jwt', 'code', 'credential', 'credentials', 'private_key',
  'x-amz-signature', 'x-amz-security-token', 'x-amz-credential',
]);

/** A name ending in one of these words (after `-`, `_` or `.`, or as the whole name) is token-like too. */
const SECRET_SUFFIX = /(?:^|[-_.])(?:token|secret|password|passwd|apikey|api[-_]key|signature|session(?:id)?|jwt|credentials?)$/i;

/** Token-like query parameter or option names: the fixed list plus the suffix rule. */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_PARAMS.has(lower) || SECRET_SUFFIX.test(lower);
}

/** Header names whose values are masked: the four credential headers and token-like names. */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_SUFFIX.test(lower) || lower === 'x-api-key';
}

export interface Redactor {
  readonly enabled: boolean;
  /** A header's value as shown: masked for credential headers. */
  headerValue(name: string, value: string): string;
  /** A request target or URL with token-like query parameter values masked. */
  target(target: string): string;
  /** Free text quoting captured bytes: header lines and query parameters in it are masked. */
  text(text: string): string;
}

export function createRedactor(enabled: boolean): Redactor {
  if (!enabled) return { enabled, headerValue: (_n, v) => v, target: (t) => t, text: (t) => t };
  return { enabled, headerValue: maskHeaderValue, target: maskParams, text: maskText };
}

function maskHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const lower = name.trim().toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    // The scheme (Bearer, Basic, Digest ...) says what kind of credential it was; the rest is the secret.
    const m = /^(\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+)\S/.exec(value);
    return m ? `${m[1]}${m[2]}${REDACTED}` : REDACTED;
  }
  if (lower === 'cookie') return value.split(';').map((pair) => maskPair(pair)).join(';');
  if (lower === 'set-cookie') {
    // The first pair is the cookie; the attributes after it (Path, HttpOnly, Expires ...) are not secret.
    const [first, ...attributes] = value.split(';');
    return [maskPair(first ?? ''), ...attributes].join(';');
  }
  return value.trim() === '' ? value : REDACTED;
}

/** `name=value` → `name=[redacted]`; text without `=` is masked whole. */
function maskPair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair.trim() === '' ? pair : pair.replace(/\S.*\S|\S/, REDACTED);
  return `${pair.slice(0, eq + 1)}${REDACTED}`;
}

// A query parameter (after ? & or ;) or a long command-line option, and its value up to the next
// separator. Percent-encoded names (`api%5Fkey`) are decoded before they are judged.
const PARAM = /([?&;]|(?:^|\s)--?)([A-Za-z0-9_.%-]+)=([^&;#\s"'`<>]*)/g;

function maskParams(text: string): string {
  return text.replace(PARAM, (whole, lead: string, name: string, value: string) => {
    if (value === '' || !isSecretParam(safeDecode(name))) return whole;
    return `${lead}${name}=${REDACTED}`;
  });
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

// A header line inside quoted bytes: at the start of the text or of a line (a real or an escaped
// line break), a credential header's name, optional blanks, a colon, the value to the line's end.
const HEADER_LINE = /(^|\n|\r|\\r\\n|\\n)([ \t]*)([A-Za-z0-9!#$%&'*+.^_`|~-]+)([ \t]*:[ \t]*)([^\r\n\\]*(?:\\(?![rn])[^\r\n\\]*)*)/g;

/** Header lines at line starts, and inside `backtick quotes` (how explanations quote a captured line). */
function maskText(text: string): string {
  const quoted = text.replace(/`([^`\n]*)`/g, (_whole, inner: string) => `\`${maskHeaderLines(inner)}\``);
  return maskParams(maskHeaderLines(quoted));
}

function maskHeaderLines(text: string): string {
  return text.replace(HEADER_LINE, (whole, start: string, indent: string, name: string, colon: string, value: string) =>
    isSecretHeader(name) && value.trim() !== '' ? `${start}${indent}${name}${colon}${maskHeaderValue(name, value)}` : whole,
  );
}
