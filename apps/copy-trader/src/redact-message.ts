import { REDACTED, SENSITIVE_KEY } from '@xport/core';

/** `scheme://user:password@` in a URL: a proxy's password given in a base URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** `?name=value` or `&name=value` in a URL's query: Binance signs a request with `&signature=…`. */
const QUERY_PARAMETER = /([?&])([^=&#\s]+)=([^&#\s"']*)/g;
/** `"name": "value"` in a JSON body echoed by a venue. */
const JSON_STRING_FIELD = /"([^"\\]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/**
 * Removes what must not be printed from an error message before the CLI shows it: passwords in
 * URLs, and the values of signatures, keys and tokens in query strings and JSON fields. The adapters
 * scrub their own credentials; this is the CLI's second line, so a signed URL from any layer (ccxt
 * puts the whole request URL in its network errors) reaches no terminal, log or report.
 */
export function redactMessage(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAMETER, (whole: string, separator: string, name: string) => (SENSITIVE_KEY.test(name) ? `${separator}${name}=${REDACTED}` : whole))
    .replace(JSON_STRING_FIELD, (whole: string, name: string, colon: string) => (SENSITIVE_KEY.test(name) ? `"${name}"${colon}"${REDACTED}"` : whole));
}
