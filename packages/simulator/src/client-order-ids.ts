import { EngineError, type LedgerOrder, type Market, type OrderStatus } from './contract';

/**
 * How a venue keeps client order ids apart, as it documents it:
 * - `scope`: `market` when spot and futures are separate systems with separate id spaces,
 *   `account` when one id space spans every market of the account.
 * - `reuse`: `never` when an id, once used, is refused forever; `whenClosed` when an id is unique
 *   only among the account's open orders, so the id of a filled, cancelled or expired order places
 *   a new order.
 */
export interface ClientOrderIdPolicy {
  readonly scope: 'market' | 'account';
  readonly reuse: 'never' | 'whenClosed';
}

/** Statuses after which an order no longer holds its client order id where ids are reusable. */
const CLOSED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['filled', 'rejected']);

export function isOpen(order: LedgerOrder): boolean {
  return !CLOSED.has(order.status);
}

/**
 * One account's orders by client order id, under its venue's policy. Every order stays indexed
 * (lookups by client id may still find closed ones); only the duplicate check depends on `reuse`.
 */
export class ClientOrderIdIndex {
  private readonly byKey = new Map<string, LedgerOrder[]>();

  constructor(private readonly policy: ClientOrderIdPolicy) {}

  /** Throws DUPLICATE_CLIENT_ORDER_ID when the venue would refuse a new order with `id` in `market`. */
  checkFree(market: Market, id: string): void {
    const holders = this.byKey.get(this.key(market, id));
    if (holders === undefined) return;
    const taken = this.policy.reuse === 'never' ? holders.length > 0 : holders.some(isOpen);
    if (taken) throw new EngineError('DUPLICATE_CLIENT_ORDER_ID', `Duplicate client order id ${id}`);
  }

  add(order: LedgerOrder): void {
    const key = this.key(order.market, order.clientOrderId);
    const holders = this.byKey.get(key);
    if (holders) holders.push(order);
    else this.byKey.set(key, [order]);
  }

  /** Every order of `market` (of any market when absent) that carries `id`, oldest first. */
  find(id: string, market?: Market): readonly LedgerOrder[] {
    if (market !== undefined || this.policy.scope === 'account') {
      const holders = this.byKey.get(this.key(market ?? 'spot', id)) ?? [];
      return market === undefined ? holders : holders.filter((order) => order.market === market);
    }
    const spot = this.byKey.get(this.key('spot', id)) ?? [];
    const futures = this.byKey.get(this.key('futures', id)) ?? [];
    // Order ids increase with every order the engine executes, so they give the placing order.
    return [...spot, ...futures].sort((a, b) => Number(a.orderId) - Number(b.orderId));
  }

  private key(market: Market, id: string): string {
    return this.policy.scope === 'market' ? `${market}|${id}` : id;
  }
}
