import type { Decimal } from './decimal';
import { InvalidLeverageError, InvalidOrderError, InvalidValueError } from './errors';
import { parseSymbol } from './symbol';
import { MAX_SANE_LEVERAGE } from './validation';
import type { MarketType } from './types';
import { MARKET_TYPES } from './types';
import { checkDecimal, checkOneOf, checkText, inspectCustom } from './value-checks';

export interface SymbolInfoProps {
  readonly exchange: string;
  /** Any form parseSymbol takes; stored as `BASE/QUOTE`. */
  readonly symbol: string;
  /** The venue's own market id, e.g. `BTCUSDT`. */
  readonly exchangeSymbol: string;
  readonly marketType: MarketType;
  readonly quantityStep: Decimal;
  readonly minQuantity: Decimal;
  readonly maxQuantity?: Decimal | undefined;
  readonly priceTick: Decimal;
  /** Minimum quantity × price; zero when the venue sets none. */
  readonly minNotional: Decimal;
  /** Futures only: the highest leverage the venue allows on the symbol. */
  readonly maxLeverage?: number | undefined;
}

export interface SymbolInfoJSON {
  readonly exchange: string;
  readonly symbol: string;
  readonly exchangeSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly marketType: MarketType;
  readonly quantityStep: string;
  readonly minQuantity: string;
  readonly maxQuantity: string | undefined;
  readonly priceTick: string;
  readonly minNotional: string;
  readonly maxLeverage: number | undefined;
}

/**
 * The quantities a SymbolInfo's prepareQuantity returned, with the reference price it checked the
 * notional against. Decimals are immutable, so the same instance handed back is the same quantity.
 */
const prepared = new WeakMap<Decimal, { readonly info: SymbolInfo; readonly referencePrice: Decimal | undefined }>();

/**
 * A market's trading rules, and the pre-trade checks that follow from them. Adapters and apps use
 * these same methods, so "rounded down to the step" means one thing everywhere.
 */
export class SymbolInfo {
  readonly exchange: string;
  readonly symbol: string;
  readonly exchangeSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly marketType: MarketType;
  readonly quantityStep: Decimal;
  readonly minQuantity: Decimal;
  readonly maxQuantity: Decimal | undefined;
  readonly priceTick: Decimal;
  readonly minNotional: Decimal;
  readonly maxLeverage: number | undefined;

  constructor(props: SymbolInfoProps) {
    this.exchange = checkText('SymbolInfo', 'exchange', props.exchange);
    const parsed = parseSymbol(props.symbol);
    this.symbol = parsed.unified;
    this.base = parsed.base;
    this.quote = parsed.quote;
    this.exchangeSymbol = checkText('SymbolInfo', 'exchangeSymbol', props.exchangeSymbol);
    this.marketType = checkOneOf('SymbolInfo', 'marketType', props.marketType, MARKET_TYPES);
    this.quantityStep = checkDecimal('SymbolInfo', 'quantityStep', props.quantityStep, 'positive');
    this.minQuantity = checkDecimal('SymbolInfo', 'minQuantity', props.minQuantity, 'nonNegative');
    this.maxQuantity =
      props.maxQuantity === undefined ? undefined : checkDecimal('SymbolInfo', 'maxQuantity', props.maxQuantity, 'positive');
    this.priceTick = checkDecimal('SymbolInfo', 'priceTick', props.priceTick, 'positive');
    this.minNotional = checkDecimal('SymbolInfo', 'minNotional', props.minNotional, 'nonNegative');
    if (props.maxLeverage !== undefined && (!Number.isInteger(props.maxLeverage) || props.maxLeverage < 1)) {
      throw new InvalidValueError(`SymbolInfo.maxLeverage must be a whole number >= 1, got ${String(props.maxLeverage)}`, {
        field: 'maxLeverage',
        expected: 'an integer >= 1',
      });
    }
    this.maxLeverage = props.maxLeverage;
    Object.freeze(this);
  }

  /** The largest multiple of the quantity step not above `quantity`. Never rounds up. */
  floorQuantity(quantity: Decimal): Decimal {
    return quantity.div(this.quantityStep).floor().mul(this.quantityStep);
  }

