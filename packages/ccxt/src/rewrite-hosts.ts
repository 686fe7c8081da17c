const SCHEME_AND_HOST = /^(https?|wss?):\/\/[^/]+/;

/**
 * Replaces the scheme and host of every URL in a ccxt `urls.api` tree with `baseUrl`, keeping each
 * path: `https://fapi.binance.com/fapi/v1` → `<baseUrl>/fapi/v1`. Hosts with ccxt's `{hostname}`
 * placeholder are replaced whole. WebSocket URLs (`urls.api.ws` of ccxt's `pro` classes) go to the
 * same host with the matching WebSocket scheme: `wss://fstream.binance.com/ws` →
 * `ws://127.0.0.1:8080/ws` for a base URL of `http://127.0.0.1:8080` (`wss://` for `https://`).
 */
export function rewriteHosts(urls: unknown, baseUrl: string): unknown {
  const base = baseUrl.replace(/\/+$/, '');
  const wsBase = base.replace(/^http(s?):\/\//i, (_match, secure: string) => `ws${secure}://`);
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(SCHEME_AND_HOST, (_match, scheme: string) => (scheme.startsWith('ws') ? wsBase : base));
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    }
    return node;
  };
  return visit(urls);
}
