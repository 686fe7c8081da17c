import type { CcxtExchange } from './ccxt-types';

/** The part of an undici dispatcher xport touches. */
interface Dispatcher {
  close(): Promise<void>;
}

/** What ccxt (4.5, Node) keeps for its HTTP client once `loadFetchImplementation()` has run. */
interface CcxtFetchState {
  loadFetchImplementation?: () => Promise<void>;
  getDispatcherOptions?: (isPlainAgent: boolean) => Record<string, unknown>;
  undiciModule?: { readonly Agent: new (options: Record<string, unknown>) => Dispatcher } | undefined;
  fetchDispatcher?: Dispatcher | undefined;
}

/** One keep-alive pool per local address (`''`: the system's choice) of one venue runtime. */
const POOLS = new WeakMap<object, Map<string, Dispatcher>>();

/**
 * Gives a ccxt instance the venue's shared keep-alive pool instead of the one ccxt builds per
 * instance, so a thousand accounts of one venue reuse a handful of sockets per host rather than
 * opening one or more each (a TCP and TLS handshake per account per signal on a cold pool). The
 * pool is undici's Agent with ccxt's own settings (keep-alive, one request per socket, at most 256
 * sockets per origin), bound to `localAddress` when one is given: one pool per venue runtime and
 * local address, each holding a pool per host. With `shared` false the instance keeps a pool of
 * its own (ccxt's default), bound to `localAddress` if one is given.
 *
 * Where ccxt could not load undici it uses the global fetch, whose pool is already the process's,
 * and nothing is changed.
 */
export async function useConnectionPool(exchange: CcxtExchange, runtime: object, options: { readonly shared: boolean; readonly localAddress: string | undefined }): Promise<void> {
  const { shared, localAddress } = options;
  if (!shared && localAddress === undefined) return;
  const state = exchange as unknown as CcxtFetchState;
  if (typeof state.loadFetchImplementation !== 'function') return;
  await state.loadFetchImplementation();
  const undici = state.undiciModule;
  const own = state.fetchDispatcher;
  if (undici === undefined || own === undefined) return;
  const create = (): Dispatcher => {
    // undici takes the local address as a client option; its connector overrides one given in `connect`.
    return new undici.Agent({ ...(state.getDispatcherOptions?.(true) ?? {}), ...(localAddress === undefined ? {} : { localAddress }) });
  };
  let pool: Dispatcher;
  if (shared) {
    let pools = POOLS.get(runtime);
    if (pools === undefined) {
      pools = new Map();
      POOLS.set(runtime, pools);
    }
    const key = localAddress ?? '';
    pool = pools.get(key) ?? create();
    pools.set(key, pool);
  } else {
    pool = create();
  }
  state.fetchDispatcher = pool;
  // The instance's own pool has sent nothing yet; it holds no socket to drain.
  if (own !== pool) void own.close().catch(() => undefined);
}
