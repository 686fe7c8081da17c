import { ccxtErrorNames } from '@xport/ccxt/internal';
import type { VenueProfile } from '@xport/ccxt';

type FetchOrderByClientId = VenueProfile['fetchOrderByClientId'];

/**
 * Bybit's `/v5/order/realtime` (ccxt's fetchOrder) keeps only an account's 500 most recent closed
 * orders per category, and none from before a service restart; `/v5/order/history` keeps them (the
 * last 7 days unless a window is given). An order realtime does not show is therefore looked for in
 * history before it counts as not found. ccxt's fetchOrder wants an order id; leaving `orderId` out
 * of the query asks by `orderLinkId` alone.
 */
export const findBybitOrderByClientId: FetchOrderByClientId = async (exchange, { clientOrderId, symbol }) => {
  const byLinkId = { orderId: undefined, orderLinkId: clientOrderId };
  try {
    return await exchange.fetchOrder('', symbol, { ...byLinkId, acknowledged: true });
  } catch (error) {
    if (!ccxtErrorNames(error).includes('OrderNotFound')) throw error;
    const history = await exchange.fetchCanceledAndClosedOrders(symbol, undefined, undefined, byLinkId);
    const found = history.filter((order) => order.clientOrderId === clientOrderId).at(-1);
    if (found === undefined) throw error;
    return found;
  }
};
