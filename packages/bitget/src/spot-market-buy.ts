import type { VenueProfile } from '@xport/ccxt';
import { Decimal, ExchangeAPIError } from '@xport/core';

type PrepareOrder = NonNullable<VenueProfile['prepareOrder']>;

/**
 * The quote amount to spend so that Bitget's spot market buy comes back with `quantity`: the exact
 * product rounded UP to the price tick (ccxt truncates a cost to the tick, and the venue floors the
 * bought amount to the quantity step, so a product rounded down could buy one step less). While a
 * tick is worth less than one step at that price — true of every pair Bitget lists — the overshoot
 * cannot reach a further step.
 */
export function quoteAmountFor(quantity: Decimal, price: Decimal, tick: Decimal | undefined): Decimal {
  const exact = quantity.times(price);
  return tick === undefined || tick.lte(0) ? exact : exact.div(tick).ceil().times(tick);
}

const decimalOf = (value: number): Decimal => new Decimal(value.toString());

/**
 * Bitget's spot market buy spends a quote amount (`size` is USDT there) while xport's port speaks
 * base quantities, so a spot buy reads the best ask and hands ccxt `cost` = quantity × ask (see
 * quoteAmountFor). On the simulator, which fills at that price, that buys exactly the quantity; on
 * the venue a book that moves between the two requests buys slightly more or less. The ask is read
 * through `share` when given: every adapter of the process buying the symbol at about the same
 * time (a signal's fan-out) sizes at one read, no older than the adapter's `priceMaxAgeMs`. Every
 * other order needs nothing and sends nothing.
 */
export const sizeSpotMarketBuy: PrepareOrder = async (exchange, { symbol, market, side, quantity }, request, share) => {
  if (market !== 'spot' || side !== 'buy') return {};
  const read = () => request('fetchTickers', () => exchange.fetchTicker(symbol));
  const ticker = await (share === undefined ? read() : share(`ticker:${symbol}`, read));
  const ask = ticker.ask ?? ticker.last;
  if (ask === undefined || !(ask > 0)) {
    throw new ExchangeAPIError(`bitget: no ask price for ${symbol} to size a market buy of ${quantity.toFixed()}`, { exchange: 'bitget', operation: 'executeSpotBuy' });
  }
  const tick = exchange.market(symbol).precision.price;
  const cost = quoteAmountFor(quantity, decimalOf(ask), tick === undefined ? undefined : decimalOf(tick));
  return { params: { cost: cost.toFixed() } };
};
