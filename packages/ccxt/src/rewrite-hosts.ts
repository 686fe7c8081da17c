const SCHEME_AND_HOST = /^https?:\/\/[^/]+/;

/**
 * Replaces the scheme and host of every URL in a ccxt `urls.api` tree with `baseUrl`, keeping each
 * path: `https://fapi.binance.com/fapi/v1` → `<baseUrl>/fapi/v1`. Hosts with ccxt's `{hostname}`
 * placeholder are replaced whole.
 */
export function rewriteHosts(urls: unknown, baseUrl: string): unknown {
  const base = baseUrl.replace(/\/+$/, '');
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(SCHEME_AND_HOST, base);
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    }
    return node;
  };
  return visit(urls);
}