  /**
   * Floors `quantity` to the step and checks it against the minimum and maximum quantity and, given
   * a reference price, the minimum notional. Returns the quantity to send; throws
   * `InvalidOrderError` naming the rule otherwise. No request is needed to decide.
   *
   * A quantity this same SymbolInfo already returned (the caller sized an order with the instance
   * `getSymbolInfo` gave it, and the adapter checks the order against that instance) is not floored
   * and checked again: the answer would be the same. Only the minimum notional is checked, when this
   * call brings a reference price the earlier one did not check against.
   */
  prepareQuantity(quantity: Decimal, referencePrice?: Decimal): Decimal {
    const earlier = prepared.get(quantity);
    if (earlier?.info === this) {
      const checked = referencePrice === undefined || earlier.referencePrice?.eq(referencePrice) === true;
      if (!checked) this.#checkNotional(quantity, referencePrice);
      return quantity;
    }
    const floored = this.#prepare(quantity, referencePrice);
    prepared.set(floored, { info: this, referencePrice });
    return floored;
  }

  #prepare(quantity: Decimal, referencePrice: Decimal | undefined): Decimal {
    const floored = this.floorQuantity(quantity);
    const context = { exchange: this.exchange, field: 'quantity' } as const;
    if (floored.lte(0) || floored.lt(this.minQuantity)) {
      throw new InvalidOrderError(
        `quantity ${quantity.toFixed()} of ${this.symbol} is below the minimum ${this.minQuantity.toFixed()} (step ${this.quantityStep.toFixed()})`,
        { ...context, expected: `at least ${this.minQuantity.toFixed()} in steps of ${this.quantityStep.toFixed()}` },
      );
    }
    if (this.maxQuantity !== undefined && floored.gt(this.maxQuantity)) {
      throw new InvalidOrderError(`quantity ${floored.toFixed()} of ${this.symbol} is above the maximum ${this.maxQuantity.toFixed()}`, {
        ...context,
        expected: `at most ${this.maxQuantity.toFixed()}`,
      });
    }
    this.#checkNotional(floored, referencePrice);
    return floored;
  }

  #checkNotional(floored: Decimal, referencePrice: Decimal | undefined): void {
    if (referencePrice === undefined || !this.minNotional.gt(0)) return;
    const notional = floored.mul(referencePrice);
    if (notional.lt(this.minNotional)) {
      throw new InvalidOrderError(
        `order value ${notional.toFixed()} ${this.quote} of ${this.symbol} is below the minimum notional ${this.minNotional.toFixed()}`,
        { exchange: this.exchange, field: 'quantity', expected: `quantity × price >= ${this.minNotional.toFixed()} ${this.quote}` },
      );
    }
  }

  /**
   * Throws `InvalidLeverageError` above the symbol's maximum (or for any leverage above 1 on spot).
   * A futures symbol whose maximum the venue did not publish is held to MAX_SANE_LEVERAGE.
   */
  checkLeverage(leverage: number): void {
    const max = this.maxLeverage ?? (this.marketType === 'spot' ? 1 : MAX_SANE_LEVERAGE);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > max) {
      throw new InvalidLeverageError(`leverage ${String(leverage)} is not allowed on ${this.symbol} ${this.marketType}: the maximum is ${max}`, {
        exchange: this.exchange,
        maxLeverage: max,
        expected: `an integer from 1 to ${max}`,
      });
    }
  }

  /** Rounds a price down to the tick (for limit prices and display). */
  floorPrice(price: Decimal): Decimal {
    return price.div(this.priceTick).floor().mul(this.priceTick);
  }

  toJSON(): SymbolInfoJSON {
    return {
      exchange: this.exchange,
      symbol: this.symbol,
      exchangeSymbol: this.exchangeSymbol,
      base: this.base,
      quote: this.quote,
      marketType: this.marketType,
      quantityStep: this.quantityStep.toFixed(),
      minQuantity: this.minQuantity.toFixed(),
      maxQuantity: this.maxQuantity?.toFixed(),
      priceTick: this.priceTick.toFixed(),
      minNotional: this.minNotional.toFixed(),
      maxLeverage: this.maxLeverage,
    };
  }

  [inspectCustom](): string {
    return `SymbolInfo ${JSON.stringify(this.toJSON())}`;
  }
}
