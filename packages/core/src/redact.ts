import { isDecimal } from './decimal';
import { REDACTED, Secret } from './secret';

/** Field names whose values are credentials wherever they appear. */
export const SENSITIVE_KEY = /(secret|api[-_]?key|apikey|passphrase|password|private[-_]?key|token|signature|^sign$|access[-_]key|x-mbx-apikey|x-bapi-api-key|x-bapi-sign|access-sign|access-passphrase)/i;

const MAX_DEPTH = 6;

/**
 * A copy of `value` safe for a log line: sensitive keys and `Secret`s become `[REDACTED]`,
 * Decimals become strings, errors keep name and message, cycles and depth are cut.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value instanceof Secret) return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (isDecimal(value)) return value.toFixed();
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    return redact(typeof json === 'function' ? json.call(value) : { name: value.name, message: value.message }, depth + 1, seen);
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}

/** Removes known secret values from free text (an upstream error message may echo a header). */
export function redactText(text: string, secrets: readonly (string | Secret | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    const raw = secret instanceof Secret ? secret.reveal() : secret;
    if (raw !== undefined && raw.length >= 4) out = out.split(raw).join(REDACTED);
  }
  return out;
}

// The authority's userinfo runs to its last "@" (an unescaped "@" in a pasted password included);
// the query runs to whitespace, a quote or a fragment.
const URL_PARTS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*@)?([^\s?#"'<>]*)(\?[^\s#"'<>]*)?/gi;

/**
 * Blanks what URLs in free text carry for their owner only: the userinfo (a proxy's `user:password@`)
 * and the whole query (where Binance puts the request's signature). Scheme, host and path stay, so a
 * message still says where the request went; a blanked part shows that a value was there.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_PARTS, (_match, scheme: string, userinfo: string | undefined, rest: string, query: string | undefined) =>
    `${scheme}${userinfo === undefined ? '' : `${REDACTED}@`}${rest}${query === undefined ? '' : `?${REDACTED}`}`,
  );
}
