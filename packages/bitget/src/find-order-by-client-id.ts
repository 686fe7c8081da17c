import { ccxtErrorNames } from '@xport/ccxt/internal';
import type { VenueProfile } from '@xport/ccxt';

type FetchOrderByClientId = VenueProfile['fetchOrderByClientId'];
type Order = Awaited<ReturnType<FetchOrderByClientId>>;

/** Bitget's history pages hold at most 100 orders. */
const PAGE = 100;
/** How many history pages a lookup reads before it gives up without an answer. */
const MAX_PAGES = 10;

/**
 * Bitget's current spot `orderInfo` page finds an order by `clientOid` only while the order is
 * unfilled (an earlier revision set no such condition), and a filled market order is exactly what
 * xport looks for. So a spot order the lookup does not find is searched for in the spot order
 * history (90 days, newest first), page by page: found there it is the order; the whole history
 * read without it is the venue's "not found"; more pages than MAX_PAGES leave the question open
 * (an error that is not OrderNotFound), never "absent". Futures `detail` finds filled orders by
 * `clientOid` directly. Where the id was used more than once, the newest order carrying it answers.
 */
export const findBitgetOrderByClientId: FetchOrderByClientId = async (exchange, { clientOrderId, symbol, market }) => {
  try {
    return await exchange.fetchOrder('', symbol, { clientOrderId });
  } catch (error) {
    if (market !== 'spot' || !ccxtErrorNames(error).includes('OrderNotFound')) throw error;
    const found = await searchSpotHistory(exchange, symbol, clientOrderId);
    if (found === 'exhausted') throw error;
    return found;
  }
};

async function searchSpotHistory(exchange: Parameters<FetchOrderByClientId>[0], symbol: string, clientOrderId: string): Promise<Order | 'exhausted'> {
  let before: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const orders = await exchange.fetchClosedOrders(symbol, undefined, PAGE, before === undefined ? {} : { idLessThan: before });
    const matches = orders.filter((order) => order.clientOrderId === clientOrderId);
    const newest = matches.at(-1);
    if (newest !== undefined) return newest;
    if (orders.length < PAGE) return 'exhausted';
    // ccxt lists a page oldest first; the next page holds the orders older than its first.
    before = orders[0]?.id;
    if (before === undefined) break;
  }
  throw new Error(`bitget: order ${clientOrderId} not among the ${MAX_PAGES * PAGE} most recent ${symbol} orders; its fate is unknown`);
}
